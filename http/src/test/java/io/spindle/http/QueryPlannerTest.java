package io.spindle.http;

import static io.spindle.http.TestData.GAP1_FROM;
import static io.spindle.http.TestData.GAP1_TO;
import static io.spindle.http.TestData.GAP2_FROM;
import static io.spindle.http.TestData.GAP2_TO;
import static io.spindle.http.TestData.MS;
import static io.spindle.http.TestData.S;
import static io.spindle.http.TestData.T0;
import static io.spindle.http.TestData.VIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spindle.downsample.tier.TierPlan;
import io.spindle.http.QueryPlanner.Source;
import io.spindle.store.SeriesStore;
import io.spindle.store.SeriesStore.SeriesInfo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The planner over a real SQLite store filled through the tiers as the pipeline fills it ({@link TestData}). */
class QueryPlannerTest {
    static SeriesStore store;
    static QueryPlanner planner;
    static SeriesInfo vib, shortRing;

    @BeforeAll
    static void fill() {
        store = TestServer.shared().store; // filled once per test JVM, never written by the tests
        planner = new QueryPlanner(store, TestData.TIERS);
        vib = PlannerChecks.info(store, VIB);
        shortRing = PlannerChecks.info(store, TestData.SHORT);
    }

    static final long[][] RANGES = {
            {T0, TestData.VIB_END},                      // everything
            {T0 - 3600 * S, TestData.VIB_END + 3600 * S}, // wider than the data
            {T0 + 60 * S, T0 + 120 * S},                 // one minute
            {T0 + 600 * S, T0 + 900 * S},                // across the 90 s gap
            {GAP1_FROM - 5 * S, GAP1_TO + 5 * S},        // across the 2 s gap
            {T0 + 100 * S, T0 + 110 * S},                // ten seconds
            {T0 + 100 * S, T0 + 100 * S + 150 * MS},     // 150 ms
            {GAP2_FROM + S, GAP2_TO - S},                // inside the gap: nothing
            {T0 + 100 * S, T0 + 100 * S},                // empty range
    };
    static final int[] MS_POINTS = {1, 2, 3, 50, 500, 2000, 5000, 100_000};

    @Test
    void neverMoreThanMaxPointsAndEveryPointIsStored() {
        for (long[] r : RANGES)
            for (int m : MS_POINTS)
                for (boolean consistent : new boolean[] {false, true}) {
                    TierPlan p = planner.plan(vib, r[0], r[1], m, consistent, Source.TIERS);
                    assertThat(p.size()).as("range %s..%s M %d consistent %s", r[0], r[1], m, consistent).isLessThanOrEqualTo(m);
                    assertThat(p.size()).isLessThanOrEqualTo(p.candidates());
                    PlannerChecks.allStored(store, VIB, p, r[0], r[1]);
                    for (int j = 0; j < p.size(); j++) assertThat(p.time()[j]).isBetween(r[0], r[1] - 1);
                }
    }

    @Test
    void picksTheCoarsestTierWithAtLeastMPoints() {
        long from = T0 + 60 * S, to = T0 + 180 * S; // two minutes: about 12,000 / 1,200 / 120 / 12 points in tiers 0..3
        long[] c = new long[4];
        for (int k = 0; k < 4; k++) c[k] = store.count(VIB, k, from, to);
        assertThat(c[0]).isGreaterThan(c[1]).isGreaterThan(5000);
        for (int m : new int[] {5, 50, 500, 2000, 5000}) {
            TierPlan p = planner.plan(vib, from, to, m, false, Source.TIERS);
            int expect = 3;
            while (c[expect] < m) expect--;
            assertThat(p.tier()).as("M %d with counts %s", m, java.util.Arrays.toString(c)).isEqualTo(expect);
            assertThat(p.candidates()).isEqualTo((int) c[expect]);
            assertThat(p.size()).isEqualTo(m); // LTTB down to exactly M
        }
    }

