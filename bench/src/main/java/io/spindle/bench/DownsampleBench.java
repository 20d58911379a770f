package io.spindle.bench;

import io.spindle.downsample.Algorithm;
import io.spindle.downsample.stream.StreamConfig;
import io.spindle.downsample.stream.StreamingLttb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The harness behind {@code spindle bench downsample}: on one {@link BenchData} series it times lttb, minmaxlttb,
 * m4, streaming_lttb and a summing pass in this JVM, then the Node and C peers on the same numbers, each as the
 * median of several runs after warm-up, and checks that every LTTB peer kept exactly threshold points.
 */
public final class DownsampleBench {
    /** Samples per add(long[], double[], from, to) call of the streaming engine. */
    public static final int STREAM_CHUNK = 4096;

    /**
     * What to measure.
     *
     * @param points      samples in the series, at least 3
     * @param threshold   points to keep, from 3 to points - 1 (so that every peer really downsamples)
     * @param warmups     untimed runs per contestant, at least 0
     * @param runs        timed runs per contestant, at least 1
     * @param spindleHome the Spindle checkout holding bench/peers
     */
    public record Config(int points, int threshold, int warmups, int runs, Path spindleHome) {
        public Config {
            if (points < 3) throw new IllegalArgumentException("--points must be at least 3, got " + points);
            if (threshold < 3 || threshold >= points)
                throw new IllegalArgumentException("--threshold must be from 3 to points - 1 = " + (points - 1)
                        + " (below points, or there is nothing to downsample), got " + threshold);
            if (warmups < 0) throw new IllegalArgumentException("--warmups must be >= 0, got " + warmups);
            if (runs < 1) throw new IllegalArgumentException("--runs must be >= 1, got " + runs);
            if (spindleHome == null) throw new IllegalArgumentException("spindleHome must not be null");
        }
    }

    private final Config cfg;
    private final Consumer<String> progress;
    private final List<BenchResult> results = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private boolean failed;
    private int step;
    private int steps;

    /** A harness for config that reports progress lines ("bench: lttb 1/8 ...") to progress. */
    public DownsampleBench(Config config, Consumer<String> progress) {
        this.cfg = config;
        this.progress = progress;
    }

    /** The Spindle checkout named by the SPINDLE_HOME environment variable (set by the ./spindle launcher). */
    public static Path spindleHomeFromEnv() throws BenchException {
        String home = System.getenv("SPINDLE_HOME");
        if (home == null || home.isBlank())
            throw new BenchException("SPINDLE_HOME is not set; run through the ./spindle launcher or set it to the "
                    + "Spindle checkout (the directory that holds bench/peers)");
        return checkHome(Path.of(home));
    }

    /** home itself when it holds bench/peers, else a failure saying so. */
    public static Path checkHome(Path home) throws BenchException {
        if (!Files.isDirectory(home.resolve("bench/peers")))
            throw new BenchException("SPINDLE_HOME=" + home + " is not a Spindle checkout: " + home.resolve("bench/peers")
                    + " does not exist");
        return home;
    }

    /** Runs every contestant once in turn; contestants that cannot run here are left out and explained in notes. */
    public DownsampleReport run() throws BenchException {
        int n = cfg.points();
        long need = 24L * n + 64L * cfg.threshold();
        long max = Runtime.getRuntime().maxMemory();
        if (need > max * 0.8)
            throw new BenchException("--points " + n + " needs about " + (need >> 20) + " MB of heap but the JVM has "
                    + (max >> 20) + " MB; use fewer points or raise -Xmx (SPINDLE_JAVA_OPTS=-Xmx...)");
        String nodeMissing = NodePeers.unavailable();
        String gccMissing = NativePeer.unavailable();
        steps = 5 + (nodeMissing == null ? NodePeers.PEERS.size() : 0) + (gccMissing == null ? 1 : 0);

        progress.accept(String.format(Locale.ROOT, "bench: generating %,d samples (20 kHz synthetic vibration) ...", n));
        BenchData data = BenchData.generate(n);
        notes.add(String.format(Locale.ROOT, "data: synthetic 20 kHz spindle vibration (sines, bearing-fault bursts, "
                + "gaussian noise; seed 0x%X); batch algorithms and peers use x = (double) sample index, "
                + "streaming_lttb uses t = %d ns + i * %d ns", BenchData.SEED, BenchData.START_NANOS, BenchData.STEP_NANOS));
        notes.add("java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
                + ", " + Runtime.getRuntime().availableProcessors() + " cpus");

        BatchPass lttb = new BatchPass(Algorithm.LTTB, data, cfg.threshold());
        timeJava("lttb", lttb);
        timeJava("minmaxlttb", new BatchPass(Algorithm.MINMAXLTTB, data, cfg.threshold()));
        timeJava("m4", new BatchPass(Algorithm.M4, data, cfg.threshold()));
        StreamPass stream = new StreamPass(data, cfg.threshold());
        timeJava("streaming_lttb", stream);
        notes.add(String.format(Locale.ROOT, "streaming_lttb: %,d-sample chunks via add(long[],double[],from,to) then "
                + "flush(); bucket %,d ns, so about %d buckets", STREAM_CHUNK, stream.bucketNanos, cfg.threshold()));
        timeJava("sum_pass", new SumPass(data));
        notes.add("sum_pass: one Java pass summing y with four accumulators, the memory-bandwidth floor");

        BenchResult ref = results.get(0);
        runPeers(data, ref);
        if (nodeMissing != null) notes.add("js_downsample, js_downsample_lttb omitted: " + nodeMissing);
        if (gccMissing != null) notes.add(NativePeer.NAME + " omitted: " + gccMissing);
        return new DownsampleReport(n, cfg.threshold(), cfg.warmups(), cfg.runs(), results, notes, failed);
    }

