package io.spindle.downsample;

import java.util.Arrays;

/**
 * M4 (Jugel et al., "M4: A Visualization-Oriented Time Series Data Aggregation", PVLDB 7(10), 2014): the first, last,
 * minimum-y and maximum-y sample of each of B equal-width x buckets over [x of the first point, x of the last point].
 * Threshold N uses B = N/4 buckets, so at most N points; threshold 0 or &gt;= n keeps everything, threshold 1..3 keeps
 * the first and last point. The bucket of x is {@link #bucketOf}, the same mapping the fidelity raster uses for pixel
 * columns, which makes M4 with 4·width points pixel-perfect there. Ties keep the earliest sample; indices come out
 * ascending, each once; empty buckets contribute nothing.
 * Non-finite values: as {@link Lttb} (skipped; the buckets span the finite subsequence). x should be non-decreasing;
 * if not, each bucket still yields its earliest, latest, lowest and highest sample, in ascending index order.
 */
public final class M4 {
    private M4() {
    }

    /** Writes the kept indices of x,y[0..n), ascending, into out (see Algorithm.maxOutput); returns how many. */
    public static int select(double[] x, double[] y, int n, int threshold, int[] out) {
        return FiniteView.select(x, y, n, threshold, out, M4::kernel);
    }

    /** M4 with exactly the given number of buckets (e.g. a chart's pixel width); out needs min(n, 4·buckets) slots. */
    public static int selectBuckets(double[] x, double[] y, int n, int buckets, int[] out) {
        Inputs.series(x, y, n);
        if (buckets < 1) throw new IllegalArgumentException("buckets must be >= 1, got " + buckets);
        Inputs.out(out, (int) Math.min(n, 4L * buckets));
        int k = buckets(x, y, n, buckets, out);
        if (k >= 0) return k;
        FiniteView v = FiniteView.of(x, y, n);
        return v.toOriginal(out, buckets(v.x, v.y, v.n, buckets, out));
    }

    /** Equal-width bucket of x over [x0, xLast], clamped to [0, buckets); a zero or non-finite span maps to 0. */
    public static int bucketOf(double x, double x0, double xLast, int buckets) {
        int b = (int) ((x - x0) / (xLast - x0) * buckets);
        return b < 0 ? 0 : b >= buckets ? buckets - 1 : b;
    }

    /** M4 for a threshold; -1 when x or y holds a non-finite value in [0, n). */
    static int kernel(double[] x, double[] y, int n, int threshold, int[] out) {
        if (threshold >= n || threshold == 0) return FiniteView.allFinite(x, y, n) ? Inputs.all(n, out) : -1;
        if (threshold < 4) return FiniteView.allFinite(x, y, n) ? Inputs.ends(n, out) : -1;
        return buckets(x, y, n, threshold / 4, out);
    }

    /**
     * One pass over the runs of equal bucket (see {@link Runs}); -1 on a non-finite value; a run whose x extremes
     * leave its bucket (x not sorted) switches to the general path.
     */
    static int buckets(double[] x, double[] y, int n, int buckets, int[] out) {
        double x0 = n > 0 ? x[0] : 0, xLast = n > 0 ? x[n - 1] : 0;
        int guess = Math.max(1, n / buckets);
        Runs run = new Runs();
        int k = 0;
        // Runs come in strictly increasing bucket order, so even garbage from non-finite values stays within 4 per
        // bucket and within out.
        for (int i = 0, j; i < n; i = j) {
            int b = bucketOf(x[i], x0, xLast, buckets);
            j = Runs.endOfBucket(x, i, n, x0, xLast, buckets, b, guess);
            run.scan(x, y, i, j);
            if (!run.finite()) return -1;
            if (bucketOf(run.xMin, x0, xLast, buckets) != b || bucketOf(run.xMax, x0, xLast, buckets) != b) {
                return unsorted(x, y, n, buckets, out);
            }
            k = emit(out, k, i, Runs.first(y, i, j, run.yMin), Runs.first(y, i, j, run.yMax), j - 1);
        }
        return k;
    }

    private static int unsorted(double[] x, double[] y, int n, int buckets, int[] out) {
        if (!FiniteView.allFinite(x, y, n)) return -1;
        double x0 = x[0], xLast = x[n - 1];
        int[] first = new int[buckets], last = new int[buckets], min = new int[buckets], max = new int[buckets];
        Arrays.fill(first, -1);
        for (int i = 0; i < n; i++) {
            int b = bucketOf(x[i], x0, xLast, buckets);
            if (first[b] < 0) {
                first[b] = min[b] = max[b] = i;
            } else if (y[i] < y[min[b]]) {
                min[b] = i;
            } else if (y[i] > y[max[b]]) {
                max[b] = i;
            }
            last[b] = i;
        }
        int k = 0;
        for (int b = 0; b < buckets; b++) if (first[b] >= 0) k = emit(out, k, first[b], min[b], max[b], last[b]);
        Arrays.sort(out, 0, k);
        return k;
    }

    /** Appends first ≤ {min, max} ≤ last in ascending order, each index once. */
    private static int emit(int[] out, int k, int first, int min, int max, int last) {
        int lo = Math.min(min, max), hi = Math.max(min, max);
        out[k++] = first;
        if (lo > first) out[k++] = lo;
        if (hi > lo) out[k++] = hi;
        if (last > hi) out[k++] = last;
        return k;
    }
}
