package io.spindle.cli;

import io.spindle.host.EdgePipeline;
import io.spindle.host.Host;
import io.spindle.http.HttpOptions;
import io.spindle.http.HttpServer;
import io.spindle.http.Metrics;
import io.spindle.lattice.LatticeClient;
import io.spindle.lattice.Subjects;
import io.spindle.lattice.transport.DurableStream;
import io.spindle.lattice.transport.InProcessTransport;
import io.spindle.providers.Interfaces;
import io.spindle.providers.Provider;
import io.spindle.providers.source.SourceProvider;
import io.spindle.providers.store.StoreProvider;
import io.spindle.sources.shdr.ShdrAdapter;
import io.spindle.store.SeriesStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The whole edge pipeline in one process, as {@code spindle demo} runs it: the embedded lattice (in-process, persistent
 * in the data directory), one host, an SHDR adapter replaying the real Okuma log over TCP to the SHDR source, the
 * machine simulator's vibration channels, messaging -> {@code lttb.wasm} -> messaging, and the SQLite store with its
 * raw ring and tiers. Prints a live status line while it runs and a summary at the end.
 */
final class PipelineDemo {
    /** What to run. */
    record Settings(Path dataDir, Duration duration, int channels, int rateHz, long bucketMs, Path shdrLog, double shdrSpeed,
                    Path component, int httpPort, boolean serve, HttpOptions http) {
    }

    /** What came out: per series and overall. */
    record Summary(List<SeriesRow> series, long samplesIn, long tier0Points, long tierPoints, long events, long rejected,
                   long outOfOrder, long wireBytes, double seconds, Path dataDir, String store, long adapterLines, String dashboard) {
        double reduction() {
            return tier0Points == 0 ? Double.NaN : (double) samplesIn / tier0Points;
        }

        double bytesPerSample() {
            return samplesIn == 0 ? Double.NaN : (double) wireBytes / samplesIn;
        }
    }

    /** One series: raw samples in the ring and points per tier. */
    record SeriesRow(String series, long raw, long[] tiers) {
    }

    private final Settings s;
    private final PrintWriter err;
    private final boolean tty;

    PipelineDemo(Settings settings, PrintWriter err, boolean tty) {
        this.s = settings;
        this.err = err;
        this.tty = tty;
    }

