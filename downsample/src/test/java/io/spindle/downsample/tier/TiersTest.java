package io.spindle.downsample.tier;

import static org.assertj.core.api.Assertions.assertThat;

import io.spindle.downsample.stream.StreamConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class TiersTest {
    private static final long T0 = 1_700_000_000_000_000_000L;

    record P(long t, double v) {
    }

    /** A machine-like signal with bursts, jitter and a few outages. */
    private static TieredSeries feed(long seed, int n, TierConfig cfg) {
        SplittableRandom r = new SplittableRandom(seed);
        TieredSeries s = new TieredSeries(cfg);
        long t = T0;
        double level = 0;
        for (int i = 0; i < n; i++) {
            t += r.nextInt(100) < 2 ? 50_000_000L + r.nextLong(50_000_000L) : r.nextLong(200_000);
            level += r.nextGaussian();
            long jitter = r.nextInt(20) == 0 ? r.nextLong(300_000) : 0;
            s.add(t - jitter, level + (r.nextInt(500) == 0 ? 40 : 0));
        }
        s.flush();
        return s;
    }

    private static TierConfig config(SplittableRandom r) {
        StreamConfig base = new StreamConfig(100_000 + r.nextLong(2_000_000), 300_000, 1 + r.nextInt(3), 1 << 16, 4096);
        return new TierConfig(base, 2 + r.nextInt(4), 2 + r.nextInt(3), 1 << 20, Integer.MAX_VALUE);
    }

    private static List<P> points(PointColumn c, int from, int to) {
        List<P> out = new ArrayList<>();
        for (int i = from; i < to; i++) out.add(new P(c.time(i), c.value(i)));
        return out;
    }

    private static boolean isSubsequence(List<P> small, List<P> big) {
        int j = 0;
        for (P p : big) if (j < small.size() && small.get(j).equals(p)) j++;
        return j == small.size();
    }

    @Property(tries = 40)
    void everyTierIsASubsetOfTheTierBelow(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        TierConfig cfg = config(r);
        TieredSeries s = feed(seed, 20_000, cfg);
        assertThat(isSubsequence(points(s.tier(0), 0, s.tier(0).size()), points(s.raw(), 0, s.raw().size()))).isTrue();
        for (int k = 1; k < cfg.levels(); k++) {
            List<P> fine = points(s.tier(k - 1), 0, s.tier(k - 1).size());
            List<P> coarse = points(s.tier(k), 0, s.tier(k).size());
            assertThat(coarse.size()).isLessThanOrEqualTo(fine.size());
            assertThat(isSubsequence(coarse, fine)).as("tier %d within tier %d", k, k - 1).isTrue();
        }
    }

    @Property(tries = 40)
    void plansHoldAtMostMRealSamplesFromTheCoarsestSufficientTier(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        TierConfig cfg = config(r);
        TieredSeries s = feed(seed, 20_000, cfg);
        PointColumn raw = s.raw();
        long a = raw.time(0), b = raw.time(raw.size() - 1) + 1;
        long from = a + (long) (r.nextDouble() * (b - a) / 2), to = from + 1 + (long) (r.nextDouble() * (b - from));
        int m = 3 + r.nextInt(2_000);
        TierPlan plan = TierPlanner.plan(s, from, to, m, false);
        assertThat(plan.size()).isLessThanOrEqualTo(m);
        PointColumn col = plan.tier() == TierPlan.RAW ? raw : s.tier(plan.tier());
        List<P> inRange = points(col, col.lowerBound(from), col.lowerBound(to));
        List<P> got = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) got.add(new P(plan.time()[i], plan.value()[i]));
        assertThat(isSubsequence(got, inRange)).isTrue();
        assertThat(plan.candidates()).isEqualTo(inRange.size());
        // the coarsest sufficient level: no coarser tier has M points in range, and the chosen one has (or is raw)
        for (int k = plan.tier() + 1; k < cfg.levels(); k++) assertThat(s.tier(k).count(from, to)).isLessThan(m);
        if (plan.tier() != TierPlan.RAW) assertThat(plan.candidates()).isGreaterThanOrEqualTo(m);
        else assertThat(plan.size()).isEqualTo(Math.min(m, inRange.size()));
    }

    @Property(tries = 40)
    void consistentViewsAreSubsetsOfFinerViews(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        TierConfig cfg = new TierConfig(new StreamConfig(200_000, 300_000, 2, 1 << 16, 4096), 8, 6, 1 << 20, Integer.MAX_VALUE);
        TieredSeries s = feed(seed, 30_000, cfg);
        PointColumn raw = s.raw();
        long a = raw.time(0), b = raw.time(raw.size() - 1) + 1;
        long from = a + (long) (r.nextDouble() * (b - a) / 3), to = b - (long) (r.nextDouble() * (b - a) / 3);
        TierPlan small = TierPlanner.plan(s, from, to, 50, true);
        TierPlan big = TierPlanner.plan(s, from, to, 5_000, true);
        assertThat(small.consistent()).isTrue();
        assertThat(big.consistent()).isTrue();
        List<P> sp = new ArrayList<>(), bp = new ArrayList<>();
        for (int i = 0; i < small.size(); i++) sp.add(new P(small.time()[i], small.value()[i]));
        for (int i = 0; i < big.size(); i++) bp.add(new P(big.time()[i], big.value()[i]));
        assertThat(isSubsequence(sp, bp)).as("50-point view (tier %d) within the 5000-point view (tier %d)",
                small.tier(), big.tier()).isTrue();
        assertThat(small.size()).isLessThanOrEqualTo(50);
        assertThat(big.size()).isLessThanOrEqualTo(5_000);
    }

    @Test
    void gapsComeBackAsBreaks() {
        TierConfig cfg = new TierConfig(new StreamConfig(1_000, 0, 2, 1024, 64), 2, 2, 1 << 16, Integer.MAX_VALUE);
        TieredSeries s = new TieredSeries(cfg);
        for (int i = 0; i < 5_000; i++) s.add(T0 + i * 10L, Math.sin(i / 50.0));
        for (int i = 0; i < 5_000; i++) s.add(T0 + 1_000_000 + i * 10L, Math.cos(i / 50.0));
        s.flush();
        for (boolean consistent : new boolean[] {false, true}) {
            TierPlan p = TierPlanner.plan(s, T0, T0 + 2_000_000, 40, consistent);
            int breaks = 0;
            for (int i = 0; i < p.size(); i++) {
                if (p.breakBefore()[i]) {
                    breaks++;
                    assertThat(p.time()[i - 1]).isLessThan(T0 + 50_000);
                    assertThat(p.time()[i]).isGreaterThanOrEqualTo(T0 + 1_000_000);
                }
            }
            assertThat(breaks).as("consistent=%s", consistent).isEqualTo(1);
        }
    }

    @Test
    void snapshotMovesTheTiersElsewhere() {
        TierConfig cfg = new TierConfig(new StreamConfig(10_000, 5_000, 2, 1024, 256), 3, 3, 0, Integer.MAX_VALUE);
        SplittableRandom r = new SplittableRandom(7);
        int n = 30_000;
        long[] t = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) { t[i] = T0 + i * 700L - r.nextLong(3_000); v[i] = r.nextGaussian(); }
        TieredSeries whole = new TieredSeries(cfg);
        whole.add(t, v, 0, n);
        whole.flush();
        TieredSeries first = new TieredSeries(cfg);
        first.add(t, v, 0, 12_345);
        TieredSeries second = TieredSeries.restore(cfg, first.snapshot());
        second.add(t, v, 12_345, n);
        second.flush();
        for (int k = 0; k < 3; k++) {
            List<P> joined = points(first.tier(k), 0, first.tier(k).size());
            joined.addAll(points(second.tier(k), 0, second.tier(k).size()));
            assertThat(joined).as("tier %d", k).isEqualTo(points(whole.tier(k), 0, whole.tier(k).size()));
        }
    }
}
