package io.spindle.bench;

import io.spindle.downsample.stream.StreamConfig;
import io.spindle.downsample.tier.TierConfig;
import io.spindle.http.HttpOptions;
import io.spindle.http.HttpServer;
import io.spindle.http.Metrics;
import io.spindle.store.SeriesStore;
import io.spindle.store.StoreConfig;
import io.spindle.store.StoreException;
import io.spindle.store.Stores;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The harness behind {@code spindle bench query} (issue 7's goal): fills a SQLite store with N raw-equivalent samples
 * of one series through the tiers ({@link QueryFill}: the real streaming LTTB chain, tier 0 bucket 10 ms, factor 4,
 * 6 tiers, as the edge pipeline's defaults; the newest ten minutes also as raw), starts the HTTP server on it and
 * times {@code POST /query} for maxDataPoints 50, 500, 2,000 and 5,000 over ranges from one minute to the whole
 * series ({@link QueryLoad}). A filled store can be kept ({@code keep}) and reused ({@code reuse}), skipping the fill.
 */
public final class QueryBench {
    /** The store file inside a kept or reused directory. */
    public static final String STORE_FILE = "query-bench.db";
    /** Tier settings of the fill: the store provider's defaults. */
    static final long BUCKET_NANOS = 10_000_000L;
    static final int FACTOR = 4, LEVELS = 6;

    /**
     * What to run.
     *
     * @param samples  raw-equivalent samples to fill (ignored with reuse)
     * @param requests timed requests per cell (maxDataPoints × range)
     * @param warmups  untimed rounds before timing
     * @param keep     fill into this directory and keep it (null: a temporary directory, deleted after)
     * @param reuse    a directory kept by an earlier run: skip the fill (null: fill)
     */
    public record Config(long samples, int requests, int warmups, Path keep, Path reuse) {
        public Config {
            if (samples < 100_000 || samples > 100_000_000_000L)
                throw new IllegalArgumentException("--samples must be in [1e5, 1e11], got " + samples);
            if (requests < 1 || requests > 1_000_000) throw new IllegalArgumentException("--requests must be in [1, 1000000], got " + requests);
            if (warmups < 0 || warmups > 100_000) throw new IllegalArgumentException("--warmups must be in [0, 100000], got " + warmups);
            if (keep != null && reuse != null)
                throw new IllegalArgumentException("--keep and --store exclude each other (--store already reuses a kept store)");
        }
    }

    /** A sample count as written on the command line: digits (with optional '_') or a number like 1e9. */
    public static long parseCount(String s) {
        String t = s == null ? "" : s.trim().replace("_", "");
        try {
            if (t.matches("[0-9]+")) return Long.parseLong(t);
            double d = Double.parseDouble(t);
            if (d == Math.rint(d) && d >= 0 && d < 9.2e18) return (long) d;
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw new IllegalArgumentException("'" + s + "' is not a whole number of samples (write e.g. 1000000000 or 1e9)");
    }

    private final Config cfg;
    private final Consumer<String> progress;

    public QueryBench(Config cfg, Consumer<String> progress) {
        this.cfg = cfg;
        this.progress = progress;
    }

    /** Fills (or reuses) the store, serves it and measures; BenchException when a step fails or a response is wrong. */
    public QueryReport run() throws BenchException {
        List<String> notes = new ArrayList<>();
        Path dir = directory();
        Path file = dir.resolve(STORE_FILE);
        boolean temp = cfg.keep() == null && cfg.reuse() == null;
        try {
            QueryDataset ds;
            try (SeriesStore store = Stores.open("sqlite:" + file, StoreConfig.defaults())) {
                if (cfg.reuse() != null) {
                    ds = dataset(store, file);
                    say("reusing %s: %,d raw-equivalent samples of %s, %,d tier points (the fill took %.1f s)", file,
                            ds.samples(), ds.series(), ds.totalTierPoints(), ds.fillSeconds());
                } else {
                    say("filling %s with %,d raw-equivalent samples of one %d Hz series through %d tiers", file,
                            cfg.samples(), QueryFill.RATE_HZ, LEVELS);
                    TierConfig tiers = new TierConfig(StreamConfig.of(BUCKET_NANOS), FACTOR, LEVELS, 0, 1);
                    ds = new QueryFill(store, tiers, cfg.samples(), progress).run();
                }
                long bytes = sizeOf(dir);
                List<List<QueryCell>> cells;
                double load0 = QueryReport.loadAverage(), load1;
                try (HttpServer server = HttpServer.start(new HttpOptions(InetAddress.getLoopbackAddress(), 0, null), store,
                        ds.tiers(), new Metrics())) {
                    say("server at %s; %d warm-up rounds, then %d timed rounds", server.url(), cfg.warmups(), cfg.requests());
                    cells = new QueryLoad(URI.create(server.url()), ds, cfg.requests(), cfg.warmups(), progress, notes).run();
                    load1 = QueryReport.loadAverage();
                }
                notes.add("clock: from sending POST /query to having the whole body, one request at a time over one kept-alive "
                        + "HTTP/1.1 connection (java.net.http), server and client in this JVM; range starts drawn at random over the series");
                notes.add("cpu ms: CPU time of this process (server, client, GC, JIT) while a request ran, mean per request: "
                        + "what a query costs, unlike wall-clock latency little changed by other load on the machine");
                notes.add("fill: simulator vib0 at " + ds.rateHz() + " Hz -> streaming LTTB tier 0 (bucket " + ds.bucketNanos() / 1_000_000
                        + " ms) -> tiers 1-" + (ds.levels() - 1) + " (factor " + ds.factor() + ") -> WriteBatch commits; "
                        + "generation, chain and commits on three threads");
                return new QueryReport(ds, cfg.reuse() != null, store.location(), bytes, cfg.requests(), cells.get(0), cells.get(1),
                        load0, load1, notes);
            }
        } catch (StoreException e) {
            throw new BenchException("store " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new BenchException("the query bench failed: " + e, e);
        } finally {
            if (temp) deleteTree(dir);
        }
    }

    private Path directory() throws BenchException {
        try {
            if (cfg.reuse() != null) {
                Path f = cfg.reuse().resolve(STORE_FILE);
                if (!Files.isRegularFile(f))
                    throw new BenchException(cfg.reuse() + ": no " + STORE_FILE + " here (make one with --keep " + cfg.reuse() + ")");
                return cfg.reuse();
            }
            if (cfg.keep() != null) {
                Files.createDirectories(cfg.keep());
                if (Files.exists(cfg.keep().resolve(STORE_FILE)))
                    throw new BenchException(cfg.keep() + ": already holds " + STORE_FILE + "; reuse it with --store "
                            + cfg.keep() + ", or remove it to fill again");
                return cfg.keep();
            }
            return Files.createTempDirectory("spindle-bench-query");
        } catch (IOException e) {
            throw new BenchException("cannot prepare the store directory: " + e, e);
        }
    }

    private static QueryDataset dataset(SeriesStore store, Path file) throws BenchException {
        byte[] b = store.state(QueryDataset.STATE_KEY);
        if (b == null)
            throw new BenchException(file + ": not a complete bench query fill (no '" + QueryDataset.STATE_KEY
                    + "' record; an interrupted fill leaves none): fill again with --keep");
        try {
            return QueryDataset.fromBytes(b);
        } catch (IllegalArgumentException e) {
            throw new BenchException(file + ": " + e.getMessage(), e);
        }
    }

    private void say(String fmt, Object... args) {
        progress.accept("bench query: " + String.format(Locale.ROOT, fmt, args));
    }

    private static long sizeOf(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(STORE_FILE)).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            return -1;
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