    private void runPeers(BenchData data, BenchResult ref) throws BenchException {
        boolean node = NodePeers.unavailable() == null, gcc = NativePeer.unavailable() == null;
        if (!node && !gcc) return;
        progress.accept("bench: writing the series for the peers ...");
        try (PeerInput input = PeerInput.write(data)) {
            notes.add("peers read " + input.n() + " little-endian float64 x then y from a temp file and time "
                    + "themselves in-process, excluding start-up, reading and converting into their input shape");
            if (node) {
                NodePeers peers = new NodePeers(cfg.spindleHome(), progress);
                try {
                    peers.install();
                    notes.add("node " + version("node", "--version") + ": js_downsample calls LTTB(data, threshold) of "
                            + "npm downsample 1.4.0 on an array of [x, y]; js_downsample_lttb calls processData(data, "
                            + "threshold) of npm downsample-lttb 0.0.1 on an array of [x, y]");
                    for (String[] p : NodePeers.PEERS) {
                        peer(p[0], "node", ref, () -> peers.run(p[0], p[1], input, cfg.threshold(), cfg.warmups(), cfg.runs()));
                    }
                } catch (BenchException e) {
                    fail("JavaScript peers not run: " + e.getMessage());
                }
            }
            if (gcc) {
                NativePeer c = new NativePeer(cfg.spindleHome(), progress);
                try {
                    Path exe = c.build();
                    notes.add(NativePeer.NAME + ": bench/peers/c/lttb.c, gcc " + version("gcc", "-dumpfullversion")
                            + " -O3, run natively");
                    peer(NativePeer.NAME, "native", ref, () -> c.run(exe, input, cfg.threshold(), cfg.warmups(), cfg.runs()));
                } catch (BenchException e) {
                    fail(NativePeer.NAME + " not run: " + e.getMessage());
                }
            }
        }
    }

    private interface PeerCall {
        PeerProcess.Output call() throws BenchException;
    }

    private void peer(String name, String kind, BenchResult ref, PeerCall call) {
        int at = ++step;
        progress.accept(String.format(Locale.ROOT, "bench: %s %d/%d (%s, %d warmups + %d runs) ...", name, at, steps,
                kind, cfg.warmups(), cfg.runs()));
        PeerProcess.Output out;
        try {
            out = call.call();
        } catch (BenchException e) {
            fail(name + " failed: " + e.getMessage());
            return;
        }
        int n = cfg.points();
        if (out.selected() != cfg.threshold()) {
            fail(name + " kept " + out.selected() + " points, not the threshold " + cfg.threshold() + "; result dropped");
            return;
        }
        // First and last are always kept, all indices lie in [0, n): anything outside did not select real samples.
        if (out.indexSum() < n - 1 || out.indexSum() > (long) cfg.threshold() * (n - 1)) {
            fail(name + " reported index sum " + out.indexSum() + ", impossible for " + cfg.threshold()
                    + " distinct indices of " + n + " samples; result dropped");
            return;
        }
        boolean same = out.selected() == ref.selected() && out.indexSum() == ref.indexSum();
        if (!same) notes.add(name + " selects other points than lttb (index sum " + out.indexSum() + " vs "
                + ref.indexSum() + ")");
        BenchResult r = new BenchResult(name, kind, out.medianMs(), out.runs(), out.selected(), out.indexSum(), same);
        results.add(r);
        progress.accept(String.format(Locale.ROOT, "bench: %s %d/%d median %.2f ms = %.1f M points/s", name, at, steps,
                r.medianMs(), r.pointsPerSec(n) / 1e6));
    }

