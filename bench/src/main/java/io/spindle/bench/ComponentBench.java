package io.spindle.bench;

import io.spindle.downsample.stream.StreamConfig;
import io.spindle.downsample.stream.StreamingLttb;
import io.spindle.wasm.Component;
import io.spindle.wasm.ComponentException;
import io.spindle.wasm.ComponentRuntime;
import io.spindle.wasm.ConfigCapability;
import io.spindle.wasm.Emitted;
import io.spindle.wasm.Engine;
import io.spindle.wasm.Grants;
import io.spindle.wasm.InstanceLimits;
import io.spindle.wasm.LogCapability;
import io.spindle.wasm.ProcessorInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The harness behind {@code spindle bench component}: the streaming LTTB as Java ({@link StreamingLttb}) and as a
 * WebAssembly component (lttb.wasm) under the Chicory compiler and interpreter, fed the same {@link BenchData} series
 * in batches, each timed as the median of several runs after warm-up, with the outputs checked equal (count and an
 * order-sensitive checksum of times and value bits). Also times instantiation: cold (a new runtime with an empty disk
 * cache: load, compile, instantiate), warm (the compiled module cached in memory) and from the disk cache (a new
 * runtime over a filled cache directory, as a restarted host).
 */
public final class ComponentBench {
    /** Samples per process call. */
    public static final int DEFAULT_BATCH = 4096;
    /** The interpreter is timed on the first this-many samples of the series (it is two orders slower). */
    public static final int INTERPRETED_SAMPLES = 200_000;
    /** Where the component lives in a checkout. */
    public static final String DEFAULT_COMPONENT = "components/lttb/lttb.wasm";

    private static final long CHECKSUM_PRIME = 0x100000001B3L;

    /**
     * What to measure.
     *
     * @param points    samples in the series, at least 3
     * @param threshold about how many points the bucket width gives (bucket = span / threshold), at least 1
     * @param batch     samples per process / add call, at least 1
     * @param warmups   untimed runs per contestant, at least 0
     * @param runs      timed runs per contestant, at least 1
     * @param component the lttb.wasm to measure
     */
    public record Config(int points, int threshold, int batch, int warmups, int runs, Path component) {
        public Config {
            if (points < 3) throw new IllegalArgumentException("--points must be at least 3, got " + points);
            if (threshold < 1) throw new IllegalArgumentException("--threshold must be at least 1, got " + threshold);
            if (batch < 1) throw new IllegalArgumentException("--batch must be at least 1, got " + batch);
            if (warmups < 0) throw new IllegalArgumentException("--warmups must be >= 0, got " + warmups);
            if (runs < 1) throw new IllegalArgumentException("--runs must be >= 1, got " + runs);
            if (component == null) throw new IllegalArgumentException("component must not be null");
        }
    }

    private final Config cfg;
    private final Consumer<String> progress;
    private final List<String> notes = new ArrayList<>();
    private final InstanceLimits limits = InstanceLimits.DEFAULTS.withCallDeadline(Duration.ofSeconds(60));
    private boolean failed;

    /** A harness for config that reports progress lines ("bench: wasm_compiled run 3/5 ...") to progress. */
    public ComponentBench(Config config, Consumer<String> progress) {
        this.cfg = config;
        this.progress = progress;
    }

    /** The component in a checkout: home/components/lttb/lttb.wasm. */
    public static Path defaultComponent(Path spindleHome) {
        return spindleHome.resolve(DEFAULT_COMPONENT);
    }

    /** Runs everything once in turn; a mismatch between Java and a Wasm engine marks the report failed. */
    public ComponentReport run() throws BenchException {
        int n = cfg.points();
        long need = 24L * n + (64L << 20);
        long max = Runtime.getRuntime().maxMemory();
        if (need > max * 0.8)
            throw new BenchException("--points " + n + " needs about " + (need >> 20) + " MB of heap but the JVM has "
                    + (max >> 20) + " MB; use fewer points or raise -Xmx (SPINDLE_JAVA_OPTS=-Xmx...)");
        byte[] bytes = readComponent();
        String name = cfg.component().getFileName().toString().replaceFirst("\\.wasm$", "");
        long span = (long) n * BenchData.STEP_NANOS;
        long bucketNanos = Math.max(1, (span + cfg.threshold() - 1) / cfg.threshold());
        Grants grants = Grants.of(new ConfigCapability(Map.of("bucket-nanos", Long.toString(bucketNanos))),
                new LogCapability((component, call, level, message) ->
                        progress.accept("bench: [" + component + " " + call + "] " + level + ": " + message)));

        // Instantiation first, so that the first cold compile really is the JVM's first.
        double[] inst = instantiation(name, bytes, grants);

        progress.accept(String.format(Locale.ROOT, "bench: generating %,d samples (20 kHz synthetic vibration) ...", n));
        BenchData data = BenchData.generate(n);
        notes.add(String.format(Locale.ROOT, "data: synthetic 20 kHz spindle vibration (seed 0x%X), t = %d ns + i * %d ns, "
                + "fed in %,d-sample batches; bucket %,d ns, so about %,d points", BenchData.SEED, BenchData.START_NANOS,
                BenchData.STEP_NANOS, cfg.batch(), bucketNanos, cfg.threshold()));
        notes.add("java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + "), "
                + Runtime.getRuntime().availableProcessors() + " cpus; wasm on Chicory (compiled: JVM bytecode; "
                + "interpreted: Chicory's interpreter)");

