package io.spindle.cli;

import io.spindle.downsample.fidelity.Fidelity;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code spindle fidelity}: how much each algorithm's chart differs from the raw chart, at several point counts. */
@Command(name = "fidelity", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Measure how far each algorithm's chart is from the raw series' chart.",
                "Pixel mismatch %% and DSSIM (0 = identical charts) per algorithm and point count, on a chart of "
                        + "--width x --height pixels. Input: x,y CSV as for 'spindle downsample'."},
        footer = {"", "Example: spindle fidelity --input series.csv --points 50,500,5000 --svg fidelity.svg"})
final class FidelityCommand implements Callable<Integer> {
    private static final int MAX_SIDE = 10_000;

    @Spec
    CommandSpec spec;

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "The x,y CSV file.")
    Path input;

    @Option(names = "--points", split = ",", splitSynopsisLabel = ",", paramLabel = "N", defaultValue = "50,500,5000",
            description = "Point counts to try (default ${DEFAULT-VALUE}).")
    int[] points;

    @Option(names = "--svg", paramLabel = "OUT", description = "Also write an SVG with the raw series and every reduction.")
    Path svg;

    @Option(names = "--width", paramLabel = "PX", defaultValue = "" + Fidelity.WIDTH,
            description = "Chart width in pixels (default ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--height", paramLabel = "PX", defaultValue = "" + Fidelity.HEIGHT,
            description = "Chart height in pixels (default ${DEFAULT-VALUE}).")
    int height;

    @Option(names = "--json", description = "Print {\"input\":..., \"rows\":[{\"algo\":..., \"points\":..., "
            + "\"pixel_mismatch_pct\":..., \"dssim\":...}, ...]} instead of a table.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        for (int p : points) if (p < 0) throw new ParameterException(spec.commandLine(), "--points must be >= 0, got " + p);
        if (width < 2 || width > MAX_SIDE || height < 2 || height > MAX_SIDE)
            throw new ParameterException(spec.commandLine(), "--width and --height must be in 2.." + MAX_SIDE
                    + ", got " + width + "x" + height);
        XySeries s = XyInput.read(input);
        if (s.firstDecreaseLine > 0) {
            spec.commandLine().getErr().println("spindle: warning: " + input + ":" + s.firstDecreaseLine
                    + ": x decreases; the algorithms and the chart assume ascending x");
        }
        List<FidelityMatrix.Row> rows = FidelityMatrix.run(s.x, s.y, s.n, points, width, height);
        Path svgPath = svg == null ? null : svg.toAbsolutePath();
        if (svgPath != null) {
            try {
                plot(s, rows).write(svgPath);
            } catch (IOException e) {
                throw new CliFailure(svgPath.toString(), "cannot write the SVG: " + FailureHandler.ioReason(e), e);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            StringBuilder sb = new StringBuilder("{");
            Json.string(Json.key(sb, "input"), input.toString()).append(',');
            Json.key(sb, "samples").append(s.n).append(',');
            Json.key(sb, "width").append(width).append(',');
            Json.key(sb, "height").append(height).append(',');
            if (svgPath != null) Json.string(Json.key(sb, "svg"), svgPath.toString()).append(',');
            FidelityReport.json(Json.key(sb, "rows"), rows).append('}');
            out.println(sb);
        } else {
            out.printf(Locale.ROOT, "%s: %d samples, %dx%d chart%n", input, s.n, width, height);
            out.print(FidelityReport.table(rows, ""));
            if (svgPath != null) out.println("SVG: " + svgPath);
        }
        out.flush();
        return 0;
    }

    private SvgPlot plot(XySeries s, List<FidelityMatrix.Row> rows) {
        SvgPlot plot = new SvgPlot("spindle fidelity: " + input.getFileName(), width, height);
        plot.section(input.toString(), "raw: " + s.n + " samples", s.x, s.y, s.n);
        for (FidelityMatrix.Row r : rows) plot.panel(panelLabel(r), r.kept(), r.keptCount());
        return plot;
    }

    static String panelLabel(FidelityMatrix.Row r) {
        return String.format(Locale.ROOT, "%s, %d points (%d kept): mismatch %.3f %%, DSSIM %.5f",
                r.algo().id(), r.points(), r.keptCount(), r.mismatchPercent(), r.dssim());
    }
}
