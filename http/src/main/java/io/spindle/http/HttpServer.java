package io.spindle.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import io.spindle.downsample.tier.TierConfig;
import io.spindle.store.SeriesStore;
import io.spindle.store.StoreException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.LinkedHashSet;
import java.util.Set;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Spindle's HTTP server (Javalin 7 on Jetty 12): the Grafana JSON datasource API, the dashboard API and its static
 * files under {@code /ui/}, {@code /healthz}, {@code /readyz} and Prometheus {@code GET /metrics}. Request bodies
 * are limited to 1 MiB, at most {@value #QUERY_SLOTS} queries read the store at once, and errors are JSON
 * {@code {"error": "..."}} with 400 (bad input), 404 (unknown series in the dashboard API), 413 (body too large),
 * 503 (store unavailable, or busy) or 500.
 */
public final class HttpServer implements AutoCloseable {
    /** Classpath folder of the dashboard's files. */
    static final String UI_DIRECTORY = "io/spindle/http/ui";
    static final int QUERY_SLOTS = 4;
    private static final long QUERY_WAIT_MILLIS = 10_000;
    private static final long READY_PROBE_MILLIS = 2_000;

    private final Javalin app;
    private final HealthApi health;
    private final String url;

    private HttpServer(Javalin app, HealthApi health, String url) {
        this.app = app;
        this.health = health;
        this.url = url;
    }

    /** Starts serving store (with tiers as configured) on options' address; registers the server's metrics in metrics. */
    public static HttpServer start(HttpOptions options, SeriesStore store, TierConfig tiers, Metrics metrics) {
        return start(options, store, tiers, metrics, UI_DIRECTORY);
    }

    static HttpServer start(HttpOptions options, SeriesStore store, TierConfig tiers, Metrics metrics, String uiDirectory) {
        if (options == null) options = HttpOptions.loopback(0);
        if (store == null || tiers == null || metrics == null) throw new IllegalArgumentException("store, tiers and metrics are required");
        if (options.tlsKeystore() != null) HttpsConnector.check(options.tlsKeystore(), options.tlsPassword());
        SeriesCatalog catalog = new SeriesCatalog(store, 1_000_000_000L, 200_000_000L);
        QueryGate gate = new QueryGate(QUERY_SLOTS, QUERY_WAIT_MILLIS);
        ViewService views = new ViewService(catalog, new QueryPlanner(store, tiers), gate, metrics);
        GrafanaApi grafana = new GrafanaApi(views);
        DashboardApi dashboard = new DashboardApi(views);
        HealthApi health = new HealthApi(store, READY_PROBE_MILLIS);
        Set<String> routes = new LinkedHashSet<>();
        ServerMetrics http = new ServerMetrics(metrics, routes);
        ServerMetrics.store(metrics, store);
        ServerMetrics.jvm(metrics);
        BearerAuth auth = new BearerAuth(options.writeToken(), options.readToken(), metrics);
        AdminApi admin = new AdminApi(store);
        HttpOptions o = options;
        // "file:/dir" serves a folder of the file system instead of the classpath (tests, and editing the dashboard live)
        boolean external = uiDirectory.startsWith("file:");
        String uiPath = external ? uiDirectory.substring("file:".length()) : "/" + uiDirectory;
        boolean ui = external ? java.nio.file.Files.isRegularFile(java.nio.file.Path.of(uiPath, "index.html"))
                : HttpServer.class.getClassLoader().getResource(uiDirectory + "/index.html") != null;
        String host = options.bind().getHostAddress();
        int port = options.port();

        Javalin app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.jetty.host = host;
            cfg.jetty.port = port;
            QueuedThreadPool pool = new QueuedThreadPool(32, 2, 60_000);
            pool.setName("spindle-http");
            cfg.jetty.threadPool = pool;
            cfg.http.maxRequestSize = JsonBody.MAX_BYTES;
            if (o.tlsKeystore() != null)
                cfg.jetty.addConnector((server, httpConfig) -> HttpsConnector.create(server, httpConfig, host, port, o.tlsKeystore(), o.tlsPassword()));
            // CORS only when asked, and only for the listed origins (no Access-Control-* headers otherwise)
            if (!o.allowedOrigins().isEmpty()) cfg.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
                rule.allowHost(o.allowedOrigins().get(0), o.allowedOrigins().subList(1, o.allowedOrigins().size()).toArray(String[]::new));
            }));
            cfg.router.ignoreTrailingSlashes = false; // "/ui" redirects to "/ui/"; the two must stay apart
            if (ui) cfg.staticFiles.add(sf -> {
                sf.hostedPath = "/ui";
                sf.directory = uiPath;
                sf.location = external ? Location.EXTERNAL : Location.CLASSPATH;
            });
            var r = cfg.routes;
            r.before(http::before);
            r.before(auth::check);
            r.after(http::after);
            get(r, routes, "/", grafana::root);
            post(r, routes, "/metrics", grafana::metrics);
            post(r, routes, "/metric-payload-options", grafana::payloadOptions);
            post(r, routes, "/query", grafana::query);
            post(r, routes, "/variable", grafana::variable);
            post(r, routes, "/tag-keys", grafana::tagKeys);
            post(r, routes, "/tag-values", grafana::tagValues);
            get(r, routes, "/metrics", ctx -> ctx.contentType(Metrics.CONTENT_TYPE).result(metrics.render()));
            get(r, routes, "/healthz", health::healthz);
            get(r, routes, "/readyz", health::readyz);
            get(r, routes, "/api/v1/series", dashboard::series);
            get(r, routes, "/api/v1/points", dashboard::points);
            post(r, routes, BearerAuth.ADMIN_PREFIX + "retention", admin::retention);
            get(r, routes, "/ui", ctx -> {
                if (!ui) throw ApiError.notFound("the dashboard is not part of this build (no " + uiDirectory + "/index.html on the classpath)");
                ctx.redirect("/ui/", HttpStatus.FOUND);
            });
            r.exception(ApiError.class, (e, ctx) -> error(ctx, e.status, e.getMessage()));
            r.exception(StoreException.class, (e, ctx) -> error(ctx, 503, "store unavailable: " + e.getMessage()));
            r.exception(Exception.class, (e, ctx) -> error(ctx, 500, "internal error: " + e));
        });
        try {
            app.start();
        } catch (RuntimeException e) {
            health.close();
            throw new IllegalStateException("HTTP server cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        InetAddress a = options.bind();
        String shown = a.isAnyLocalAddress() ? "127.0.0.1" : a instanceof Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
        return new HttpServer(app, health, (o.tlsKeystore() != null ? "https://" : "http://") + shown + ":" + app.port() + "/");
    }

    private static void get(io.javalin.config.RoutesConfig r, Set<String> routes, String path, Handler h) {
        routes.add(path);
        r.get(path, h);
    }

    private static void post(io.javalin.config.RoutesConfig r, Set<String> routes, String path, Handler h) {
        routes.add(path);
        r.post(path, h);
    }

    private static void error(Context ctx, int status, String message) {
        ctx.status(status);
        try {
            JsonOut o = new JsonOut();
            o.g.writeStartObject();
            o.g.writeStringField("error", message);
            o.g.writeEndObject();
            GrafanaApi.json(ctx, o);
        } catch (java.io.IOException e) {
            ctx.result("{\"error\":\"internal error\"}");
        }
    }

    /** The port listened on. */
    public int port() {
        return app.port();
    }

    /** The base URL, like {@code http://127.0.0.1:PORT/}. */
    public String url() {
        return url;
    }

    /** Stops serving; idempotent. The store stays open (its owner closes it). */
    @Override
    public void close() {
        app.stop();
        health.close();
    }
}
