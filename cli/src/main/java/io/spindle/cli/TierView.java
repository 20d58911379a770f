package io.spindle.cli;

import io.spindle.downsample.stream.StreamConfig;
import io.spindle.downsample.tier.TierConfig;
import io.spindle.downsample.tier.TierPlan;
import io.spindle.downsample.tier.TierPlanner;
import io.spindle.downsample.tier.TieredSeries;
import java.util.HashSet;
import java.util.Set;

/** Builds resolution tiers over a series and asks the planner for views, as a dashboard would. */
final class TierView {

    /** Tier sizes and two consistent views of the whole range, with whether the small one lies in the big one. */
    record Result(long baseBucketNanos, int factor, int[] tierSizes, TierPlan small, TierPlan big, boolean subset) {
    }

    private TierView() {
    }

    static Result run(long[] t, double[] v, int n, long baseBucketNanos, int factor, int levels, int smallM, int bigM) {
        TierConfig cfg = new TierConfig(StreamConfig.of(baseBucketNanos), factor, levels, n, Integer.MAX_VALUE);
        TieredSeries tiers = new TieredSeries(cfg);
        tiers.add(t, v, 0, n);
        tiers.flush();
        int[] sizes = new int[levels];
        for (int k = 0; k < levels; k++) sizes[k] = tiers.tier(k).size();
        long from = t[0], to = t[n - 1] + 1;
        TierPlan small = TierPlanner.plan(tiers, from, to, smallM, true);
        TierPlan big = TierPlanner.plan(tiers, from, to, bigM, true);
        Set<Long> bigTimes = new HashSet<>();
        for (int i = 0; i < big.size(); i++) bigTimes.add(big.time()[i]);
        boolean subset = true;
        for (int i = 0; i < small.size(); i++) subset &= bigTimes.contains(small.time()[i]);
        return new Result(baseBucketNanos, factor, sizes, small, big, subset);
    }

    static String describe(TierPlan p) {
        String level = p.tier() == TierPlan.RAW ? "raw" : "tier " + p.tier();
        return p.size() + " points from " + level + (p.consistent() ? " as stored" : " (LTTB from " + p.candidates() + ")");
    }
}
