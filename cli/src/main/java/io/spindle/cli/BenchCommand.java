package io.spindle.cli;

import io.spindle.bench.ComponentBench;
import io.spindle.bench.ComponentReport;
import io.spindle.bench.DownsampleBench;
import io.spindle.bench.DownsampleReport;
import io.spindle.bench.DeployBench;
import io.spindle.bench.DeployReport;
import io.spindle.bench.LatticeBench;
import io.spindle.bench.LatticeReport;
import io.spindle.bench.PipelineBench;
import io.spindle.bench.PipelineReport;
import io.spindle.bench.QueryBench;
import io.spindle.bench.QueryReport;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code spindle bench ...}: benchmarks that compare Spindle with peer implementations on the same data. */
@Command(name = "bench", subcommands = {BenchCommand.Downsample.class, BenchCommand.ComponentBenchCommand.class,
        BenchCommand.LatticeBenchCommand.class, BenchCommand.PipelineBenchCommand.class,
        BenchCommand.QueryBenchCommand.class, BenchCommand.DeployBenchCommand.class}, mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Benchmarks Spindle against peer implementations on the same data.")
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing benchmark (one of: "
                + String.join(", ", spec.subcommands().keySet()) + ")");
    }

    /** {@code spindle bench downsample}: points per second of the downsamplers and their peers, in one run. */
    @Command(name = "downsample", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Measures points/s of lttb, minmaxlttb, m4, streaming_lttb and a summing pass in Java, "
                    + "and of LTTB peers (npm downsample 1.4.0 and downsample-lttb 0.0.1 under Node, C at gcc -O3), "
                    + "on one deterministic synthetic vibration series. Progress on stderr, results on stdout.")
    public static final class Downsample implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--points", defaultValue = "10000000", paramLabel = "N",
                description = "Samples in the series (default ${DEFAULT-VALUE}).")
        int points;

        @Option(names = "--threshold", defaultValue = "2000", paramLabel = "T",
                description = "Points to keep (default ${DEFAULT-VALUE}).")
        int threshold;

        @Option(names = "--runs", defaultValue = "5", paramLabel = "R",
                description = "Timed runs per contestant; the median is reported (default ${DEFAULT-VALUE}).")
        int runs;

        @Option(names = "--warmups", defaultValue = "2", paramLabel = "W",
                description = "Untimed runs before timing (default ${DEFAULT-VALUE}).")
        int warmups;

        @Option(names = "--json", description = "Print the results as one JSON object.")
        boolean json;

        @Override
        public Integer call() {
            return BenchRun.run(spec, "downsample", json,
                    () -> new DownsampleBench.Config(points, threshold, warmups, runs, DownsampleBench.spindleHomeFromEnv()),
                    (c, progress) -> {
                        DownsampleReport r = new DownsampleBench(c, progress).run();
                        return new BenchRun.Result(r.toJson(), r.toTable(), r.failed() ? "a contestant failed (see notes)" : null);
                    });
        }

    }

    /** {@code spindle bench component}: the streaming LTTB in Java against lttb.wasm, compiled and interpreted. */
    @Command(name = "component", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Measures samples/s of the streaming LTTB in Java (StreamingLttb) and as the WebAssembly "
                    + "component lttb.wasm under Chicory's compiler (wasm_compiled) and interpreter (wasm_interpreted, "
                    + "on the first " + ComponentBench.INTERPRETED_SAMPLES + " samples), on one deterministic "
                    + "synthetic vibration series fed in batches, and checks that the outputs are identical. Also "
                    + "times instantiation: cold (empty compile cache), warm (compiled module in memory) and from "
                    + "the disk cache. Progress on stderr, results on stdout; exit 1 when an output differs.",
                    "JSON: {\"results\": {\"java\": {\"samples_per_sec\": ...}, \"wasm_compiled\": {...}, "
                            + "\"wasm_interpreted\": {...}}, \"cold_instantiate_ms\": ..., \"warm_instantiate_ms\": ..., "
                            + "\"component_bytes\": ..., ...}"})
    public static final class ComponentBenchCommand implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--points", defaultValue = "10000000", paramLabel = "N",
                description = "Samples in the series (default ${DEFAULT-VALUE}).")
        int points;

        @Option(names = "--threshold", defaultValue = "2000", paramLabel = "T",
                description = "About how many points to emit: bucket width = span / T (default ${DEFAULT-VALUE}).")
        int threshold;

        @Option(names = "--batch", defaultValue = "" + ComponentBench.DEFAULT_BATCH, paramLabel = "B",
                description = "Samples per process call (default ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--runs", defaultValue = "5", paramLabel = "R",
                description = "Timed runs per contestant; the median is reported (default ${DEFAULT-VALUE}).")
        int runs;

        @Option(names = "--warmups", defaultValue = "10", paramLabel = "W",
                description = "Untimed runs before timing (default ${DEFAULT-VALUE}: the compiled component's JVM "
                        + "methods are large and reach C2 later than the Java engine's, so fewer warm-ups compare a "
                        + "steady Java engine with a still-compiling component).")
        int warmups;

        @Option(names = "--component", paramLabel = "FILE",
                description = "The component (default: $SPINDLE_HOME/" + ComponentBench.DEFAULT_COMPONENT + ").")
        Path component;

        @Option(names = "--json", description = "Print the results as one JSON object.")
        boolean json;

        @Override
        public Integer call() {
            return BenchRun.run(spec, "component", json, () -> {
                // options first (usage errors win), then the checkout for the default component
                ComponentBench.Config c = new ComponentBench.Config(points, threshold, batch, warmups, runs,
                        component != null ? component : Path.of(ComponentBench.DEFAULT_COMPONENT));
                return component != null ? c : new ComponentBench.Config(points, threshold, batch, warmups, runs,
                        ComponentBench.defaultComponent(DownsampleBench.spindleHomeFromEnv()));
            }, (c, progress) -> {
                ComponentReport r = new ComponentBench(c, progress).run();
                return new BenchRun.Result(r.toJson(), r.toTable(), r.failed() ? "an engine's output differs from Java's (see notes)" : null);
            });
        }

    }

    /** {@code spindle bench lattice}: control round trips, samples/s through a host, and the host's RSS. */
    @Command(name = "lattice", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Starts a nats-server of its own (JetStream, free loopback port) and a host in a process of its own "
                    + "(spindle host, same JVM and options as this one), then measures: control round trips (host.inventory "
                    + "requests: p50, p99, max), samples/s end to end through messaging provider -> lttb.wasm -> messaging "
                    + "provider (batches published into the lattice's data stream, the component's output counted downstream "
                    + "until it holds every point the Java engine emits), and the host's resident memory with the component "
                    + "running. Prints the goals (5 M samples/s, p99 < 10 ms, RSS < 150 MB) and whether each is met. "
                    + "Progress on stderr; exit 1 when output is lost or repeated or the bench cannot run.",
                    "JSON: {\"control_p50_ms\": .., \"control_p99_ms\": .., \"control_max_ms\": .., \"samples_per_sec\": .., "
                            + "\"batches_per_sec\": .., \"host_rss_mb\": .., \"samples\": .., \"batch\": 4096, \"notes\": [...], ...}"})
    public static final class LatticeBenchCommand implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--batches", defaultValue = "" + LatticeBench.DEFAULT_BATCHES, paramLabel = "N",
                description = "Input batches to push through the host (default ${DEFAULT-VALUE}).")
        int batches;

        @Option(names = "--batch", defaultValue = "" + LatticeBench.DEFAULT_BATCH, paramLabel = "B",
                description = "Samples per batch (default ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--requests", defaultValue = "" + LatticeBench.DEFAULT_REQUESTS, paramLabel = "R",
                description = "Timed control requests (default ${DEFAULT-VALUE}).")
        int requests;

        @Option(names = "--component", paramLabel = "FILE",
                description = "The LTTB component (default: $SPINDLE_HOME/" + ComponentBench.DEFAULT_COMPONENT + ").")
        Path component;

        @Option(names = "--host-java-opts", paramLabel = "OPTS",
                description = "More JVM options for the host process, space-separated (e.g. \"-Xmx128m\"); it already gets "
                        + "this JVM's options.")
        String hostJavaOpts;

        @Option(names = "--json", description = "Print the results as one JSON object.")
        boolean json;

        @Override
        public Integer call() {
            return BenchRun.run(spec, "lattice", json, () -> {
                LatticeBench.Config c = new LatticeBench.Config(batches, batch, requests, hostCommand(hostJavaOpts),
                        component != null ? component : Path.of(ComponentBench.DEFAULT_COMPONENT));
                return component != null ? c : new LatticeBench.Config(batches, batch, requests, c.hostCommand(),
                        ComponentBench.defaultComponent(DownsampleBench.spindleHomeFromEnv()));
            }, (c, progress) -> {
                LatticeReport r = new LatticeBench(c, progress).run();
                return new BenchRun.Result(r.toJson(), r.toTable(), r.failed() ? "the data path lost or repeated output (see notes)" : null);
            });
        }

        /**
         * This JVM (its binary and options, minus agents) running {@code io.spindle.cli.Main} from this class path, plus
         * extra options: the host then runs as {@code ./spindle host} would.
         */
        static List<String> hostCommand(String extra) {
            String java = ProcessHandle.current().info().command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            List<String> cmd = new ArrayList<>(List.of(java));
            for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments())
                if (!a.startsWith("-javaagent") && !a.startsWith("-agentlib") && !a.startsWith("-agentpath")) cmd.add(a);
            if (extra != null) for (String o : extra.trim().split("\\s+")) if (!o.isEmpty()) cmd.add(o);
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
            return cmd;
        }

    }

    /** {@code spindle bench pipeline}: simulator -> lttb.wasm -> store on one host: samples/s, latency, wire bytes, RSS. */
    @Command(name = "pipeline", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Runs the edge pipeline on one host in this process (in-process lattice, SQLite store in a temporary "
                    + "directory): simulator source -> data stream -> messaging provider -> lttb.wasm -> data stream -> store "
                    + "(raw ring, tier 0, tiers 1-5). Measures raw samples/s sustained (unpaced simulator, until the store "
                    + "committed everything), end-to-end latency p50/p99 from sample time to stored tier-0 point (simulator "
                    + "paced to wall clock), wire bytes per raw sample and the process's RSS. Progress on stderr.",
                    "JSON: {\"samples_per_sec\": x, \"latency_ms\": {\"p50\": a, \"p99\": b}, \"wire_bytes_per_sample\": w, "
                            + "\"rss_mb\": r, \"bucket_ms\": d, ...}"})
    public static final class PipelineBenchCommand implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--samples", defaultValue = "40000000", paramLabel = "N",
                description = "Raw samples of the throughput phase (default ${DEFAULT-VALUE}).")
        long samples;

        @Option(names = "--channels", defaultValue = "8", paramLabel = "C",
                description = "Vibration channels of the throughput phase (default ${DEFAULT-VALUE}).")
        int channels;

        @Option(names = "--rate", defaultValue = "20000", paramLabel = "HZ",
                description = "Vibration sample rate per channel (default ${DEFAULT-VALUE}).")
        int rate;

        @Option(names = "--paced-seconds", defaultValue = "10", paramLabel = "S",
                description = "Length of the latency phase, 0 to skip it (default ${DEFAULT-VALUE}).")
        double pacedSeconds;

        @Option(names = "--paced-rate", defaultValue = "2000000", paramLabel = "R",
                description = "Total samples/s of the latency phase (default ${DEFAULT-VALUE}).")
        long pacedRate;

        @Option(names = "--bucket-ms", defaultValue = "10", paramLabel = "MS",
                description = "The LTTB bucket width, tier 0 (default ${DEFAULT-VALUE}).")
        long bucketMs;

        @Option(names = "--linger-ms", defaultValue = "20", paramLabel = "MS",
                description = "Longest a sample waits in its source batch in the latency phase (default ${DEFAULT-VALUE}).")
        int lingerMs;

        @Option(names = "--commit-ms", defaultValue = "50", paramLabel = "MS",
                description = "The store provider's commit interval (default ${DEFAULT-VALUE}).")
        int commitMs;

        @Option(names = "--component", paramLabel = "FILE",
                description = "The LTTB component (default: $SPINDLE_HOME/" + ComponentBench.DEFAULT_COMPONENT + ").")
        Path component;

        @Option(names = "--json", description = "Print the results as one JSON object.")
        boolean json;

        @Override
        public Integer call() {
            return BenchRun.run(spec, "pipeline", json, () -> new PipelineBench.Config(samples, channels, rate, pacedSeconds, pacedRate,
                    bucketMs, component != null ? component : ComponentBench.defaultComponent(DownsampleBench.spindleHomeFromEnv()), lingerMs, commitMs),
                    (c, progress) -> {
                        PipelineReport r = new PipelineBench(c, progress).run();
                        return new BenchRun.Result(r.toJson(), r.toTable(), null);
                    });
        }
    }

    /** {@code spindle bench deploy}: deploy, move with state, and host-loss recovery times through the orchestrator. */
    @Command(name = "deploy", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Runs a nats-server of its own (JetStream), three hosts (edge-1, edge-2: zone=edge; cloud-1: zone=cloud; "
                    + "each on its own connection and data directory) and an orchestrator in this process, with a 10 kHz series "
                    + "streaming into the data stream. The application: lttb.wasm fed by a messaging provider on every host, and "
                    + "a store provider in the cloud. Per round: time from deploy to deployed; time to move lttb from the edge to "
                    + "the cloud with its state (a new version with other spread requirements, to deployed on cloud-1); time from "
                    + "halting the edge host that runs lttb (as a crash) to lttb running again on the other edge host. Finally "
                    + "the component's output, de-duplicated by (series, t), must equal the Java engine's on the whole input.",
                    "JSON: {\"deploy_ms\": a, \"move_ms\": b, \"host_loss_recovery_ms\": c, ...} (medians over the rounds)."})
    public static final class DeployBenchCommand implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--rounds", defaultValue = "3", paramLabel = "N",
                description = "Rounds of deploy, move and host loss (default ${DEFAULT-VALUE}; the first compiles: cold).")
        int rounds;

        @Option(names = "--heartbeat", defaultValue = "1s", paramLabel = "DURATION", converter = DurationOption.class,
                description = "The hosts' heartbeat interval (default ${DEFAULT-VALUE}).")
        java.time.Duration heartbeat;

        @Option(names = "--host-expiry", defaultValue = "3s", paramLabel = "DURATION", converter = DurationOption.class,
                description = "A host silent this long is lost (default ${DEFAULT-VALUE}).")
        java.time.Duration expiry;

        @Option(names = "--component", paramLabel = "FILE",
                description = "The LTTB component (default: $SPINDLE_HOME/" + ComponentBench.DEFAULT_COMPONENT + ").")
        Path component;

        @Option(names = "--json", description = "Print the results as one JSON object.")
        boolean json;

        @Override
        public Integer call() {
            return BenchRun.run(spec, "deploy", json, () -> new DeployBench.Config(rounds, heartbeat, expiry,
                    component != null ? component : ComponentBench.defaultComponent(DownsampleBench.spindleHomeFromEnv())),
                    (c, progress) -> {
                        DeployReport r = new DeployBench(c, progress).run();
                        return new BenchRun.Result(r.toJson(), r.toTable(), null);
                    });
        }
    }

    /** {@code spindle bench query}: /query latency over HTTP on a store filled with 10^9 raw-equivalent samples. */
    @Command(name = "query", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Fills a SQLite store (temporary directory) with N raw-equivalent samples of one simulated 10 kHz "
                    + "vibration series through the tiers (streaming LTTB chain: tier 0 bucket 10 ms, factor 4, 6 tiers; the "
                    + "newest 10 minutes also as raw), serves it over HTTP and times POST /query (Grafana JSON datasource) for "
                    + "maxDataPoints 50, 500, 2000 and 5000 over ranges of 1 min, 10 min, 1 h, 6 h and the whole series, plus "
                    + "source=raw over the newest 10 s and 1 min. Prints p50/p99 per maxDataPoints and per range, and whether "
                    + "the goal (p99 < 50 ms at maxDataPoints 2000 for every range) is met. Progress on stderr; exit 1 when a "
                    + "response is wrong (not 200, more than maxDataPoints points) or the bench cannot run.",
                    "JSON: {\"raw_equivalent_samples\": n, \"results\": {\"M50\": {\"p50_ms\": a, \"p99_ms\": b}, \"M500\": {...}, "
                            + "\"M2000\": {...}, \"M5000\": {...}}, \"by_range\": {...}, \"raw\": {...}, \"goal\": {...}, \"fill\": {...}, ...}"})
    public static final class QueryBenchCommand implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--samples", defaultValue = "1e9", paramLabel = "N",
                description = "Raw-equivalent samples to fill, e.g. 1000000000 or 1e9 (default ${DEFAULT-VALUE}).")
        String samples;

        @Option(names = "--requests", defaultValue = "200", paramLabel = "R",
                description = "Timed requests per maxDataPoints and range (default ${DEFAULT-VALUE}).")
        int requests;

        @Option(names = "--warmups", defaultValue = "20", paramLabel = "W",
                description = "Untimed rounds over every maxDataPoints and range first (default ${DEFAULT-VALUE}).")
        int warmups;

        @Option(names = "--keep", paramLabel = "DIR",
                description = "Fill into DIR/" + QueryBench.STORE_FILE + " and keep it (reuse it with --store DIR).")
        Path keep;

        @Option(names = "--store", paramLabel = "DIR",
                description = "Reuse the store kept in DIR by --keep: skip the fill.")
        Path store;

        @Option(names = "--json", description = "Print the results as one JSON object.")
        boolean json;

        @Override
        public Integer call() {
            return BenchRun.run(spec, "query", json,
                    () -> new QueryBench.Config(QueryBench.parseCount(samples), requests, warmups, keep, store),
                    (c, progress) -> {
                        QueryReport r = new QueryBench(c, progress).run();
                        return new BenchRun.Result(r.toJson(), r.toTable(), null);
                    });
        }
    }
}
