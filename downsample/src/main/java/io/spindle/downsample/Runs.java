package io.spindle.downsample;

/**
 * Runs of consecutive samples that share a bucket, and their extremes, for the bucket selectors. Run ends are found by
 * galloping search over sorted x, so the per-sample work is only the min/max reductions below, which the JIT turns
 * into vector code: the pass runs at memory speed instead of a compare-and-branch per sample. Callers verify from the
 * x extremes that a run really is one bucket, which catches unsorted x, and from all four extremes that the run holds
 * no NaN or infinity (Math.min/max propagate NaN).
 */
final class Runs {
    double xMin, xMax, yMin, yMax;

    /** Sets the four extremes of x and y over [from, to), from &lt; to. */
    void scan(double[] x, double[] y, int from, int to) {
        double xl = x[from], xh = xl, yl = y[from], yh = yl;
        for (int k = from + 1; k < to; k++) {
            xl = Math.min(xl, x[k]);
            xh = Math.max(xh, x[k]);
            yl = Math.min(yl, y[k]);
            yh = Math.max(yh, y[k]);
        }
        xMin = xl;
        xMax = xh;
        yMin = yl;
        yMax = yh;
    }

    /** Whether the last scanned run held only finite values. */
    boolean finite() {
        return Double.isFinite(xMin) & Double.isFinite(xMax) & Double.isFinite(yMin) & Double.isFinite(yMax);
    }

    /**
     * The first index in [from, to) whose y equals v (by ==, so -0.0 meets 0.0 as a strict {@code <} scan would):
     * with v a scanned extreme, the earliest sample that attains it.
     */
    static int first(double[] y, int from, int to, double v) {
        for (int k = from; k < to; k++) if (y[k] == v) return k;
        return from;
    }

    /** First j in (from, to] with x[j] in a bucket above {@code bucket} (j = to when none), x sorted. */
    static int endOfBucket(double[] x, int from, int to, double x0, double xLast, int buckets, int bucket,
                           int guess) {
        int lo = from, hi, step = Math.max(1, guess);
        while (true) {
            hi = to - lo <= step ? to : lo + step;
            if (hi == to || M4.bucketOf(x[hi], x0, xLast, buckets) > bucket) break;
            lo = hi;
            if (step < (1 << 29)) step <<= 1;
        }
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (M4.bucketOf(x[mid], x0, xLast, buckets) > bucket) hi = mid;
            else lo = mid;
        }
        return hi;
    }

    /** First j in (from, to] with x[j] &gt; edge (j = to when none), x sorted. */
    static int endAtEdge(double[] x, int from, int to, double edge, int guess) {
        int lo = from, hi, step = Math.max(1, guess);
        while (true) {
            hi = to - lo <= step ? to : lo + step;
            if (hi == to || x[hi] > edge) break;
            lo = hi;
            if (step < (1 << 29)) step <<= 1;
        }
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (x[mid] > edge) hi = mid;
            else lo = mid;
        }
        return hi;
    }
}