        ComponentRuntime runtime = new ComponentRuntime(limits, null);
        Component component = load(runtime, name, bytes);
        List<ComponentResult> results = new ArrayList<>();

        ComponentResult java = time("java", "java", n, () -> javaPass(data, n, bucketNanos));
        results.add(java);
        ComponentResult compiled = time("wasm_compiled", "wasm", n,
                () -> wasmPass(runtime, component, grants, Engine.COMPILED, data, n));
        results.add(compiled.comparedWith(java));
        check(compiled, java, "java");

        int m = Math.min(n, INTERPRETED_SAMPLES);
        ComponentResult javaPrefix = m == n ? java : javaPass(data, m, bucketNanos).asResult("java", "java", m, 0, 0);
        ComponentResult interpreted = time("wasm_interpreted", "wasm", m,
                () -> wasmPass(runtime, component, grants, Engine.INTERPRETED, data, m));
        results.add(interpreted.comparedWith(javaPrefix));
        check(interpreted, javaPrefix, m == n ? "java" : "java on the same " + String.format(Locale.ROOT, "%,d", m) + " samples");
        if (m < n) {
            notes.add(String.format(Locale.ROOT, "wasm_interpreted: timed on the first %,d samples (same bucket width), "
                    + "its samples/s is that prefix over its median time", m));
        }
        notes.add(String.format(Locale.ROOT, "instantiate: cold = new runtime with an empty disk cache, load + compile + "
                + "instantiate (first one in this JVM %.1f ms); warm = instantiate again, compiled module in memory; "
                + "disk cache = new runtime over the filled cache directory, load + instantiate", inst[1]));
        return new ComponentReport(n, cfg.threshold(), cfg.batch(), bucketNanos, cfg.warmups(), cfg.runs(), results,
                inst[0], inst[1], inst[2], inst[3], bytes.length, cfg.component().toString(), component.sha256(),
                notes, failed);
    }

    private byte[] readComponent() throws BenchException {
        Path f = cfg.component();
        try {
            return Files.readAllBytes(f);
        } catch (NoSuchFileException e) {
            throw new BenchException(f + ": no such component (build it with components/build.sh, or pass --component FILE)");
        } catch (IOException e) {
            throw new BenchException(f + ": cannot read: " + e.getMessage(), e);
        }
    }

    private Component load(ComponentRuntime runtime, String name, byte[] bytes) throws BenchException {
        try {
            return runtime.load(name, bytes);
        } catch (ComponentException e) {
            throw new BenchException(cfg.component() + ": " + e.getMessage(), e);
        }
    }

    /** {cold median, cold first, warm median, disk-cache median} in ms. */
    private double[] instantiation(String name, byte[] bytes, Grants grants) throws BenchException {
        int total = cfg.warmups() + cfg.runs();
        long[] cold = new long[cfg.runs()], warm = new long[cfg.runs()], disk = new long[cfg.runs()];
        long first = 0;
        for (int r = 0; r < total; r++) {
            Path dir = tempDir();
            try {
                long t0 = System.nanoTime();
                ComponentRuntime rt = new ComponentRuntime(limits, dir);
                Component c = load(rt, name, bytes);
                instantiate(rt, c, grants).close();
                long coldNs = System.nanoTime() - t0;
                if (r == 0) first = coldNs;
                t0 = System.nanoTime();
                instantiate(rt, c, grants).close();
                long warmNs = System.nanoTime() - t0;
                t0 = System.nanoTime();
                ComponentRuntime restarted = new ComponentRuntime(limits, dir);
                instantiate(restarted, load(restarted, name, bytes), grants).close();
                long diskNs = System.nanoTime() - t0;
                if (restarted.cacheStats()[1] != 1) notes.add("instantiate from the disk cache compiled instead of "
                        + "reading the cache (cache stats " + java.util.Arrays.toString(restarted.cacheStats()) + ")");
                String what = r < cfg.warmups() ? "warmup " + (r + 1) + "/" + cfg.warmups() : "run " + (r - cfg.warmups() + 1) + "/" + cfg.runs();
                progress.accept(String.format(Locale.ROOT, "bench: instantiate %s cold %.1f ms, warm %.2f ms, disk cache %.1f ms",
                        what, coldNs / 1e6, warmNs / 1e6, diskNs / 1e6));
                if (r >= cfg.warmups()) {
                    cold[r - cfg.warmups()] = coldNs;
                    warm[r - cfg.warmups()] = warmNs;
                    disk[r - cfg.warmups()] = diskNs;
                }
            } finally {
                deleteTree(dir);
            }
        }
        return new double[] {DownsampleBench.median(cold) / 1e6, first / 1e6, DownsampleBench.median(warm) / 1e6,
                DownsampleBench.median(disk) / 1e6};
    }

    private ProcessorInstance instantiate(ComponentRuntime rt, Component c, Grants grants) throws BenchException {
        try {
            return rt.instantiate(c, grants, limits, Engine.COMPILED);
        } catch (ComponentException e) {
            throw new BenchException(cfg.component() + ": " + e.getMessage(), e);
        }
    }

    private static Path tempDir() throws BenchException {
        try {
            return Files.createTempDirectory("spindle-bench-components");
        } catch (IOException e) {
            throw new BenchException("cannot create a temp directory for the compile cache: " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }

    /** What one pass emitted: count and checksum. */
    private record Pass(long emitted, long checksum) {
        ComponentResult asResult(String name, String kind, int samples, double medianMs, int runs) {
            return new ComponentResult(name, kind, samples, medianMs, runs, emitted, checksum, null);
        }
    }

    private interface PassBody {
        Pass run() throws BenchException;
    }

    private ComponentResult time(String name, String kind, int samples, PassBody body) throws BenchException {
        System.gc(); // so that garbage of the previous contestant is not collected on this one's clock
        for (int w = 0; w < cfg.warmups(); w++) {
            long t0 = System.nanoTime();
            body.run();
            progress.accept(String.format(Locale.ROOT, "bench: %s warmup %d/%d %.2f ms", name, w + 1, cfg.warmups(),
                    (System.nanoTime() - t0) / 1e6));
        }
        long[] ns = new long[cfg.runs()];
        Pass last = null;
        for (int r = 0; r < ns.length; r++) {
            long t0 = System.nanoTime();
            Pass p = body.run();
            ns[r] = System.nanoTime() - t0;
            if (last != null && !last.equals(p))
                fail(name + " emitted differently in two runs (" + last + " then " + p + ")");
            last = p;
            progress.accept(String.format(Locale.ROOT, "bench: %s run %d/%d %.2f ms", name, r + 1, ns.length, ns[r] / 1e6));
        }
        ComponentResult res = last.asResult(name, kind, samples, DownsampleBench.median(ns) / 1e6, ns.length);
        progress.accept(String.format(Locale.ROOT, "bench: %s median %.2f ms = %.2f M samples/s (%,d samples, %,d emitted)",
                name, res.medianMs(), res.samplesPerSec() / 1e6, samples, res.emitted()));
        return res;
    }

    private void check(ComponentResult got, ComponentResult want, String wantName) {
        if (got.emitted() != want.emitted() || got.checksum() != want.checksum()) {
            fail(String.format(Locale.ROOT, "%s emitted %,d points (checksum %016x) but %s %,d (checksum %016x): the "
                    + "component's output differs from the Java engine's", got.name(), got.emitted(), got.checksum(),
                    wantName, want.emitted(), want.checksum()));
        }
    }

    private void fail(String note) {
        failed = true;
        notes.add(note);
        progress.accept("bench: FAILED: " + note);
    }

    private static long mix(long h, long t, double v) {
        h = (h ^ t) * CHECKSUM_PRIME;
        return (h ^ Double.doubleToRawLongBits(v)) * CHECKSUM_PRIME;
    }

    private static void fold(Emitted out, long[] acc) {
        long[] ot = out.times();
        double[] ov = out.values();
        long h = acc[1];
        for (int i = 0, k = out.size(); i < k; i++) h = mix(h, ot[i], ov[i]);
        acc[0] += out.size();
        acc[1] = h;
    }

    private Pass javaPass(BenchData data, int n, long bucketNanos) {
        long[] acc = {0, 0xcbf29ce484222325L};
        StreamingLttb engine = new StreamingLttb(StreamConfig.of(bucketNanos), (t, v) -> {
            acc[0]++;
            acc[1] = mix(acc[1], t, v);
        });
        long[] t = data.t();
        double[] y = data.y();
        int b = cfg.batch();
        for (int from = 0; from < n; from += b) engine.add(t, y, from, Math.min(n, from + b));
        engine.flush();
        return new Pass(acc[0], acc[1]);
    }

    private Pass wasmPass(ComponentRuntime rt, Component c, Grants grants, Engine engine, BenchData data, int n)
            throws BenchException {
        long[] acc = {0, 0xcbf29ce484222325L};
        long[] t = data.t();
        double[] y = data.y();
        int b = cfg.batch();
        Emitted out = new Emitted();
        try (ProcessorInstance p = rt.instantiate(c, grants, limits, engine)) {
            for (int from = 0; from < n; from += b) {
                p.process("bench", t, y, from, Math.min(n, from + b), out);
                fold(out, acc);
            }
            p.flush("bench", out);
            fold(out, acc);
        } catch (ComponentException e) {
            throw new BenchException(cfg.component() + " (" + engine.name().toLowerCase(Locale.ROOT) + "): "
                    + e.getMessage(), e);
        }
        return new Pass(acc[0], acc[1]);
    }
}