    @Test
    void fewerTierPointsThanAskedReadsTheRawRingWhenItCoversTheRange() {
        long from = T0 + 100 * S, to = from + S; // 1 s: 100 tier-0 points, 1,000 raw samples
        TierPlan p = planner.plan(vib, from, to, 500, false, Source.TIERS);
        assertThat(p.tier()).isEqualTo(SeriesStore.RAW);
        assertThat(p.candidates()).isEqualTo(1000);
        assertThat(p.size()).isEqualTo(500);
        PlannerChecks.allStored(store, VIB, p, from, to);
        // The ring of SHORT starts at minute 8: before it, tier 0 is all there is.
        TierPlan old = planner.plan(shortRing, T0 + 60 * S, T0 + 61 * S, 500, false, Source.TIERS);
        assertThat(old.tier()).isEqualTo(0);
        assertThat(old.size()).isEqualTo(100);
        TierPlan recent = planner.plan(shortRing, T0 + 540 * S, T0 + 541 * S, 500, false, Source.TIERS);
        assertThat(recent.tier()).isEqualTo(SeriesStore.RAW);
    }

    @Test
    void consistentViewsWithFewerPointsAreSubsetsOfViewsWithMore() {
        long[][] ranges = {
                {T0 + 60 * S, T0 + 360 * S},            // five minutes, across the 2 s gap
                {T0 + 600 * S, T0 + 900 * S},           // across the 90 s gap
                {T0 + 100 * S, T0 + 130 * S},           // thirty seconds
                {T0 + 100 * S, T0 + 101 * S},           // one second: the 5,000-point view is raw
        };
        for (long[] r : ranges) {
            TierPlan p50 = planner.plan(vib, r[0], r[1], 50, true, Source.TIERS);
            TierPlan p500 = planner.plan(vib, r[0], r[1], 500, true, Source.TIERS);
            TierPlan p5000 = planner.plan(vib, r[0], r[1], 5000, true, Source.TIERS);
            assertThat(p50.consistent()).isTrue();
            assertThat(p5000.consistent()).isTrue();
            assertThat(p50.size()).isPositive().isLessThanOrEqualTo(50);
            assertThat(p5000.size()).isGreaterThan(p50.size()).isLessThanOrEqualTo(5000);
            assertThat(p50.tier()).isGreaterThan(p5000.tier());
            PlannerChecks.subset(p50, p500);
            PlannerChecks.subset(p500, p5000);
            PlannerChecks.subset(p50, p5000);
        }
        TierPlan raw = planner.plan(vib, T0 + 100 * S, T0 + 101 * S, 5000, true, Source.TIERS);
        assertThat(raw.tier()).isEqualTo(SeriesStore.RAW);
        assertThat(raw.size()).isEqualTo(1000);
    }

    @Test
    void consistentFallsBackToLttbWhenEvenTheCoarsestTierHasTooManyPoints() {
        TierPlan p = planner.plan(vib, T0, TestData.VIB_END, 50, true, Source.TIERS); // tier 3 has ~110 points
        assertThat(p.tier()).isEqualTo(3);
        assertThat(p.candidates()).isGreaterThan(50);
        assertThat(p.size()).isEqualTo(50);
        assertThat(p.consistent()).isFalse();
        // still a subset of every consistent finer view: the LTTB picks are tier-3 points
        PlannerChecks.subset(p, planner.plan(vib, T0, TestData.VIB_END, 5000, true, Source.TIERS));
    }

