package io.spindle.http;

/**
 * Where a line must break between neighbouring points read from one tier or the raw ring.
 * <ul>
 *   <li>Tier k: the rule of the streaming LTTB that made the tier. Its buckets lie on the absolute grid
 *       {@code [j·Δk, (j+1)·Δk)}, and it ends a segment when gapBuckets buckets in a row are empty; it emits a point
 *       for every non-empty bucket. So two neighbouring points of the tier have a gap between them exactly when at
 *       least gapBuckets empty buckets lie between theirs: {@code floor(b/Δk) - floor(a/Δk) > gapBuckets}. A series
 *       slower than the tier's buckets (a 1 Hz temperature in 10 ms buckets) has such a "gap" after every point, and a
 *       chart of it would be dots; so a tier gap must also be a spacing larger than gapBuckets times the median spacing
 *       of the points read, the raw rule below.</li>
 *   <li>Raw: samples have no grid, so the rule is relative to the data read: a gap is a spacing larger than
 *       gapBuckets times the median spacing of the samples read.</li>
 * </ul>
 */
final class GapMarks {
    private GapMarks() {
    }

    /** gap[i] is true when a gap lies between points i-1 and i of a tier with the given bucket width. */
    static boolean[] tier(long[] t, int n, long bucketNanos, int gapBuckets) {
        boolean[] gap = new boolean[n];
        double limit = n < 3 ? 0 : gapBuckets * (double) medianSpacing(t, n);
        for (int i = 1; i < n; i++)
            gap[i] = Math.floorDiv(t[i], bucketNanos) - Math.floorDiv(t[i - 1], bucketNanos) > gapBuckets
                    && (double) (t[i] - t[i - 1]) > limit;
        return gap;
    }

    /** gap[i] is true when points i-1 and i are more than factor times the median spacing apart. */
    static boolean[] raw(long[] t, int n, int factor) {
        boolean[] gap = new boolean[n];
        if (n < 3) return gap; // one spacing is its own median: nothing to compare with
        double limit = factor * (double) medianSpacing(t, n);
        for (int i = 1; i < n; i++) gap[i] = (double) (t[i] - t[i - 1]) > limit;
        return gap;
    }

    /** The (lower) median of the n-1 spacings of ascending times t[0..n), n >= 2; linear time. */
    static long medianSpacing(long[] t, int n) {
        long[] d = new long[n - 1];
        for (int i = 1; i < n; i++) d[i - 1] = t[i] - t[i - 1];
        return select(d, (d.length - 1) / 2);
    }

    /** The k-th smallest of a (reordered in place): quickselect with three-way partitioning, so equal spacings (the usual case) end it fast. */
    static long select(long[] a, int k) {
        int lo = 0, hi = a.length;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            long p = median3(a[lo], a[mid], a[hi - 1]);
            int lt = lo, i = lo, gt = hi;
            while (i < gt) {
                long x = a[i];
                if (x < p) {
                    a[i++] = a[lt];
                    a[lt++] = x;
                } else if (x > p) {
                    a[i] = a[--gt];
                    a[gt] = x;
                } else i++;
            }
            if (k < lt) hi = lt;
            else if (k >= gt) lo = gt;
            else return p;
        }
        return a[lo];
    }

    private static long median3(long a, long b, long c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }
}
