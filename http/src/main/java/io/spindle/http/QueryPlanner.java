package io.spindle.http;

import io.spindle.downsample.Lttb;
import io.spindle.downsample.tier.TierConfig;
import io.spindle.downsample.tier.TierPlan;
import io.spindle.store.SeriesStore;
import io.spindle.store.SeriesStore.SeriesInfo;

/**
 * Chooses and reads the points of one view of a series from the store: at most M real samples of [from, to),
 * with the places where the line must break.
 * <ul>
 *   <li>Tiers, best fidelity (default): counting from the coarsest tier down (counts are cheap and the coarse ones
 *       small), the coarsest tier with at least M points in range; when even tier 0 has fewer, the raw ring if it
 *       covers the range and holds at most {@code autoRawMax} samples there, else tier 0. Then exact LTTB down to M.</li>
 *   <li>Tiers, consistent: the finest level (raw included, on the same conditions) with at most M points, as
 *       stored, no LTTB. Every tier is a subset of the one below, so the view with fewer points is a subset of the
 *       view with more. When even the coarsest tier has more than M points in range, it is reduced by LTTB and the
 *       plan says it is not consistent.</li>
 *   <li>Raw: the raw ring's samples in range, refused when there are more than {@code rawReadMax} of them, then
 *       LTTB down to M (unless consistent and they fit).</li>
 * </ul>
 * Nothing unbounded is read: a read is limited by the count just taken (plus slack for rows that arrived since),
 * and a level with more than its bound in range is refused with a message, never read. Samples whose value is not
 * finite (NaN, infinities) are left out: they cannot be drawn and JSON cannot carry them. Thread-safe.
 */
final class QueryPlanner {
    /** Most points a view may ask for. */
    static final int MAX_POINTS = 100_000;
    static final int DEFAULT_TIER_READ_MAX = 1_000_000;
    static final int DEFAULT_RAW_READ_MAX = 2_000_000;
    /** Most raw samples the planner reads on its own: beyond this a raw read costs more time than its fidelity gain is worth. */
    static final int DEFAULT_AUTO_RAW_MAX = 500_000;

    /** Where the points come from. */
    enum Source { TIERS, RAW }

    private final SeriesStore store;
    private final TierConfig tiers;
    private final int tierReadMax, rawReadMax, autoRawMax;

    QueryPlanner(SeriesStore store, TierConfig tiers) {
        this(store, tiers, DEFAULT_TIER_READ_MAX, DEFAULT_RAW_READ_MAX, DEFAULT_AUTO_RAW_MAX);
    }

    QueryPlanner(SeriesStore store, TierConfig tiers, int tierReadMax, int rawReadMax, int autoRawMax) {
        this.store = store;
        this.tiers = tiers;
        this.tierReadMax = tierReadMax;
        this.rawReadMax = rawReadMax;
        this.autoRawMax = autoRawMax;
    }

    TierConfig tiers() {
        return tiers;
    }