    @Test
    void gapsBreakTheLineWhereTheDataStopsAndNowhereElse() {
        long from = T0 + 600 * S, to = T0 + 900 * S; // holds the 90 s gap only
        for (int m : new int[] {20, 200, 2000, 100_000})
            for (boolean consistent : new boolean[] {false, true}) {
                TierPlan p = planner.plan(vib, from, to, m, consistent, Source.TIERS);
                assertThat(PlannerChecks.breaks(p)).as("M %d consistent %s level %d", m, consistent, p.tier()).isEqualTo(1);
                int j = 0;
                while (!p.breakBefore()[j]) j++;
                assertThat(p.time()[j - 1]).isLessThan(GAP2_FROM);
                assertThat(p.time()[j]).isGreaterThanOrEqualTo(GAP2_TO);
            }
        // The 2 s gap is a gap for 10 ms and 100 ms buckets (more than 3 empty), not for 1 s buckets.
        long f2 = GAP1_FROM - 30 * S, t2 = GAP1_TO + 30 * S;
        assertThat(PlannerChecks.breaks(planner.plan(vib, f2, t2, 100_000, true, Source.TIERS))).isEqualTo(1);
        TierPlan coarse = planner.plan(vib, f2, t2, 62, true, Source.TIERS);
        assertThat(coarse.tier()).isEqualTo(2);
        assertThat(PlannerChecks.breaks(coarse)).isZero();
        // Raw: a spacing over 3x the median (1 ms) is a gap.
        TierPlan raw = planner.plan(vib, GAP1_FROM - S, GAP1_TO + S, 100_000, false, Source.RAW);
        assertThat(raw.tier()).isEqualTo(SeriesStore.RAW);
        assertThat(raw.size()).isEqualTo(2000);
        assertThat(PlannerChecks.breaks(raw)).isEqualTo(1);
    }

    @Test
    void rawSourceReadsTheRingAndReducesWithLttb() {
        long from = T0 + 100 * S, to = from + 10 * S;
        TierPlan all = planner.plan(vib, from, to, 100_000, false, Source.RAW);
        assertThat(all.tier()).isEqualTo(SeriesStore.RAW);
        assertThat(all.size()).isEqualTo(10_000);
        assertThat(all.consistent()).isTrue();
        TierPlan few = planner.plan(vib, from, to, 700, false, Source.RAW);
        assertThat(few.size()).isEqualTo(700);
        assertThat(few.consistent()).isFalse();
        PlannerChecks.allStored(store, VIB, few, from, to);
        PlannerChecks.subset(few, all);
    }

    @Test
    void readsAreBoundedAndRefusedRangesSaySo() {
        QueryPlanner small = new QueryPlanner(store, TestData.TIERS, 5_000, 20_000, 10_000);
        assertThatThrownBy(() -> small.plan(vib, T0, TestData.VIB_END, 100_000, false, Source.TIERS))
                .isInstanceOf(ApiError.class).hasMessageContaining("even in tier 0").hasMessageContaining("narrow the range");
        assertThatThrownBy(() -> small.plan(vib, T0, T0 + 60 * S, 500, false, Source.RAW))
                .isInstanceOf(ApiError.class).hasMessageContaining("60000 raw samples").hasMessageContaining("zoom in");
        // 1.5 s: tier 0 has 150 < 500, raw holds 1,500 <= 10,000: raw
        assertThat(small.plan(vib, T0 + 100 * S, T0 + 101_500 * MS, 500, false, Source.TIERS).tier()).isEqualTo(SeriesStore.RAW);
        // 15 s: tier 0 has 1,500 < 5,000 but raw holds 15,000 > 10,000: tier 0 rather than a large raw read
        assertThat(small.plan(vib, T0 + 100 * S, T0 + 115 * S, 5_000, false, Source.TIERS).tier()).isEqualTo(0);
        for (int bad : new int[] {0, -1, QueryPlanner.MAX_POINTS + 1})
            assertThatThrownBy(() -> planner.plan(vib, T0, T0 + S, bad, false, Source.TIERS))
                    .isInstanceOf(ApiError.class).hasMessageContaining("outside 1..100000");
    }

    @Test
    void medianSpacingIsExact() {
        long[] t = {0, 1, 2, 4, 7, 8, 100, 101};
        assertThat(GapMarks.medianSpacing(t, t.length)).isEqualTo(1); // spacings 1,1,2,3,1,92,1
        java.util.Random r = new java.util.Random(3);
        for (int round = 0; round < 200; round++) {
            long[] a = new long[1 + r.nextInt(300)];
            for (int i = 0; i < a.length; i++) a[i] = r.nextInt(5) == 0 ? 7 : r.nextInt(50);
            long[] sorted = a.clone();
            java.util.Arrays.sort(sorted);
            int k = r.nextInt(a.length);
            assertThat(GapMarks.select(a.clone(), k)).isEqualTo(sorted[k]);
        }
    }
}
