package io.spindle.cli;

import io.spindle.downsample.fidelity.Fidelity;
import io.spindle.sources.shdr.ShdrFile;
import io.spindle.sources.shdr.ShdrItem;
import io.spindle.sources.shdr.ShdrReader;
import io.spindle.sources.shdr.ShdrStats;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code spindle demo fidelity}: the offline downsampling story on a real CNC log and on a
 * synthetic vibration signal: fidelity of every algorithm at 50/500/5000 points, the streaming engine on the same
 * data, and an SVG to look at. Needs no network and no services.
 */
@Command(name = "fidelity", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Show downsampling on a real CNC log and a synthetic vibration signal.",
                "(a) the Okuma lathe's SHDR log (its numeric series with the most samples) and (b) a seeded 10 kHz "
                        + "spindle vibration signal: fidelity of every algorithm at 50/500/5000 points, the streaming "
                        + "LTTB engine on the same data, and an SVG plot to compare them by eye. Needs no network and "
                        + "no services; progress goes to stderr."})
final class DemoFidelityCommand implements Callable<Integer> {
    static final String LOG_NAME = "okuma_mtconnect_shdr.txt";
    private static final int[] POINTS = {50, 500, 5000};
    private static final double RATE_HZ = 10_000;
    private static final long SYNTHETIC_START = 1_700_000_000_000_000_000L; // 2023-11-14T22:13:20Z
    private static final int STREAM_BUCKETS = 500;
    private static final long LIVE_BUCKET_NS = 1_000_000_000L;
    private static final long LIVE_LATENESS_NS = 5_000_000_000L;
    private static final long TIER0_BUCKET_NS = 2_000_000L;
    private static final int TIER_FACTOR = 4;
    private static final int TIER_LEVELS = 6;

    @Spec
    CommandSpec spec;

    @Option(names = "--shdr", paramLabel = "FILE",
            description = "SHDR log to read (default: $SPINDLE_HOME/../shared/data/" + LOG_NAME + ").")
    Path shdr;