    private void fail(String note) {
        failed = true;
        notes.add(note);
        progress.accept("bench: " + note);
    }

    private String version(String tool, String flag) {
        try {
            return PeerProcess.run(List.of(tool, flag), cfg.spindleHome(), Duration.ofSeconds(30), tool, s -> {
            }, false).strip();
        } catch (BenchException e) {
            return "(version unknown)";
        }
    }

    /** One Java pass over the whole series; returns how many points it kept, or -1 when it keeps none. */
    private interface Pass {
        int run();

        /** Sum of the indices kept by the last pass. */
        long indexSum();
    }

    private void timeJava(String name, Pass pass) {
        int at = ++step;
        System.gc(); // so that garbage of the previous contestant is not collected on this one's clock
        for (int w = 0; w < cfg.warmups(); w++) {
            long t0 = System.nanoTime();
            pass.run();
            progress.accept(String.format(Locale.ROOT, "bench: %s %d/%d warmup %d/%d %.2f ms", name, at, steps, w + 1,
                    cfg.warmups(), (System.nanoTime() - t0) / 1e6));
        }
        long[] ns = new long[cfg.runs()];
        int kept = 0;
        for (int r = 0; r < ns.length; r++) {
            long t0 = System.nanoTime();
            kept = pass.run();
            ns[r] = System.nanoTime() - t0;
            progress.accept(String.format(Locale.ROOT, "bench: %s %d/%d run %d/%d %.2f ms", name, at, steps, r + 1,
                    ns.length, ns[r] / 1e6));
        }
        BenchResult res = new BenchResult(name, "java", median(ns) / 1e6, ns.length, kept,
                kept < 0 ? -1 : pass.indexSum(), null);
        results.add(res);
        progress.accept(String.format(Locale.ROOT, "bench: %s %d/%d median %.2f ms = %.1f M points/s", name, at, steps,
                res.medianMs(), res.pointsPerSec(cfg.points()) / 1e6));
    }

    static double median(long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2.0;
    }

    /** A batch algorithm on (x, y) with an output buffer allocated once. */
    private static final class BatchPass implements Pass {
        private final Algorithm algorithm;
        private final double[] x, y;
        private final int threshold;
        private final int[] out;
        private int kept;

        BatchPass(Algorithm algorithm, BenchData data, int threshold) {
            this.algorithm = algorithm;
            this.x = data.x();
            this.y = data.y();
            this.threshold = threshold;
            this.out = new int[Algorithm.maxOutput(data.n(), threshold)];
        }

        @Override
        public int run() {
            kept = algorithm.select(x, y, x.length, threshold, out);
            return kept;
        }

        @Override
        public long indexSum() {
            long s = 0;
            for (int i = 0; i < kept; i++) s += out[i];
            return s;
        }
    }

    /** A fresh streaming engine fed the whole series in chunks, then flushed. */
    private static final class StreamPass implements Pass {
        private final long[] t;
        private final double[] y;
        final long bucketNanos;
        private int kept;
        private long sum;

        StreamPass(BenchData data, int threshold) {
            this.t = data.t();
            this.y = data.y();
            long span = (long) data.n() * BenchData.STEP_NANOS;
            this.bucketNanos = Math.max(1, (span + threshold - 1) / threshold);
        }

        @Override
        public int run() {
            kept = 0;
            sum = 0;
            StreamingLttb engine = new StreamingLttb(StreamConfig.of(bucketNanos), (tn, v) -> {
                kept++;
                sum += (tn - BenchData.START_NANOS) / BenchData.STEP_NANOS;
            });
            int n = t.length;
            for (int from = 0; from < n; from += STREAM_CHUNK) engine.add(t, y, from, Math.min(n, from + STREAM_CHUNK));
            engine.flush();
            return kept;
        }

        @Override
        public long indexSum() {
            return sum;
        }
    }

    /** Sums y: the least work any pass over the series can do. */
    private static final class SumPass implements Pass {
        private final double[] y;
        double total; // a field store, so the JIT cannot drop the sum as dead code

        SumPass(BenchData data) {
            this.y = data.y();
        }

        @Override
        public int run() {
            // Four independent accumulators: one chain of dependent adds would measure add latency, not memory.
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            int n = y.length, i = 0;
            for (; i + 3 < n; i += 4) {
                s0 += y[i];
                s1 += y[i + 1];
                s2 += y[i + 2];
                s3 += y[i + 3];
            }
            for (; i < n; i++) s0 += y[i];
            total = (s0 + s1) + (s2 + s3);
            return -1;
        }

        @Override
        public long indexSum() {
            return -1;
        }
    }
}