    Summary run() throws IOException, InterruptedException {
        Path dir = s.dataDir().toAbsolutePath().normalize();
        Files.createDirectories(dir);
        Path component = s.component() != null ? s.component() : bundledComponent(dir);
        String lattice = "demo";
        long started = System.nanoTime();
        ShdrAdapter adapter = null;
        HttpServer http = null;
        InProcessTransport t = new InProcessTransport(InProcessTransport.Options.persistent(dir.resolve("lattice")).withStreamSync(Duration.ofSeconds(1)));
        Host host = Host.builder(t).lattice(lattice).friendlyName("demo-edge").label("zone", "edge").dataDir(dir.resolve("host")).build().start();
        Thread hook = new Thread(() -> {
            host.close();
            t.close();
        }, "spindle-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Map<String, EdgePipeline.SourceSpec> sources = new LinkedHashMap<>();
            if (s.shdrLog() != null) {
                adapter = ShdrAdapter.builder(s.shdrLog()).bind(java.net.InetAddress.getLoopbackAddress()).port(0)
                        .speed(s.shdrSpeed()).loop(true).now(true).maxGap(Duration.ofSeconds(5)).start();
                err.printf(Locale.ROOT, "spindle: demo: SHDR adapter replays %s on 127.0.0.1:%d (%s, looping, timestamps from now)%n",
                        s.shdrLog(), adapter.port(), s.shdrSpeed() >= ShdrAdapter.MAX_SPEED ? "max speed" : s.shdrSpeed() + "x");
                sources.put("okuma", new EdgePipeline.SourceSpec(Interfaces.SHDR,
                        Map.of("host", "127.0.0.1", "port", Integer.toString(adapter.port()), "device", "okuma")));
            }
            if (s.channels() > 0)
                sources.put("sim", new EdgePipeline.SourceSpec(Interfaces.SIMULATOR, Map.of("machine", "sim", "seed", "42",
                        "channels", Integer.toString(s.channels()), "rate_hz", Integer.toString(s.rateHz()), "paced", "true")));
            EdgePipeline pipeline = new EdgePipeline(component, s.bucketMs() * 1_000_000L,
                    Map.of("uri", "sqlite:" + dir.resolve("spindle.db")), sources);
            LatticeClient client = new LatticeClient(t, lattice, Duration.ofSeconds(60));
            for (String step : pipeline.apply(client, host.id())) err.println("spindle: demo: " + step);
            StoreProvider store = provider(host, StoreProvider.class, EdgePipeline.STORE_ID);
            for (String id : sources.keySet()) sourceProviders.add(provider(host, SourceProvider.class, id));
            Subjects subj = new Subjects(lattice);
            DurableStream stream = t.stream(subj.dataStream(), List.of(subj.dataSubjects()));
            if (s.httpPort() >= 0) {
                Metrics metrics = new Metrics();
                PipelineMetrics.register(metrics, host, store, sourceProviders);
                http = startHttp(store, metrics);
                err.printf(Locale.ROOT, "spindle: demo: dashboard %sui/  (Grafana JSON datasource: %s, Prometheus: %smetrics)%n",
                        http.url(), http.url(), http.url());
                if (s.http().readToken() != null)
                    err.println("spindle: demo: reads need the bearer token (--http-read-token); the built-in dashboard sends none, "
                            + "so use Grafana with an Authorization header, or no read token on loopback");
            }
            err.printf(Locale.ROOT, "spindle: demo: data directory %s; running for %s (Ctrl-C stops early)%n", dir, human(s.duration()));

            long end = System.nanoTime() + s.duration().toNanos();
            long lastLine = 0;
            while (System.nanoTime() < end) {
                Thread.sleep(100);
                if (System.nanoTime() - lastLine >= 1_000_000_000L) {
                    lastLine = System.nanoTime();
                    status(host, store, stream, started, false);
                }
            }
            for (String id : sources.keySet()) client.stopProvider(host.id(), id); // flushes their batches
            long drainEnd = System.nanoTime() + 15_000_000_000L;
            while (System.nanoTime() < drainEnd && store.stats().committedSequence() < stream.lastSequence()) Thread.sleep(20);
            Thread.sleep(300); // lttb's last output of the drained input
            while (System.nanoTime() < drainEnd && store.stats().committedSequence() < stream.lastSequence()) Thread.sleep(20);
            status(host, store, stream, started, true);
            Summary sum = summary(store, dir, (System.nanoTime() - started) / 1e9, adapter, http == null ? null : http.url() + "ui/");
            if (http != null && s.serve()) {
                err.printf(Locale.ROOT, "spindle: demo: sources stopped; still serving %sui/ until Ctrl-C%n", http.url());
                err.flush();
                Thread.currentThread().join(); // until the shutdown hook ends the process
            }
            return sum;
        } finally {
            if (http != null) http.close();
            if (adapter != null) adapter.close();
            host.close();
            t.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
    }

    private record Totals(long in, long wire, long late, long rejected, long events) {
    }

    /** The source providers of this run (kept: a stopped provider leaves the host but keeps its counters). */
    private final List<SourceProvider> sourceProviders = new ArrayList<>();

    private Totals totals() {
        long in = 0, wire = 0, late = 0, rejected = 0, events = 0;
        for (SourceProvider sp : sourceProviders) {
            SourceProvider.Stats st = sp.stats();
            in += st.samples();
            wire += st.wireBytes();
            late += st.outOfOrder();
            rejected += st.rejected();
            events += st.events();
        }
        return new Totals(in, wire, late, rejected, events);
    }


    private void status(Host host, StoreProvider store, DurableStream stream, long started, boolean last) {
        Totals tot = totals();
        StoreProvider.Stats st = store.stats();
        long nowNs = System.currentTimeMillis() * 1_000_000L;
        double lagS = (nowNs - st.newestTier0Ns()) / 1e9;
        String lag = st.newestTier0Ns() == Long.MIN_VALUE ? "-" // a replay faster than 1x stamps data ahead of the clock
                : lagS >= 0 ? String.format(Locale.ROOT, "%.2fs", lagS) : String.format(Locale.ROOT, "-(ahead %.0fs)", -lagS);
        String line = String.format(Locale.ROOT, "[%5.1fs] in %,d samples  out %,d points (tier 0)  reduction %sx  late %,d  rejected %,d  "
                        + "lag %s (backlog %,d msgs)  %.2f B/sample",
                (System.nanoTime() - started) / 1e9, tot.in(), st.tier0Points(),
                st.tier0Points() == 0 ? "-" : String.format(Locale.ROOT, "%.0f", (double) tot.in() / st.tier0Points()),
                tot.late(), tot.rejected(), lag, st.backlog(), tot.in() == 0 ? 0.0 : (double) tot.wire() / tot.in());
        if (tty && !last) {
            err.print("\r" + line + "\u001b[K");
        } else {
            if (tty) err.print("\r");
            err.println(line);
        }
        err.flush();
    }

    /** The HTTP server on the requested port, or on a free one when that is taken. */
    private HttpServer startHttp(StoreProvider store, Metrics metrics) {
        try {
            return HttpServer.start(s.http().withPort(s.httpPort()), store.store(), store.tiers(), metrics);
        } catch (IllegalStateException e) { // cannot listen; bad TLS or token options fail as IllegalArgumentException
            if (s.httpPort() == 0) throw e;
            err.printf(Locale.ROOT, "spindle: demo: port %d is taken (%s); serving on a free port instead%n", s.httpPort(), e.getMessage());
            return HttpServer.start(s.http().withPort(0), store.store(), store.tiers(), new Metrics());
        }
    }

    private Summary summary(StoreProvider sp, Path dir, double seconds, ShdrAdapter adapter, String dashboard) {
        SeriesStore store = sp.store();
        int levels = sp.tiers().levels();
        List<SeriesRow> rows = new ArrayList<>();
        for (SeriesStore.SeriesInfo si : store.series()) {
            long[] tiers = new long[levels];
            for (int k = 0; k < levels; k++) tiers[k] = si.tierCounts().length > k ? si.tierCounts()[k] : 0;
            rows.add(new SeriesRow(si.series(), si.rawCount(), tiers));
        }
        rows.sort(java.util.Comparator.comparing(SeriesRow::series));
        StoreProvider.Stats st = sp.stats();
        Totals tot = totals();
        return new Summary(rows, tot.in(), st.tier0Points(), st.tierPoints(), st.events(), tot.rejected(), tot.late(), tot.wire(),
                seconds, dir, store.location(), adapter == null ? 0 : adapter.linesSent(), dashboard);
    }

    private static <P extends Provider> P provider(Host host, Class<P> type, String id) {
        for (Provider p : host.providers()) if (p.id().equals(id) && type.isInstance(p)) return type.cast(p);
        throw new IllegalStateException("provider " + id + " does not run on the demo host");
    }

    /** lttb.wasm from this JAR, written into the data directory (the host starts components from files or digests). */
    static Path bundledComponent(Path dir) throws IOException {
        Path out = dir.resolve("components").resolve("lttb.wasm");
        try (InputStream in = PipelineDemo.class.getResourceAsStream("components/lttb.wasm")) {
            if (in == null) throw new IOException("lttb.wasm is not in this build of spindle (pass --component FILE)");
            Files.createDirectories(out.getParent());
            Path tmp = Files.createTempFile(out.getParent(), "lttb", ".tmp");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return out;
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        return s >= 60 ? (s / 60) + " min " + (s % 60) + " s" : d.toMillis() % 1000 == 0 ? s + " s" : d.toMillis() + " ms";
    }
}
