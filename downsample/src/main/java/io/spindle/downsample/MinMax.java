package io.spindle.downsample;

import java.util.Arrays;

/**
 * MinMax: the minimum-y and maximum-y sample of each equal-width x bucket over [x of the first point, x of the last
 * point] (bucket as {@link M4#bucketOf}), plus the first and last sample. Threshold N uses (N-2)/2 buckets so that,
 * with first and last, at most N points come out; threshold 0 or &gt;= n keeps everything, threshold 1..3 keeps the
 * first and last point. Ties keep the earliest sample; indices come out ascending, each once.
 * Non-finite values: as {@link Lttb} (skipped). x should be non-decreasing; if not, each bucket still yields its
 * lowest and highest sample, in ascending index order.
 */
public final class MinMax {
    private MinMax() {
    }

    /** Writes the kept indices of x,y[0..n), ascending, into out (see Algorithm.maxOutput); returns how many. */
    public static int select(double[] x, double[] y, int n, int threshold, int[] out) {
        return FiniteView.select(x, y, n, threshold, out, MinMax::kernel);
    }

    /** MinMax for a threshold; -1 when x or y holds a non-finite value in [0, n). */
    static int kernel(double[] x, double[] y, int n, int threshold, int[] out) {
        if (threshold >= n || threshold == 0) return FiniteView.allFinite(x, y, n) ? Inputs.all(n, out) : -1;
        if (threshold < 4) return FiniteView.allFinite(x, y, n) ? Inputs.ends(n, out) : -1;
        return buckets(x, y, n, (threshold - 2) / 2, out);
    }

    /**
     * One pass over the runs of equal bucket (see {@link Runs}); -1 on a non-finite value; a run whose x extremes
     * leave its bucket (x not sorted) switches to the general path.
     */
    static int buckets(double[] x, double[] y, int n, int buckets, int[] out) {
        double x0 = x[0], xLast = x[n - 1];
        int guess = Math.max(1, n / buckets);
        Runs run = new Runs();
        int k = 0;
        out[k++] = 0;
        for (int i = 0, j; i < n; i = j) {
            int b = M4.bucketOf(x[i], x0, xLast, buckets);
            j = Runs.endOfBucket(x, i, n, x0, xLast, buckets, b, guess);
            run.scan(x, y, i, j);
            if (!run.finite()) return -1;
            if (M4.bucketOf(run.xMin, x0, xLast, buckets) != b || M4.bucketOf(run.xMax, x0, xLast, buckets) != b) {
                return unsorted(x, y, n, buckets, out);
            }
            k = emit(out, k, Runs.first(y, i, j, run.yMin), Runs.first(y, i, j, run.yMax));
        }
        if (out[k - 1] != n - 1) out[k++] = n - 1;
        return k;
    }

    private static int unsorted(double[] x, double[] y, int n, int buckets, int[] out) {
        if (!FiniteView.allFinite(x, y, n)) return -1;
        double x0 = x[0], xLast = x[n - 1];
        int[] min = new int[buckets], max = new int[buckets];
        Arrays.fill(min, -1);
        for (int i = 0; i < n; i++) {
            int b = M4.bucketOf(x[i], x0, xLast, buckets);
            if (min[b] < 0) {
                min[b] = max[b] = i;
            } else if (y[i] < y[min[b]]) {
                min[b] = i;
            } else if (y[i] > y[max[b]]) {
                max[b] = i;
            }
        }
        int k = 0;
        out[k++] = 0;
        for (int b = 0; b < buckets; b++) if (min[b] >= 0) k = emit(out, k, min[b], max[b]);
        Arrays.sort(out, 1, k);
        out[k++] = n - 1;
        int u = 1;
        for (int i = 1; i < k; i++) if (out[i] != out[u - 1]) out[u++] = out[i];
        return u;
    }

    /** Appends min and max in index order, skipping what equals the previous entry. */
    private static int emit(int[] out, int k, int min, int max) {
        int lo = Math.min(min, max), hi = Math.max(min, max);
        if (lo != out[k - 1]) out[k++] = lo;
        if (hi != lo) out[k++] = hi;
        return k;
    }
}
