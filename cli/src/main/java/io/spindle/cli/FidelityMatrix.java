package io.spindle.cli;

import io.spindle.downsample.Algorithm;
import io.spindle.downsample.fidelity.Fidelity;
import io.spindle.downsample.fidelity.FidelityResult;
import java.util.ArrayList;
import java.util.List;

/** Runs every algorithm at every point count on one series and measures what its chart loses against the raw one. */
final class FidelityMatrix {

    /** One algorithm at one point count: the kept indices, how fast they were chosen, and the chart's fidelity. */
    record Row(Algorithm algo, int points, int[] kept, int keptCount, long selectNanos, double mismatchPercent,
               double dssim) {
    }

    private FidelityMatrix() {
    }

    /** Rows in algorithm order, then point order, measured on a width x height chart. */
    static List<Row> run(double[] x, double[] y, int n, int[] points, int width, int height) {
        List<Row> rows = new ArrayList<>();
        for (Algorithm a : Algorithm.values()) {
            for (int p : points) {
                int[] kept = new int[Algorithm.maxOutput(n, p)];
                long t0 = System.nanoTime();
                int count = a.select(x, y, n, p, kept);
                long nanos = System.nanoTime() - t0;
                FidelityResult f = Fidelity.compare(x, y, n, kept, count, width, height);
                rows.add(new Row(a, p, kept, count, nanos, f.pixelMismatchPercent(), f.dssim()));
            }
        }
        return rows;
    }
}