    /** The view of info's series over [fromNs, toNs) with at most maxPoints points; ApiError (400) when refused. */
    TierPlan plan(SeriesInfo info, long fromNs, long toNs, int maxPoints, boolean consistent, Source source) {
        if (maxPoints < 1 || maxPoints > MAX_POINTS)
            throw ApiError.badRequest("maxDataPoints " + maxPoints + " is outside 1.." + MAX_POINTS);
        String s = info.series();
        if (toNs <= fromNs) return read(s, 0, fromNs, toNs, 0, maxPoints, consistent);
        if (source == Source.RAW) {
            long n = store.count(s, SeriesStore.RAW, fromNs, toNs);
            if (n > rawReadMax)
                throw ApiError.badRequest("series '" + s + "': the range holds " + n + " raw samples, more than the "
                        + rawReadMax + " the server reads at once; zoom in");
            return read(s, SeriesStore.RAW, fromNs, toNs, n, maxPoints, consistent);
        }
        int levels = tiers.levels();
        int level = -2;
        long count = 0;
        if (consistent) {
            for (int k = levels - 1; k >= 0; k--) {
                long c = store.count(s, k, fromNs, toNs);
                if (c > maxPoints) break;
                level = k;
                count = c;
            }
            if (level == 0 && rawCovers(info, fromNs)) {
                long raw = store.count(s, SeriesStore.RAW, fromNs, toNs);
                if (raw <= maxPoints) {
                    level = SeriesStore.RAW;
                    count = raw;
                }
            }
            if (level == -2) { // even the coarsest tier has too many: reduce it, no longer consistent
                level = levels - 1;
                count = store.count(s, level, fromNs, toNs);
            }
        } else {
            long finest = 0;
            for (int k = levels - 1; k >= 0; k--) {
                long c = store.count(s, k, fromNs, toNs);
                if (c >= maxPoints) {
                    level = k;
                    count = c;
                    break;
                }
                finest = c;
            }
            if (level == -2) {
                level = 0;
                count = finest;
                if (rawCovers(info, fromNs)) {
                    long raw = store.count(s, SeriesStore.RAW, fromNs, toNs);
                    if (raw > finest && raw <= autoRawMax) {
                        level = SeriesStore.RAW;
                        count = raw;
                    }
                }
            }
        }
        if (level >= 0 && count > tierReadMax)
            throw ApiError.badRequest("series '" + s + "': the range holds " + count + " points even in tier " + level
                    + " (bucket " + tiers.bucketNanos(level) / 1e6 + " ms), more than the " + tierReadMax
                    + " the server reads at once; narrow the range");
        return read(s, level, fromNs, toNs, count, maxPoints, consistent);
    }

    /** The raw ring holds the range from its start (or from the series' first sample, if later). */
    private static boolean rawCovers(SeriesInfo info, long fromNs) {
        return info.rawCount() > 0 && info.rawFirstNs() <= Math.max(fromNs, info.firstNs());
    }

    private TierPlan read(String s, int level, long fromNs, long toNs, long count, int maxPoints, boolean consistent) {
        int limit = (int) Math.min(Integer.MAX_VALUE - 8, count + Math.max(1024, count / 4)); // rows may have arrived since the count
        long[] t = new long[limit];
        double[] v = new double[limit];
        int n = toNs <= fromNs ? 0 : store.read(s, level, fromNs, toNs, limit, t, v);
        n = dropNonFinite(t, v, n);
        boolean[] gap = level == SeriesStore.RAW
                ? GapMarks.raw(t, n, tiers.tier0().gapBuckets())
                : GapMarks.tier(t, n, tiers.bucketNanos(level), tiers.config(level).gapBuckets());
        int[] pick = null;
        int size = n;
        if (n > maxPoints) {
            pick = select(t, v, n, maxPoints);
            size = pick.length;
        }
        long[] ot = new long[size];
        double[] ov = new double[size];
        boolean[] brk = new boolean[size];
        int prev = 0;
        for (int j = 0; j < size; j++) {
            int idx = pick == null ? j : pick[j];
            ot[j] = t[idx];
            ov[j] = v[idx];
            if (j > 0) for (int i = prev + 1; i <= idx && !brk[j]; i++) brk[j] = gap[i];
            prev = idx;
        }
        return new TierPlan(level, n, ot, ov, brk, size, pick == null);
    }

    /** Exact LTTB down to m (m = 1: the newest point, since LTTB always keeps both ends). */
    private static int[] select(long[] t, double[] v, int n, int m) {
        if (m == 1) return new int[] {n - 1};
        double[] x = new double[n];
        long t0 = t[0];
        for (int i = 0; i < n; i++) x[i] = (double) (t[i] - t0); // relative times stay exact in a double
        int[] out = new int[m];
        int k = Lttb.select(x, v, n, m, out);
        return k == m ? out : java.util.Arrays.copyOf(out, k);
    }

    private static int dropNonFinite(long[] t, double[] v, int n) {
        int w = 0;
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(v[i])) continue;
            t[w] = t[i];
            v[w++] = v[i];
        }
        return w;
    }
}