    @Option(names = "--device", paramLabel = "NAME", description = "Device name for SHDR keys without a "
            + "'device:' prefix (default: the log's file name up to the first '_' or '.', e.g. okuma).")
    String device;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = ".",
            description = "Directory for spindle-demo.svg (default: the current directory).")
    Path out;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "30",
            description = "Length of the synthetic signal in seconds (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seed of the synthetic signal (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Print the results as one JSON object.")
    boolean json;

    private PrintWriter err;

    @Override
    public Integer call() throws IOException {
        if (!(seconds > 0 && seconds <= 600))
            throw new ParameterException(spec.commandLine(), "--seconds must be in (0, 600], got " + seconds);
        if (device != null && (device.isBlank() || device.contains("/")))
            throw new ParameterException(spec.commandLine(), "--device must be a non-empty name without '/'");
        err = spec.commandLine().getErr();
        long started = System.nanoTime();
        SvgPlot plot = new SvgPlot("spindle demo: raw series and their reductions", Fidelity.WIDTH, Fidelity.HEIGHT);
        List<String> text = new ArrayList<>();
        StringBuilder js = new StringBuilder("{");
        Json.key(js, "datasets").append('[');

        Path log = locateLog();
        if (log != null) {
            shdrPart(log, plot, text, js);
            js.append(',');
        }
        syntheticPart(plot, text, js);

        Path dir = out.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CliFailure(dir.toString(), "cannot create the output directory: " + FailureHandler.ioReason(e), e);
        }
        Path svg = dir.resolve("spindle-demo.svg");
        try {
            plot.write(svg);
        } catch (IOException e) {
            throw new CliFailure(svg.toString(), "cannot write: " + FailureHandler.ioReason(e), e);
        }
        double secondsTaken = (System.nanoTime() - started) / 1e9;
        js.append("],");
        Json.string(Json.key(js, "svg"), svg.toString()).append(',');
        Json.number(Json.key(js, "seconds"), Math.round(secondsTaken * 1000) / 1000.0).append('}');

        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            o.println(js);
        } else {
            o.println("Spindle demo: downsampling machine data, offline (spindle demo runs the live pipeline)");
            for (String line : text) o.println(line);
            o.println();
            o.printf(Locale.ROOT, "SVG plot: %s%n", svg);
            o.printf(Locale.ROOT, "done in %.1f s%n", secondsTaken);
        }
        o.flush();
        return 0;
    }

    /** --shdr, else the shared log next to SPINDLE_HOME (or the spindle.shared property); null: skip with a warning. */
    private Path locateLog() {
        if (shdr != null) {
            if (!Files.isRegularFile(shdr)) throw new CliFailure(shdr.toString(), Files.exists(shdr) ? "not a regular file" : "no such file");
            return shdr;
        }
        Path candidate = sharedLog();
        if (candidate != null && Files.isRegularFile(candidate)) return candidate;
        err.println("spindle: demo fidelity: " + (candidate == null ? "SPINDLE_HOME is not set" : "no SHDR log at " + candidate)
                + "; skipping the CNC part (pass --shdr FILE)");
        return null;
    }

    /** The shared Okuma log next to SPINDLE_HOME, else under the spindle.shared property; null when neither is set. */
    static Path sharedLog() {
        String home = System.getenv("SPINDLE_HOME");
        String shared = System.getProperty("spindle.shared");
        if (home != null && !home.isBlank()) return Path.of(home).resolve("../shared/data/" + LOG_NAME).normalize();
        if (shared != null && !shared.isBlank()) return Path.of(shared).resolve("data/" + LOG_NAME).normalize();
        return null;
    }

    private void shdrPart(Path log, SvgPlot plot, List<String> text, StringBuilder js) throws IOException {
        err.println("spindle: demo fidelity: reading " + log);
        String dev = device != null ? device : deviceFromFileName(log);
        ShdrSeriesCollector collector = new ShdrSeriesCollector();
        ShdrStats st;
        try {
            st = ShdrFile.read(log, new ShdrReader(dev, collector));
        } catch (IOException e) {
            throw new CliFailure(log.toString(), "cannot read: " + FailureHandler.ioReason(e), e);
        }
        text.add("");
        text.add("(a) real CNC data: " + log.toAbsolutePath().normalize());
        text.add(String.format(Locale.ROOT, "    %d lines: %d data lines, %d malformed, %d backward timestamp steps,"
                        + " %d asset commands skipped (%d body lines), %d protocol lines",
                st.lines(), st.dataLines(), st.malformed(), st.backwardSteps(), st.assetCommands(),
                st.assetBodyLines(), st.protocolLines()));
        text.add(String.format(Locale.ROOT, "    %d numeric samples in %d series; %d events (%d repeats dropped),"
                        + " %d UNAVAILABLE, %d conditions",
                st.samples(), st.numericSeries(), st.events(), st.repeatedEvents(), st.unavailable(), st.conditions()));
        for (ShdrItem.Malformed m : collector.firstMalformed)
            text.add(String.format(Locale.ROOT, "    malformed line %d: %s (\"%s\")", m.lineNumber(), m.reason(),
                    m.text().length() > 100 ? m.text().substring(0, 100) + "..." : m.text()));
        Js.shdrStats(js.append('{'), log, st);
        String name = collector.largest();
        if (name == null) {
            text.add("    no numeric series: nothing to downsample");
            js.append('}');
            return;
        }
        LiveReplay.Result live = LiveReplay.run(collector.series, LIVE_BUCKET_NS, LIVE_LATENESS_NS);
        SampleColumns c = collector.series.get(name);
        c.sortByTime();
        int n = c.n;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = (c.t[i] - c.t[0]) / 1e9;
        err.println("spindle: demo fidelity: " + name + ": fidelity of 4 algorithms x " + POINTS.length + " point counts");
        List<FidelityMatrix.Row> rows = FidelityMatrix.run(x, c.v, n, POINTS, Fidelity.WIDTH, Fidelity.HEIGHT);
        StreamRun.Result stream = StreamRun.run(c.t, c.v, n, StreamRun.bucketFor(c.t, n, STREAM_BUCKETS), 3);
        text.add(String.format(Locale.ROOT, "    series with the most samples: %s, %d samples over %s (sorted by time)",
                name, n, span(c.t[n - 1] - c.t[0])));
        text.add(FidelityReport.table(rows, "    ").stripTrailing());
        text.add(streamLine(stream));
        text.addAll(liveLines(live));
        Json.string(Json.key(js, "series"), name).append(',');
        Json.key(js, "samples").append(n).append(',');
        Js.live(js, live).append(',');
        Js.rowsAndStream(js, rows, stream).append('}');
        plot.section("(a) " + name + " from " + log.getFileName(), "raw: " + n + " samples over " + span(c.t[n - 1] - c.t[0]),
                x, c.v, n);
        for (FidelityMatrix.Row r : rows) plot.panel(FidelityCommand.panelLabel(r), r.kept(), r.keptCount());
    }

    private void syntheticPart(SvgPlot plot, List<String> text, StringBuilder js) {
        int n = (int) Math.round(seconds * RATE_HZ);
        err.println("spindle: demo fidelity: synthetic vibration, " + n + " samples");
        double[] y = new double[n];
        VibrationSignal.generate(seed, RATE_HZ, y);
        double[] x = new double[n];
        long[] t = new long[n];
        long step = Math.round(1e9 / RATE_HZ);
        for (int i = 0; i < n; i++) {
            x[i] = i / RATE_HZ;
            t[i] = SYNTHETIC_START + i * step;
        }
        err.println("spindle: demo fidelity: synthetic vibration: fidelity of 4 algorithms x " + POINTS.length + " point counts");
        List<FidelityMatrix.Row> rows = FidelityMatrix.run(x, y, n, POINTS, Fidelity.WIDTH, Fidelity.HEIGHT);
        StreamRun.Result stream = StreamRun.run(t, y, n, StreamRun.bucketFor(t, n, STREAM_BUCKETS), 3);
        String title = String.format(Locale.ROOT, "synthetic spindle vibration, 10 kHz x %s s, seed %d",
                NumberText.format(seconds), seed);
        text.add("");
        text.add("(b) " + title + ": " + n + " samples");
        text.add("    1x/2x/3x running speed under a varying cutting load, gear mesh, bearing-fault bursts, noise");
        text.add(FidelityReport.table(rows, "    ").stripTrailing());
        text.add(streamLine(stream));
        TierView.Result tiers = TierView.run(t, y, n, TIER0_BUCKET_NS, TIER_FACTOR, TIER_LEVELS, 50, 5000);
        text.addAll(tierLines(tiers));
        js.append('{');
        Json.string(Json.key(js, "name"), "synthetic-vibration").append(',');
        Json.key(js, "rate_hz").append((long) RATE_HZ).append(',');
        Json.number(Json.key(js, "seconds"), seconds).append(',');
        Json.key(js, "seed").append(seed).append(',');
        Json.key(js, "samples").append(n).append(',');
        Js.tiers(js, tiers).append(',');
        Js.rowsAndStream(js, rows, stream).append('}');
        plot.section("(b) " + title, "raw: " + n + " samples", x, y, n);
        for (FidelityMatrix.Row r : rows) plot.panel(FidelityCommand.panelLabel(r), r.kept(), r.keptCount());
    }

    private static List<String> liveLines(LiveReplay.Result r) {
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "    live replay, file order, all %d series (%s buckets, %s lateness): %d samples"
                        + " -> %d points; %d late samples in %d series, counted not dropped silently",
                r.series(), span(r.bucketNanos()), span(r.latenessNanos()), r.offered(), r.points(), r.late(),
                r.lateSeries().size()));
        if (r.late() > 0) {
            StringBuilder top = new StringBuilder("      most late: ");
            for (int i = 0; i < Math.min(3, r.lateSeries().size()); i++) {
                var e = r.lateSeries().get(i);
                top.append(i == 0 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue().late());
            }
            out.add(top + " (the log's four sessions overlap in time: what steps back beyond the lateness is late)");
        }
        return out;
    }

    private static List<String> tierLines(TierView.Result r) {
        StringBuilder sizes = new StringBuilder();
        for (int k = 0; k < r.tierSizes().length; k++) sizes.append(k == 0 ? "" : " / ").append(r.tierSizes()[k]);
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "    tiers (streaming, %s buckets x%d per tier): %s points", span(r.baseBucketNanos()),
                r.factor(), sizes));
        out.add(String.format(Locale.ROOT, "    consistent views of the whole range: 50 -> %s; 5000 -> %s; 50-view within"
                        + " the 5000-view: %s",
                TierView.describe(r.small()), TierView.describe(r.big()), r.subset() ? "yes" : "NO"));
        return out;
    }

    private static String streamLine(StreamRun.Result s) {
        return String.format(Locale.ROOT, "    streaming LTTB, %s buckets: %d samples -> %d points in %d segment%s"
                        + " (%d late), %.1f M samples/s",
                span(s.bucketNanos()), s.stats().accepted() + s.stats().late() + s.stats().invalid(), s.points(),
                s.segments(), s.segments() == 1 ? "" : "s", s.stats().late(), s.samplesPerSecond() / 1e6);
    }

    static String deviceFromFileName(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        int cut = name.length();
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch == '_' || ch == '.') {
                cut = i;
                break;
            }
        }
        String dev = name.substring(0, cut).replace('/', '-');
        return dev.isBlank() ? "default" : dev;
    }

    static String span(long nanos) {
        if (nanos < 1_000) return nanos + " ns";
        if (nanos < 1_000_000) return String.format(Locale.ROOT, "%.3g us", nanos / 1e3);
        if (nanos < 1_000_000_000) return String.format(Locale.ROOT, "%.3g ms", nanos / 1e6);
        if (nanos < 120_000_000_000L) return String.format(Locale.ROOT, "%.3g s", nanos / 1e9);
        if (nanos < 7_200_000_000_000L) return String.format(Locale.ROOT, "%.1f min", nanos / 6e10);
        return String.format(Locale.ROOT, "%.1f h", nanos / 3.6e12);
    }

    /** The demo's JSON pieces. */
    private static final class Js {
        static void shdrStats(StringBuilder js, Path log, ShdrStats st) {
            Json.string(Json.key(js, "name"), "shdr").append(',');
            Json.string(Json.key(js, "source"), log.toAbsolutePath().normalize().toString()).append(',');
            Json.key(js, "shdr").append('{');
            Json.key(js, "lines").append(st.lines()).append(',');
            Json.key(js, "data_lines").append(st.dataLines()).append(',');
            Json.key(js, "samples").append(st.samples()).append(',');
            Json.key(js, "numeric_series").append(st.numericSeries()).append(',');
            Json.key(js, "events").append(st.events()).append(',');
            Json.key(js, "repeated_events").append(st.repeatedEvents()).append(',');
            Json.key(js, "unavailable").append(st.unavailable()).append(',');
            Json.key(js, "conditions").append(st.conditions()).append(',');
            Json.key(js, "asset_commands").append(st.assetCommands()).append(',');
            Json.key(js, "asset_body_lines").append(st.assetBodyLines()).append(',');
            Json.key(js, "protocol_lines").append(st.protocolLines()).append(',');
            Json.key(js, "malformed").append(st.malformed()).append(',');
            Json.key(js, "backward_steps").append(st.backwardSteps()).append("},");
        }

        static StringBuilder live(StringBuilder js, LiveReplay.Result r) {
            Json.key(js, "live_replay").append('{');
            Json.key(js, "bucket_ns").append(r.bucketNanos()).append(',');
            Json.key(js, "lateness_ns").append(r.latenessNanos()).append(',');
            Json.key(js, "series").append(r.series()).append(',');
            Json.key(js, "offered").append(r.offered()).append(',');
            Json.key(js, "accepted").append(r.accepted()).append(',');
            Json.key(js, "late").append(r.late()).append(',');
            Json.key(js, "points").append(r.points()).append(',');
            Json.key(js, "late_by_series").append('{');
            for (int i = 0; i < r.lateSeries().size(); i++) {
                var e = r.lateSeries().get(i);
                if (i > 0) js.append(',');
                Json.key(js, e.getKey()).append(e.getValue().late());
            }
            return js.append("}}");
        }

        static StringBuilder tiers(StringBuilder js, TierView.Result r) {
            Json.key(js, "tiers").append('{');
            Json.key(js, "base_bucket_ns").append(r.baseBucketNanos()).append(',');
            Json.key(js, "factor").append(r.factor()).append(',');
            Json.key(js, "sizes").append('[');
            for (int k = 0; k < r.tierSizes().length; k++) js.append(k == 0 ? "" : ",").append(r.tierSizes()[k]);
            js.append("],");
            view(Json.key(js, "view_50"), r.small()).append(',');
            view(Json.key(js, "view_5000"), r.big()).append(',');
            Json.key(js, "subset").append(r.subset());
            return js.append('}');
        }

        private static StringBuilder view(StringBuilder js, io.spindle.downsample.tier.TierPlan p) {
            js.append('{');
            Json.key(js, "tier").append(p.tier()).append(',');
            Json.key(js, "points").append(p.size()).append(',');
            Json.key(js, "candidates").append(p.candidates()).append(',');
            Json.key(js, "consistent").append(p.consistent());
            return js.append('}');
        }

        static StringBuilder rowsAndStream(StringBuilder js, List<FidelityMatrix.Row> rows, StreamRun.Result s) {
            FidelityReport.json(Json.key(js, "rows"), rows).append(',');
            Json.key(js, "stream").append('{');
            Json.key(js, "bucket_ns").append(s.bucketNanos()).append(',');
            Json.key(js, "accepted").append(s.stats().accepted()).append(',');
            Json.key(js, "late").append(s.stats().late()).append(',');
            Json.key(js, "points").append(s.points()).append(',');
            Json.key(js, "segments").append(s.segments()).append(',');
            Json.number(Json.key(js, "samples_per_s"), Math.round(s.samplesPerSecond())).append('}');
            return js;
        }
    }
}
