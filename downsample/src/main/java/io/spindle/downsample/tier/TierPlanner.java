package io.spindle.downsample.tier;

import io.spindle.downsample.Lttb;

/**
 * Chooses points for a view from the tiers: the coarsest level with at least M points in range (raw when even tier 0
 * has fewer), then exact LTTB down to M; or, when asked for consistency, the finest level with at most M points, as
 * they are, so that views of one range at different M are subsets of one another.
 */
public final class TierPlanner {
    private TierPlanner() {
    }

    /** Best points of the series in [from, to) with at most maxPoints points. */
    public static TierPlan plan(TieredSeries series, long from, long to, int maxPoints, boolean consistent) {
        if (maxPoints < 1) throw new IllegalArgumentException("maxPoints must be >= 1, got " + maxPoints);
        int levels = series.config().levels();
        PointColumn raw = series.raw();
        boolean rawUsable = raw != null && raw.size() > 0 && raw.time(0) <= from;
        if (to <= from) return new TierPlan(levels - 1, 0, new long[0], new double[0], new boolean[0], 0, true);

        int level;
        if (consistent) {
            level = levels - 1; // fallback: the coarsest, reduced by LTTB, no longer consistent
            if (rawUsable && raw.count(from, to) <= maxPoints) level = TierPlan.RAW;
            else for (int k = 0; k < levels; k++)
                if (series.tier(k).count(from, to) <= maxPoints) { level = k; break; }
        } else {
            level = rawUsable ? TierPlan.RAW : 0;
            for (int k = levels - 1; k >= 0; k--)
                if (series.tier(k).count(from, to) >= maxPoints) { level = k; break; }
        }
        PointColumn col = level == TierPlan.RAW ? raw : series.tier(level);
        int lo = col.lowerBound(from), hi = col.lowerBound(to), n = hi - lo;
        int[] pick;
        int size;
        if (n <= maxPoints) {
            pick = null;
            size = n;
        } else {
            // LTTB on times relative to the range start: exact as doubles, where epoch nanoseconds are not.
            double[] x = new double[n], y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = (double) (col.time(lo + i) - from);
                y[i] = col.value(lo + i);
            }
            pick = new int[Math.max(maxPoints, 2)];
            size = Lttb.select(x, y, n, maxPoints, pick);
        }
        long[] t = new long[size];
        double[] v = new double[size];
        boolean[] brk = new boolean[size];
        int prev = lo;
        for (int j = 0; j < size; j++) {
            int idx = lo + (pick == null ? j : pick[j]);
            t[j] = col.time(idx);
            v[j] = col.value(idx);
            if (j > 0) for (int i = prev + 1; i <= idx && !brk[j]; i++) brk[j] = col.segmentStart(i);
            prev = idx;
        }
        return new TierPlan(level, n, t, v, brk, size, pick == null);
    }
}
