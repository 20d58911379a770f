package io.spindle.http;

import io.javalin.http.Context;
import io.spindle.store.SeriesStore;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.Set;

/**
 * The server's own metrics: request duration per endpoint (a histogram, so query time percentiles can be read from
 * Prometheus) and responses per endpoint and status code; the store's counters and commit latency; a few JVM gauges.
 * The endpoint label is the route, never the raw path, so that scanners cannot make label values up.
 */
final class ServerMetrics {
    private static final String START = "spindle.http.start";

    private final Metrics metrics;
    private final Set<String> routes;

    ServerMetrics(Metrics metrics, Set<String> routes) {
        this.metrics = metrics;
        this.routes = routes;
    }

    void before(Context ctx) {
        ctx.attribute(START, System.nanoTime());
    }

    void after(Context ctx) {
        Long start = ctx.attribute(START);
        String endpoint = endpoint(ctx.path());
        String method = ctx.method().name();
        if (start != null)
            metrics.histogram("spindle_http_request_duration_seconds", "Time to answer an HTTP request, by endpoint (query time for /query)",
                    Map.of("endpoint", endpoint, "method", method), Histogram.LATENCY_SECONDS).observeNanos(System.nanoTime() - start);
        metrics.counter("spindle_http_responses_total", "HTTP responses by endpoint, method and status code",
                Map.of("endpoint", endpoint, "method", method, "code", Integer.toString(ctx.statusCode()))).inc();
    }

    private String endpoint(String path) {
        if (routes.contains(path)) return path;
        if (path.startsWith("/ui/")) return "/ui/";
        return "other";
    }

    /** Registers the store's counters and commit latency. */
    static void store(Metrics m, SeriesStore store) {
        m.counter("spindle_store_commits_total", "Store commits", () -> store.stats().commits());
        m.counter("spindle_store_rows_written_total", "Rows (raw samples, tier points, events) the store inserted", () -> store.stats().rowsWritten());
        m.counter("spindle_store_duplicates_total", "Rows the store refused as repeats (replays)", () -> store.stats().duplicates());
        m.counter("spindle_store_rows_expired_total", "Raw samples removed by retention", () -> store.stats().rowsExpired());
        m.counter("spindle_store_failed_commits_total", "Store commits that failed (nothing written)", () -> store.stats().failedCommits());
        m.gauge("spindle_store_commit_seconds", "Store commit latency over recent commits", Map.of("quantile", "0.5"), () -> store.stats().commitP50Ms() / 1e3);
        m.gauge("spindle_store_commit_seconds", "Store commit latency over recent commits", Map.of("quantile", "0.99"), () -> store.stats().commitP99Ms() / 1e3);
    }

    /** Registers JVM heap and thread gauges. */
    static void jvm(Metrics m) {
        var mem = ManagementFactory.getMemoryMXBean();
        var threads = ManagementFactory.getThreadMXBean();
        m.gauge("spindle_jvm_heap_used_bytes", "JVM heap in use", () -> mem.getHeapMemoryUsage().getUsed());
        m.gauge("spindle_jvm_heap_max_bytes", "JVM heap limit", () -> mem.getHeapMemoryUsage().getMax());
        m.gauge("spindle_jvm_threads", "Live JVM threads", threads::getThreadCount);
        m.gauge("spindle_process_uptime_seconds", "Seconds since the JVM started", () -> ManagementFactory.getRuntimeMXBean().getUptime() / 1e3);
    }
}
