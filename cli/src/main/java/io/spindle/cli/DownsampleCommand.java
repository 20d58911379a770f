package io.spindle.cli;

import io.spindle.downsample.Algorithm;
import io.spindle.downsample.MinMaxLttb;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code spindle downsample}: x,y CSV in, the kept x,y lines out. */
@Command(name = "downsample", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Reduce an x,y series to about N points and print the kept x,y lines.",
                "Input: one 'x,y' per line, no header (blank lines, CR LF and spaces are fine), x ascending. "
                        + "Output: the kept points, each number in the shortest form that reads back to the same "
                        + "double (Double.toString's digits, laid out like JavaScript's Number.toString)."},
        footer = {"", "Example: spindle downsample --algo lttb --points 500 --input series.csv > reduced.csv"})
final class DownsampleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--algo", required = true, paramLabel = "ALGO", converter = AlgorithmOption.class,
            completionCandidates = AlgorithmOption.Ids.class, description = "One of: ${COMPLETION-CANDIDATES}.")
    Algorithm algo;

    @Option(names = "--points", required = true, paramLabel = "N",
            description = "Points to keep (0 keeps everything; first and last are always kept).")
    int points;

    @Option(names = "--input", paramLabel = "FILE", description = "The CSV file (default: stdin).")
    Path input;

    @Option(names = "--ratio", paramLabel = "R",
            description = "minmaxlttb only: min/max preselection bins per output point / 2 (default "
                    + MinMaxLttb.DEFAULT_RATIO + ", at least 2).")
    Integer ratio;

    @Override
    public Integer call() {
        if (points < 0) throw new ParameterException(spec.commandLine(), "--points must be >= 0, got " + points);
        if (ratio != null && algo != Algorithm.MINMAXLTTB)
            throw new ParameterException(spec.commandLine(), "--ratio applies to --algo minmaxlttb only");
        if (ratio != null && ratio < 2) throw new ParameterException(spec.commandLine(), "--ratio must be >= 2, got " + ratio);
        XySeries s = XyInput.read(input);
        String source = input == null ? "stdin" : input.toString();
        if (s.firstDecreaseLine > 0) {
            spec.commandLine().getErr().println("spindle: warning: " + source + ":" + s.firstDecreaseLine
                    + ": x decreases; the algorithms assume ascending x, so the selection may look wrong");
        }
        int[] kept = new int[Algorithm.maxOutput(s.n, points)];
        int count = ratio == null ? algo.select(s.x, s.y, s.n, points, kept)
                : MinMaxLttb.select(s.x, s.y, s.n, points, ratio, kept);
        write(spec.commandLine().getOut(), s, kept, count);
        return 0;
    }

    private static void write(PrintWriter out, XySeries s, int[] kept, int count) {
        StringBuilder sb = new StringBuilder(1 << 16);
        for (int k = 0; k < count; k++) {
            int i = kept[k];
            NumberText.append(sb, s.x[i]).append(',');
            NumberText.append(sb, s.y[i]).append('\n');
            if (sb.length() > (1 << 16) - 64) {
                out.append(sb);
                sb.setLength(0);
            }
        }
        out.append(sb);
        out.flush();
    }
}
