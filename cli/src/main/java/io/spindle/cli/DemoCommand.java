package io.spindle.cli;

import io.spindle.sources.shdr.ShdrAdapter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code spindle demo}: the whole edge pipeline on one machine with nothing but a JDK: the real Okuma log replayed
 * over TCP by an SHDR adapter into the SHDR source, simulated 10 kHz vibration, LTTB as a Wasm component, and the
 * SQLite store with raw ring and tiers, all in one process on the embedded lattice.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        subcommands = {DemoFidelityCommand.class},
        description = {"Run the edge pipeline on real machine data, in one process with nothing else installed.",
                "An SHDR adapter replays the real Okuma CNC log over TCP (timestamps from now, looping) to the SHDR "
                        + "source; the machine simulator adds vibration channels; both publish into the embedded lattice's "
                        + "durable data stream, where the messaging provider feeds lttb.wasm (sandboxed, Chicory) and its "
                        + "output goes to the store provider (SQLite in the data directory: raw ring, tier 0, tiers 1-5). "
                        + "A status line shows samples in, points out, reduction, late samples, lag and bytes per sample; "
                        + "on exit a summary table says what is stored and where. Running it again with the same data "
                        + "directory continues the same store. The dashboard, the Grafana JSON datasource API and "
                        + "Prometheus /metrics are served on 127.0.0.1 (--http-port, default 8080).",
                "'spindle demo fidelity' is the offline comparison of the downsampling algorithms."})
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--duration", paramLabel = "D", defaultValue = "20s", converter = DurationOption.class,
            description = "How long the sources run (default ${DEFAULT-VALUE}; e.g. 90s, 5m).")
    Duration duration;

    @Option(names = "--channels", paramLabel = "N", defaultValue = "4",
            description = "Simulated vibration channels, 0 for none (default ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--rate", paramLabel = "HZ", defaultValue = "10000",
            description = "Vibration sample rate per channel in Hz (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--bucket-ms", paramLabel = "MS", defaultValue = "10",
            description = "LTTB bucket width of tier 0 in ms; tier k is 4^k times wider (default ${DEFAULT-VALUE}).")
    long bucketMs;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "spindle-demo",
            description = "Where the lattice, the host and the store keep their files (default ./${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--shdr", paramLabel = "FILE",
            description = "SHDR log to replay (default: the Okuma log in $SPINDLE_HOME/../shared/data).")
    Path shdr;

    @Option(names = "--no-shdr", description = "Run without the SHDR replay (simulator only).")
    boolean noShdr;

    @Option(names = "--speed", paramLabel = "X", defaultValue = "1x",
            description = "Replay speed of the SHDR log: 1x (real time, default), 10x, ... or max.")
    String speed;

    @Option(names = "--component", paramLabel = "FILE",
            description = "The downsampling component (default: lttb.wasm bundled with spindle).")
    Path component;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "8080",
            description = "Port of the dashboard, the Grafana JSON datasource API and /metrics on 127.0.0.1 (default "
                    + "${DEFAULT-VALUE}; a free port when taken; 0: any free port).")
    int httpPort;

    @picocli.CommandLine.Mixin
    HttpSecurityOptions httpSecurity;

    @Option(names = "--no-http", description = "Do not serve the dashboard and the query API.")
    boolean noHttp;

    @Option(names = "--serve", description = "After the sources stop, keep serving the dashboard until Ctrl-C.")
    boolean serve;

    @Option(names = "--json", description = "Print the summary as one JSON object.")
    boolean json;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (duration.isNegative() || duration.isZero() || duration.compareTo(Duration.ofHours(24)) > 0)
            throw new ParameterException(spec.commandLine(), "--duration must be in (0, 24h], got " + duration);
        if (channels < 0 || channels > 64) throw new ParameterException(spec.commandLine(), "--channels must be in [0, 64], got " + channels);
        if (rate < 1 || rate > 50_000) throw new ParameterException(spec.commandLine(), "--rate must be in [1, 50000] Hz, got " + rate);
        if (bucketMs < 1 || bucketMs > 60_000) throw new ParameterException(spec.commandLine(), "--bucket-ms must be in [1, 60000], got " + bucketMs);
        double speedFactor;
        try {
            speedFactor = ShdrAdapter.parseSpeed(speed);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--speed: " + e.getMessage());
        }
        PrintWriter err = spec.commandLine().getErr();
        Path log = noShdr ? null : locateLog(err);
        if (log == null && channels == 0) throw new ParameterException(spec.commandLine(), "nothing to run: no SHDR log and --channels 0");
        if (component != null && !Files.isRegularFile(component)) throw new CliFailure(component.toString(), "no such file");
        if (httpPort < 0 || httpPort > 65535) throw new ParameterException(spec.commandLine(), "--http-port must be in [0, 65535], got " + httpPort);
        if (serve && noHttp) throw new ParameterException(spec.commandLine(), "--serve needs the HTTP server (drop --no-http)");
        PipelineDemo.Settings settings = new PipelineDemo.Settings(dataDir, duration, channels, rate, bucketMs, log, speedFactor, component,
                noHttp ? -1 : httpPort, serve, httpSecurity.options());
        PipelineDemo.Summary sum;
        try {
            sum = new PipelineDemo(settings, err, System.console() != null && !json).run();
        } catch (IOException e) {
            throw new CliFailure(dataDir.toString(), FailureHandler.ioReason(e), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? toJson(sum) : toText(sum));
        out.flush();
        return 0;
    }

    /** --shdr, else the shared Okuma log next to SPINDLE_HOME (or the spindle.shared property); null: none found. */
    private Path locateLog(PrintWriter err) {
        if (shdr != null) {
            if (!Files.isRegularFile(shdr)) throw new CliFailure(shdr.toString(), Files.exists(shdr) ? "not a regular file" : "no such file");
            return shdr;
        }
        Path candidate = DemoFidelityCommand.sharedLog();
        if (candidate != null && Files.isRegularFile(candidate)) return candidate;
        err.println("spindle: demo: " + (candidate == null ? "SPINDLE_HOME is not set" : "no SHDR log at " + candidate)
                + "; running without the SHDR replay (pass --shdr FILE)");
        return null;
    }

    private static String toText(PipelineDemo.Summary s) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Spindle demo: %.1f s of machine data through SHDR/simulator -> lttb.wasm -> store%n%n", s.seconds()));
        int levels = s.series().isEmpty() ? 0 : s.series().get(0).tiers().length;
        String[] header = new String[2 + levels];
        header[0] = "series";
        header[1] = "raw (ring)";
        for (int k = 0; k < levels; k++) header[2 + k] = "tier " + k;
        Tables t = new Tables(header);
        int eventOnly = 0;
        for (PipelineDemo.SeriesRow r : s.series()) {
            if (r.raw() == 0 && java.util.Arrays.stream(r.tiers()).allMatch(c -> c == 0)) {
                eventOnly++;
                continue;
            }
            Object[] row = new Object[2 + levels];
            row[0] = r.series();
            row[1] = String.format(Locale.ROOT, "%,d", r.raw());
            for (int k = 0; k < levels; k++) row[2 + k] = String.format(Locale.ROOT, "%,d", r.tiers()[k]);
            t.row(row);
        }
        sb.append(t);
        if (eventOnly > 0) sb.append(String.format(Locale.ROOT, "(and %d series with events only: states, programs, conditions)%n", eventOnly));
        sb.append(String.format(Locale.ROOT, "%n%,d samples in, %,d tier-0 points out (reduction %.0fx), %,d higher-tier points, "
                        + "%,d events, %,d late at the source, %,d rejected; %.2f wire bytes per sample%n",
                s.samplesIn(), s.tier0Points(), s.reduction(), s.tierPoints(), s.events(), s.outOfOrder(), s.rejected(), s.bytesPerSample()));
        if (s.adapterLines() > 0) sb.append(String.format(Locale.ROOT, "SHDR adapter sent %,d lines%n", s.adapterLines()));
        sb.append(String.format(Locale.ROOT, "data: %s (store %s)%n", s.dataDir(), s.store()));
        if (s.dashboard() != null) sb.append(String.format(Locale.ROOT, "dashboard (while spindle runs; --serve keeps it up): %s%n", s.dashboard()));
        return sb.toString();
    }

    private static String toJson(PipelineDemo.Summary s) {
        StringBuilder sb = new StringBuilder("{");
        Json.number(Json.key(sb, "seconds"), Math.round(s.seconds() * 1000) / 1000.0).append(',');
        Json.number(Json.key(sb, "samples_in"), s.samplesIn()).append(',');
        Json.number(Json.key(sb, "tier0_points"), s.tier0Points()).append(',');
        Json.number(Json.key(sb, "tier_points"), s.tierPoints()).append(',');
        Json.number(Json.key(sb, "events"), s.events()).append(',');
        Json.number(Json.key(sb, "late"), s.outOfOrder()).append(',');
        Json.number(Json.key(sb, "rejected"), s.rejected()).append(',');
        Json.number(Json.key(sb, "wire_bytes_per_sample"), Double.isFinite(s.bytesPerSample()) ? Math.round(s.bytesPerSample() * 1000) / 1000.0 : 0).append(',');
        Json.number(Json.key(sb, "shdr_lines"), s.adapterLines()).append(',');
        Json.string(Json.key(sb, "data_dir"), s.dataDir().toString()).append(',');
        Json.string(Json.key(sb, "store"), s.store()).append(',');
        if (s.dashboard() != null) Json.string(Json.key(sb, "dashboard"), s.dashboard()).append(',');
        Json.key(sb, "series").append('[');
        for (int i = 0; i < s.series().size(); i++) {
            PipelineDemo.SeriesRow r = s.series().get(i);
            if (i > 0) sb.append(',');
            sb.append('{');
            Json.string(Json.key(sb, "series"), r.series()).append(',');
            Json.number(Json.key(sb, "raw"), r.raw()).append(',');
            Json.key(sb, "tiers").append('[');
            for (int k = 0; k < r.tiers().length; k++) sb.append(k > 0 ? "," : "").append(r.tiers()[k]);
            sb.append("]}");
        }
        return sb.append("]}").toString();
    }
}
