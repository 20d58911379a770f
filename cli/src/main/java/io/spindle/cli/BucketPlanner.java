package io.spindle.cli;

import java.util.Arrays;

/**
 * Picks the bucket width of a streaming-LTTB run over a whole series so that about N points come out. For a width Δ
 * the output of the streaming engine over time-sorted samples is known exactly: the samples split into segments at
 * runs of {@code gapBuckets} or more empty buckets of the absolute grid {@code [k·Δ, (k+1)·Δ)}; a segment of one
 * sample emits it; a longer one emits its first and last samples plus one point per bucket that holds any of its other
 * samples. {@link #choose} searches for the Δ whose count is closest to N: the smallest Δ with at most N points, or
 * the next narrower width tried when its count lands closer (on coarse time grids, e.g. x = 0, 1, 2, ..., the counts
 * of neighbouring widths are far apart).
 */
final class BucketPlanner {
    /** (gapBuckets + 3) · Δ must stay below 2^53 ns (see StreamConfig). */
    private static final long MAX_EXACT_SPAN = 1L << 53;

    private BucketPlanner() {
    }

    /** The times of the samples with a finite value, sorted. */
    static long[] sortedFiniteTimes(long[] t, double[] y, int n) {
        long[] s = new long[n];
        int m = 0;
        boolean sorted = true;
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(y[i])) continue;
            if (m > 0 && t[i] < s[m - 1]) sorted = false;
            s[m++] = t[i];
        }
        if (m < n) s = Arrays.copyOf(s, m);
        if (!sorted) Arrays.sort(s);
        return s;
    }

    /** Points the streaming engine emits for the sorted times ts with bucket width delta and the gap rule. */
    static long predict(long[] ts, long delta, int gapBuckets) {
        int m = ts.length;
        if (m == 0) return 0;
        long count = 0;
        long prevB = Math.floorDiv(ts[0], delta);
        int segLen = 1;          // samples in the current segment so far
        long distinct = 0;       // distinct buckets among the segment's samples after its first
        long lastCandB = 0;      // bucket of the newest of those samples
        boolean lastAlone = false; // whether the newest sample is alone in its bucket among them
        for (int i = 1; i < m; i++) {
            long b = Math.floorDiv(ts[i], delta);
            if (b - prevB - 1 >= gapBuckets) {
                count += segmentPoints(segLen, distinct, lastAlone);
                segLen = 1;
                distinct = 0;
            } else {
                if (segLen == 1 || b != lastCandB) {
                    distinct++;
                    lastCandB = b;
                    lastAlone = true;
                } else {
                    lastAlone = false;
                }
                segLen++;
            }
            prevB = b;
        }
        return count + segmentPoints(segLen, distinct, lastAlone);
    }

    /** A segment's points: its last sample is no candidate, so its bucket counts only if other samples share it. */
    private static long segmentPoints(int segLen, long distinct, boolean lastAlone) {
        if (segLen == 1) return 1;
        return 2 + distinct - (lastAlone ? 1 : 0);
    }

    /**
     * The bucket width whose output from the sorted times ts is closest to target points: bisection from
     * span / (N - 2) for the smallest width with at most target points (to within 1/4096), then the narrower bracket
     * end instead when its count is nearer; the widest allowed width when even that gives more.
     */
    static long choose(long[] ts, int target, int gapBuckets) {
        int m = ts.length;
        long maxDelta = MAX_EXACT_SPAN / (gapBuckets + 3L) - 1;
        if (m == 0) return 1;
        long span;
        try {
            span = Math.addExact(Math.subtractExact(ts[m - 1], ts[0]), 1);
        } catch (ArithmeticException e) {
            span = Long.MAX_VALUE;
        }
        long hi = Math.min(maxDelta, Math.max(1, span));
        if (predict(ts, 1, gapBuckets) <= target) return 1;
        if (predict(ts, hi, gapBuckets) > target) return hi;
        long lo = 1; // predict(lo) > target, predict(hi) <= target
        long guess = Math.min(hi, Math.max(1, span / Math.max(1, target - 2) + 1));
        if (guess > lo && guess < hi) {
            if (predict(ts, guess, gapBuckets) <= target) {
                hi = guess;
                for (long g = guess / 2; g > lo; g /= 2) {
                    if (predict(ts, g, gapBuckets) > target) {
                        lo = g;
                        break;
                    }
                    hi = g;
                }
            } else {
                lo = guess;
                for (long g = guess; g < hi / 2; ) {
                    g *= 2;
                    if (predict(ts, g, gapBuckets) <= target) {
                        hi = g;
                        break;
                    }
                    lo = g;
                }
            }
        }
        while (hi - lo > Math.max(1, hi >> 12)) {
            long mid = lo + (hi - lo) / 2;
            if (predict(ts, mid, gapBuckets) <= target) hi = mid;
            else lo = mid;
        }
        long below = predict(ts, hi, gapBuckets), above = predict(ts, lo, gapBuckets);
        return above - target < target - below ? lo : hi;
    }
}
