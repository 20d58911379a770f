package io.spindle.cli;

import io.spindle.downsample.stream.StreamConfig;
import io.spindle.wasm.Component;
import io.spindle.wasm.ComponentRuntime;
import io.spindle.wasm.ConfigCapability;
import io.spindle.wasm.Emitted;
import io.spindle.wasm.Engine;
import io.spindle.wasm.Grants;
import io.spindle.wasm.InstanceLimits;
import io.spindle.wasm.LogCapability;
import io.spindle.wasm.ProcessorInstance;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code spindle component run FILE --points N}: a processor component as a batch filter over x,y CSV. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Run a spindle:telemetry/processor component (e.g. components/lttb/lttb.wasm) over an x,y CSV "
                + "and print the x,y lines it emits.",
                "Input: one 'x,y' per line, no header, x an integer: the sample time in nanoseconds. The samples go "
                        + "to the component in input order, in batches of --batch, as one series; then the series is "
                        + "flushed. Output: the emitted samples, x as an integer, y in the shortest form that reads "
                        + "back to the same double.",
                "Bucket width: the component gets the configuration key bucket-nanos = the width D for which a "
                        + "streaming LTTB emits closest to N points on this input. On the absolute grid [k*D, (k+1)*D) "
                        + "a segment (a run of samples without gap-buckets, default 3, empty buckets in a row) emits "
                        + "its first and last samples plus one point per bucket holding any of its other samples; D "
                        + "is found by bisection from (max x - min x + 1) / (N - 2): the smallest D giving at most N "
                        + "points, or the next narrower one tried when that lands closer to N. On fine time grids "
                        + "(nanoseconds) the count is within a fraction of a percent of N; on coarse ones (x = 0, 1, "
                        + "2, ...) it moves in steps. --config bucket-nanos=D sets it directly.",
                "Samples arriving later than the component's allowed lateness (by default one bucket, at most 1 s) "
                        + "are refused; refused (late) and invalid (NaN, infinite) counts go to stderr. Guest log lines "
                        + "go to stderr. A component that traps, breaks a limit or returns an error fails the run "
                        + "with exit code 1 and its error on stderr."},
        footer = {"", "Example: spindle component run components/lttb/lttb.wasm --points 500 --input series.csv"})
final class ComponentRunCommand implements Callable<Integer> {
    /** Inputs longer than this get progress lines on stderr. */
    private static final int PROGRESS_MIN_SAMPLES = 1_000_000;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The processor component (.wasm).")
    Path file;

    @Option(names = "--points", required = true, paramLabel = "N", description = "About how many points to emit (>= 3).")
    int points;

    @Option(names = "--input", paramLabel = "CSV", description = "The x,y CSV file (default: stdin).")
    Path input;

