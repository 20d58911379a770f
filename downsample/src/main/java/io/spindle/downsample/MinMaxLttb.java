package io.spindle.downsample;

/**
 * MinMaxLTTB (Van Der Donckt et al., "MinMaxLTTB: Leveraging MinMax-Preselection to Scale LTTB", IEEE VIS 2023),
 * shaped like tsdownsample's {@code minmaxlttb_with_x}: keep the first and last point, preselect the minimum-y and
 * maximum-y sample (in index order, earliest on ties) of each of threshold·ratio/2 EQUAL-WIDTH x bins over the
 * interior points [1, n-2] (tsdownsample's with-x binning; its without-x variant uses equal-count bins), then run
 * {@link Lttb} on the preselected points.
 * <ul>
 *   <li>Bins as tsdownsample's: step = x[n-2]/bins - x[1]/bins; bin b holds the points after bin b-1 with
 *       x &lt;= x[1] + step·(b+1), the last bin all that remain. Edges are found by galloping search as tsdownsample
 *       binary-searches them; each sample costs only vectorised min/max reductions (see {@code Runs}).</li>
 *   <li>Differences from tsdownsample: the LTTB step is Spindle's reference-exact {@link Lttb} (tsdownsample's LTTB
 *       takes the next bucket's mean x as the mean of its end points); no 1e-12 slack on the edges; preselection runs
 *       when n &gt; threshold·ratio (tsdownsample: n / threshold &gt; ratio).</li>
 *   <li>threshold 0 or &gt;= n keeps everything; threshold 1 or 2 keeps first and last; n &lt;= threshold·ratio runs
 *       plain {@link Lttb}.</li>
 *   <li>Non-finite values: as {@link Lttb} (skipped). x should be non-decreasing; if not, the bins are the index
 *       ranges the edge search finds as if x were sorted, and the output is still real samples in ascending order.</li>
 *   <li>Allocates O(threshold·ratio) scratch per call.</li>
 * </ul>
 */
public final class MinMaxLttb {
    /** The ratio the paper recommends. */
    public static final int DEFAULT_RATIO = 4;

    private MinMaxLttb() {
    }

    /** Writes the kept indices, ascending, into out (see Algorithm.maxOutput); ratio &gt;= 2; returns how many. */
    public static int select(double[] x, double[] y, int n, int threshold, int ratio, int[] out) {
        Inputs.series(x, y, n);
        Inputs.out(out, Inputs.maxOutput(n, threshold));
        if (ratio < 2) throw new IllegalArgumentException("ratio must be >= 2, got " + ratio);
        int k = kernel(x, y, n, threshold, ratio, out);
        if (k >= 0) return k;
        FiniteView v = FiniteView.of(x, y, n);
        return v.toOriginal(out, kernel(v.x, v.y, v.n, threshold, ratio, out));
    }

    /** {@link #select(double[], double[], int, int, int, int[])} with {@link #DEFAULT_RATIO}. */
    public static int select(double[] x, double[] y, int n, int threshold, int[] out) {
        return select(x, y, n, threshold, DEFAULT_RATIO, out);
    }

    /** -1 when x or y holds a non-finite value in [0, n). */
    static int kernel(double[] x, double[] y, int n, int threshold, int ratio, int[] out) {
        if (threshold == 0 || threshold >= n || threshold <= 2 || n <= (long) threshold * ratio) {
            return Lttb.kernel(x, y, n, threshold, out);
        }
        int bins = (int) ((long) threshold * ratio / 2);
        int[] index = new int[2 * bins + 2];
        int m = preselect(x, y, n, bins, index);
        if (m < 0) return -1;
        double[] px = new double[m], py = new double[m];
        for (int j = 0; j < m; j++) {
            px[j] = x[index[j]];
            py[j] = y[index[j]];
        }
        int k = Lttb.kernel(px, py, m, threshold, out);
        for (int j = 0; j < k; j++) out[j] = index[out[j]];
        return k;
    }

    /** First, each bin's min and max in index order, last; -1 on a non-finite value. */
    private static int preselect(double[] x, double[] y, int n, int bins, int[] index) {
        int end = n - 1;
        if (!Double.isFinite(x[0]) || !Double.isFinite(y[0]) || !Double.isFinite(x[end]) || !Double.isFinite(y[end])) {
            return -1;
        }
        double x1 = x[1];
        double step = x[n - 2] / bins - x1 / bins;
        int guess = Math.max(1, (end - 1) / bins);
        Runs run = new Runs();
        int m = 0;
        index[m++] = 0;
        // The bins tile [1, end) (the last takes the rest), so every interior point is scanned for finiteness.
        for (int b = 0, i = 1, j; b < bins && i < end; b++, i = j) {
            if (b == bins - 1) {
                j = end;
            } else {
                double edge = x1 + step * (b + 1);
                j = x[i] > edge ? i : Runs.endAtEdge(x, i, end, edge, guess);
                if (j == i) continue;
            }
            run.scan(x, y, i, j);
            if (!run.finite()) return -1;
            int min = Runs.first(y, i, j, run.yMin), max = Runs.first(y, i, j, run.yMax);
            index[m++] = Math.min(min, max);
            if (max != min) index[m++] = Math.max(min, max);
        }
        index[m++] = end;
        return m;
    }
}
