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
 *       binary-searches them; each sample costs only vectorised long and int reductions (see {@code Runs}).</li>
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
        Bins pass = new Bins(x, y, n, bins);
        int m = pass.preselect();
        if (m < 0) return -1;
        int[] index = pass.index;
        double[] px = pass.px, py = pass.py;
        int k = Lttb.kernel(px, py, m, threshold, out);
        for (int j = 0; j < k; j++) out[j] = index[out[j]];
        return k;
    }

    /**
     * The preselection: first, each bin's min and max in index order, last, with their x and y copied while they are
     * in cache. Its loop over bins runs in calls of PER_CALL bins: a loop of a few thousand short iterations that
     * runs once per select is interpreted for the first dozen selects (the JIT counts its back edges), while a method
     * called for every few bins is compiled within the first select.
     */
    private static final class Bins {
        static final int PER_CALL = 16;
        final double[] x, y, px, py;
        final int[] index;
        final int end, bins, guess;
        final double x1, step;
        final Runs run = new Runs();
        int b, i = 1, m; // next bin, its first sample, entries so far

        Bins(double[] x, double[] y, int n, int bins) {
            this.x = x;
            this.y = y;
            this.index = new int[2 * bins + 2];
            this.px = new double[index.length];
            this.py = new double[index.length];
            this.end = n - 1;
            this.bins = bins;
            this.guess = Math.max(1, (end - 1) / bins);
            this.x1 = x[1];
            this.step = x[n - 2] / bins - x1 / bins;
        }

        /** How many points it kept (in index, px, py); -1 on a non-finite value. */
        int preselect() {
            if (!Double.isFinite(x[0]) || !Double.isFinite(y[0]) || !Double.isFinite(x[end])
                    || !Double.isFinite(y[end])) {
                return -1;
            }
            keep(0);
            for (int from = 0; from < bins; from += PER_CALL) if (!next(Math.min(from + PER_CALL, bins))) return -1;
            keep(end);
            return m;
        }

        /** Bins up to {@code until} (exclusive); false on a non-finite value. */
        private boolean next(int until) {
            // The bins tile [1, end) (the last takes the rest), so every interior point is read for finiteness.
            for (int j; b < until && i < end; b++, i = j) {
                if (b == bins - 1) {
                    j = end;
                } else {
                    double edge = x1 + step * (b + 1);
                    j = x[i] > edge ? i : Runs.endAtEdge(x, i, end, edge, guess);
                    if (j == i) continue;
                }
                if (!run.extremes(x, y, i, j)) return false;
                keep(Math.min(run.minAt, run.maxAt));
                if (run.maxAt != run.minAt) keep(Math.max(run.minAt, run.maxAt));
            }
            return true;
        }

        private void keep(int at) {
            index[m] = at;
            px[m] = x[at];
            py[m++] = y[at];
        }
    }
}