    @Option(names = "--series", paramLabel = "NAME", description = "Series name given to the component (default: the "
            + "input's file name, or stdin).")
    String series;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "compiled", converter = EngineOption.class,
            completionCandidates = EngineOption.Ids.class,
            description = "compiled (to JVM bytecode, cached) or interpreted (default ${DEFAULT-VALUE}).")
    Engine engine;

    @Option(names = "--config", paramLabel = "KEY=VALUE", description = "A configuration entry for the component, "
            + "repeatable; overrides the computed ones (e.g. --config bucket-nanos=1000000).")
    List<String> config = List.of();

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationOption.class,
            description = "Deadline of each call into the component, e.g. 500ms, 2s (a plain number is seconds; "
                    + "default 2s).")
    Duration timeout;

    @Option(names = "--memory-pages", paramLabel = "PAGES",
            description = "Most 64 KiB pages of linear memory the component may use (default 1024 = 64 MiB).")
    Integer memoryPages;

    @Option(names = "--batch", paramLabel = "SAMPLES", defaultValue = "4096",
            description = "Samples per process call (default ${DEFAULT-VALUE}).")
    int batch;

    @Override
    public Integer call() {
        if (points < 3) throw new ParameterException(spec.commandLine(), "--points must be >= 3, got " + points);
        if (batch < 1) throw new ParameterException(spec.commandLine(), "--batch must be >= 1, got " + batch);
        InstanceLimits limits = InstanceLimits.DEFAULTS;
        try {
            if (timeout != null) limits = limits.withCallDeadline(timeout);
            if (memoryPages != null) limits = limits.withMaxMemoryPages(memoryPages);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), (timeout != null && (timeout.isZero() || timeout.isNegative())
                    ? "--timeout must be positive, got " + timeout.toMillis() + " ms" : "--memory-pages must be in 1..65536, got " + memoryPages));
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String kv : config) {
            int eq = kv.indexOf('=');
            if (eq <= 0) throw new ParameterException(spec.commandLine(), "--config takes KEY=VALUE, got '" + kv + "'");
            overrides.put(kv.substring(0, eq).strip(), kv.substring(eq + 1));
        }
        PrintWriter err = spec.commandLine().getErr();
        ComponentRuntime runtime = new ComponentRuntime(limits, ComponentCache.dir());
        Component component = ComponentCommand.load(runtime, file);

        String source = input == null ? "stdin" : input.toString();
        TimedSeries s = XyInput.readTimed(input);
        boolean progress = s.n >= PROGRESS_MIN_SAMPLES;
        String name = series != null ? series : input == null ? "stdin"
                : input.getFileName() == null ? input.toString() : input.getFileName().toString();

        Map<String, String> cfg = new LinkedHashMap<>();
        if (!overrides.containsKey("bucket-nanos")) {
            int gap = gapBuckets(overrides.get("gap-buckets"));
            long t0 = System.nanoTime();
            long[] sorted = BucketPlanner.sortedFiniteTimes(s.t, s.y, s.n);
            long delta = BucketPlanner.choose(sorted, points, gap);
            cfg.put("bucket-nanos", Long.toString(delta));
            if (progress || FailureHandler.debug(spec.root().commandLine().getParseResult())) {
                err.printf(Locale.ROOT, "spindle: component run: %,d samples from %s; bucket-nanos %d (about %,d points; "
                        + "chosen in %.1f s)%n", s.n, source, delta, BucketPlanner.predict(sorted, delta, gap),
                        (System.nanoTime() - t0) / 1e9);
                err.flush();
            }
        }
        cfg.putAll(overrides);

        LogCapability log = new LogCapability((comp, call, level, message) -> {
            err.println("[" + comp + " " + call + "] " + level + ": " + message);
            err.flush();
        });
        Output out = new Output();
        long late = 0, invalid = 0;
        long started = System.nanoTime(), lastProgress = started;
        try (ProcessorInstance p = runtime.instantiate(component, Grants.of(new ConfigCapability(cfg), log), limits, engine)) {
            Emitted e = new Emitted();
            for (int from = 0; from < s.n; from += batch) {
                int to = (int) Math.min(s.n, (long) from + batch);
                p.process(name, s.t, s.y, from, to, e);
                out.add(e);
                late += e.late();
                invalid += e.invalid();
                if (progress && System.nanoTime() - lastProgress > 2_000_000_000L) {
                    lastProgress = System.nanoTime();
                    err.printf(Locale.ROOT, "spindle: component run: %,d of %,d samples (%.0f%%), %,d points so far%n",
                            to, s.n, 100.0 * to / s.n, out.n);
                    err.flush();
                }
            }
            p.flush(name, e);
            out.add(e);
            late += e.late();
            invalid += e.invalid();
        }
        PrintWriter stdout = spec.commandLine().getOut();
        out.write(stdout);
        if (progress) {
            err.printf(Locale.ROOT, "spindle: component run: %,d samples in, %,d points out in %.1f s%n", s.n, out.n,
                    (System.nanoTime() - started) / 1e9);
        }
        if (late > 0 || invalid > 0) {
            err.printf(Locale.ROOT, "spindle: component run: %s: the component refused %,d late sample%s (behind its "
                    + "watermark%s) and %,d invalid (NaN or infinite)%n", source, late, late == 1 ? "" : "s",
                    s.firstDecreaseLine > 0 ? "; x first decreases at line " + s.firstDecreaseLine : "", invalid);
        }
        err.flush();
        return 0;
    }

    private static int gapBuckets(String value) {
        if (value != null) {
            try {
                int g = Integer.parseInt(value.strip());
                if (g >= 1) return g;
            } catch (NumberFormatException ignored) {
                // the component reports a bad value itself
            }
        }
        return StreamConfig.DEFAULT_GAP_BUCKETS;
    }

    /** The emitted samples, kept until the run succeeds so that a failed run prints no partial output. */
    private static final class Output {
        long[] t = new long[1024];
        double[] y = new double[1024];
        int n;

        void add(Emitted e) {
            int k = e.size();
            if (n + k > t.length) {
                int cap = Math.max(n + k, t.length * 2);
                t = Arrays.copyOf(t, cap);
                y = Arrays.copyOf(y, cap);
            }
            System.arraycopy(e.times(), 0, t, n, k);
            System.arraycopy(e.values(), 0, y, n, k);
            n += k;
        }

        void write(PrintWriter out) {
            StringBuilder sb = new StringBuilder(1 << 16);
            for (int i = 0; i < n; i++) {
                sb.append(t[i]).append(',');
                NumberText.append(sb, y[i]).append('\n');
                if (sb.length() > (1 << 16) - 64) {
                    out.append(sb);
                    sb.setLength(0);
                }
            }
            out.append(sb);
            out.flush();
        }
    }
}
