package io.spindle.downsample.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class StreamingLttbTest {
    private static final long T0 = 1_700_000_000_000_000_000L;

    record P(long t, double v) {
    }

    private static List<P> run(StreamConfig cfg, long[] t, double[] v) {
        List<P> out = new ArrayList<>();
        StreamingLttb s = new StreamingLttb(cfg, (tt, vv) -> out.add(new P(tt, vv)));
        s.add(t, v, 0, t.length);
        s.flush();
        return out;
    }

    private static List<P> oracle(StreamConfig cfg, long[] t, double[] v) {
        StreamingLttbOracle o = new StreamingLttbOracle(cfg);
        for (int i = 0; i < t.length; i++) o.add(t[i], v[i]);
        o.flush();
        return o.decided().stream().map(p -> new P(p.t(), p.v())).toList();
    }

    @Property(tries = 1500)
    void equalsTheOracle(@ForAll long seed, @ForAll @IntRange(min = 1, max = 400) int n) {
        RandomSeries s = new RandomSeries(seed, n);
        assertThat(run(s.cfg, s.t, s.v)).isEqualTo(oracle(s.cfg, s.t, s.v));
    }

    @Property(tries = 150)
    void emitsExactlyWhatIsDecidedAfterEverySample(@ForAll long seed, @ForAll @IntRange(min = 1, max = 200) int n) {
        RandomSeries s = new RandomSeries(seed, n);
        List<P> out = new ArrayList<>();
        StreamingLttb engine = new StreamingLttb(s.cfg, (tt, vv) -> out.add(new P(tt, vv)));
        StreamingLttbOracle o = new StreamingLttbOracle(s.cfg);
        for (int i = 0; i < n; i++) {
            engine.add(s.t[i], s.v[i]);
            o.add(s.t[i], s.v[i]);
            // Neither early (undecided points) nor late (decided points held back).
            assertThat(out).as("after sample %d", i)
                    .isEqualTo(o.decided().stream().map(p -> new P(p.t(), p.v())).toList());
        }
        StreamStats st = engine.stats();
        assertThat(st.accepted()).isEqualTo(o.accepted);
        assertThat(st.late()).isEqualTo(o.late);
        assertThat(st.invalid()).isEqualTo(o.invalid);
        assertThat(st.forcedReleases()).isEqualTo(o.forced);
    }

    @Property(tries = 60)
    void snapshotAtEveryCutContinuesExactly(@ForAll long seed, @ForAll @IntRange(min = 1, max = 150) int n) {
        RandomSeries s = new RandomSeries(seed, n);
        List<P> whole = run(s.cfg, s.t, s.v);
        for (int cut = 0; cut <= n; cut++) {
            List<P> out = new ArrayList<>();
            StreamingLttb a = new StreamingLttb(s.cfg, (tt, vv) -> out.add(new P(tt, vv)));
            a.add(s.t, s.v, 0, cut);
            byte[] snap = a.snapshot();
            StreamingLttb b = StreamingLttb.restore(snap, (tt, vv) -> out.add(new P(tt, vv)));
            assertThat(b.snapshot()).as("snapshot round trip").isEqualTo(snap);
            b.add(s.t, s.v, cut, n);
            b.flush();
            assertThat(out).as("cut at %d", cut).isEqualTo(whole);
            assertThat(b.stats()).isEqualTo(statsOfWhole(s));
        }
    }

    private static StreamStats statsOfWhole(RandomSeries s) {
        StreamingLttb e = new StreamingLttb(s.cfg, (tt, vv) -> { });
        e.add(s.t, s.v, 0, s.t.length);
        e.flush();
        return e.stats();
    }

    @Property(tries = 200)
    void anyChunkingGivesTheSameOutput(@ForAll long seed, @ForAll @IntRange(min = 1, max = 500) int n) {
        RandomSeries s = new RandomSeries(seed, n);
        List<P> whole = run(s.cfg, s.t, s.v);
        SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
        List<P> out = new ArrayList<>();
        StreamingLttb e = new StreamingLttb(s.cfg, (tt, vv) -> out.add(new P(tt, vv)));
        for (int i = 0; i < n; ) {
            int to = Math.min(n, i + r.nextInt(1, 64));
            if (r.nextBoolean()) e.add(s.t, s.v, i, to);
            else for (int k = i; k < to; k++) e.add(s.t[k], s.v[k]);
            if (r.nextInt(8) == 0) e = StreamingLttb.restore(e.snapshot(), (tt, vv) -> out.add(new P(tt, vv)));
            i = to;
        }
        e.flush();
        assertThat(out).isEqualTo(whole);
    }

    @Property(tries = 150)
    void inOrderChunksMatchTheOracleAndPerSampleAdds(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3000) int n) {
        // In-order finite chunks take the bulk path (one watermark move, pre-filtered hull runs): it must not differ.
        SplittableRandom r = new SplittableRandom(seed);
        long delta = 50 + r.nextLong(5_000);
        StreamConfig cfg = new StreamConfig(delta, r.nextBoolean() ? 0 : r.nextLong(3 * delta), 1 + r.nextInt(3),
                r.nextInt(5) == 0 ? 64 + r.nextInt(512) : 1 << 16, r.nextInt(5) == 0 ? 8 : 4096);
        long[] t = new long[n];
        double[] v = new double[n];
        long now = T0;
        double level = 0;
        int kind = r.nextInt(4);
        long density = new long[] {8, 100, 1_000}[r.nextInt(3)]; // samples per bucket, roughly: long runs too
        for (int i = 0; i < n; i++) {
            now += r.nextInt(50 * (int) density) == 0 ? (cfg.gapBuckets() + 1) * delta : r.nextLong(delta / density + 2);
            t[i] = now;
            v[i] = switch (kind) {
                case 0 -> level += r.nextGaussian();
                case 1 -> Math.sin(i * 0.05) + r.nextGaussian() * 0.3;
                case 2 -> i * 1e-3 - (i % 17) * 0.01; // a ramp: most samples are records from one side
                default -> r.nextInt(3);
            };
        }
        List<P> expected = new ArrayList<>();
        StreamingLttb one = new StreamingLttb(cfg, (tt, vv) -> expected.add(new P(tt, vv)));
        for (int i = 0; i < n; i++) one.add(t[i], v[i]);
        one.flush();
        List<P> out = new ArrayList<>();
        StreamingLttb bulk = new StreamingLttb(cfg, (tt, vv) -> out.add(new P(tt, vv)));
        for (int i = 0; i < n; ) {
            int to = Math.min(n, i + 1 + r.nextInt(700));
            bulk.add(t, v, i, to);
            i = to;
        }
        bulk.flush();
        assertThat(out).isEqualTo(expected);
        assertThat(bulk.stats()).isEqualTo(one.stats());
        if (cfg.hullCap() > 8) assertThat(out).isEqualTo(oracle(cfg, t, v));
    }

    @Property(tries = 200)
    void emitsOnlyRealAcceptedSamplesInTimeOrderAndCountsEverySample(@ForAll long seed,
                                                                     @ForAll @IntRange(min = 1, max = 500) int n) {
        RandomSeries s = new RandomSeries(seed, n);
        Set<P> inputs = new HashSet<>();
        for (int i = 0; i < n; i++) inputs.add(new P(s.t[i], s.v[i]));
        StreamingLttb e = new StreamingLttb(s.cfg, (tt, vv) -> { });
        List<P> out = new ArrayList<>();
        e = new StreamingLttb(s.cfg, (tt, vv) -> out.add(new P(tt, vv)));
        e.add(s.t, s.v, 0, n);
        e.flush();
        assertThat(inputs).containsAll(out);
        for (int i = 1; i < out.size(); i++) assertThat(out.get(i).t()).isGreaterThanOrEqualTo(out.get(i - 1).t());
        StreamStats st = e.stats();
        assertThat(st.accepted() + st.late() + st.invalid()).isEqualTo(n);
        assertThat(st.emitted()).isEqualTo(out.size());
        assertThat(out).allSatisfy(p -> assertThat(Double.isFinite(p.v())).isTrue());
    }

    @Property(tries = 200)
    void neverCrashesOnExtremeTimesAndValues(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] anchors = {Long.MIN_VALUE, Long.MIN_VALUE + 1_000, -1, 0, Long.MAX_VALUE - 1_000, Long.MAX_VALUE};
        double[] values = {Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, -0.0, 0.0, 1e-300, Double.NaN,
                Double.NEGATIVE_INFINITY, 1.0};
        StreamConfig cfg = new StreamConfig(1 + r.nextLong(1_000), r.nextLong(2_000), 1 + r.nextInt(3), 1 + r.nextInt(64), 4 + r.nextInt(8));
        long anchor = anchors[r.nextInt(anchors.length)];
        List<P> out = new ArrayList<>();
        StreamingLttb e = new StreamingLttb(cfg, (tt, vv) -> out.add(new P(tt, vv)));
        int n = 1 + r.nextInt(300);
        for (int i = 0; i < n; i++) {
            long t = anchor + (r.nextBoolean() ? r.nextLong(5_000) : -r.nextLong(5_000));
            if (anchor == Long.MAX_VALUE && t < 0) t = Long.MAX_VALUE - r.nextLong(5_000); // wrapped: stay near
            if (anchor == Long.MIN_VALUE && t > 0) t = Long.MIN_VALUE + r.nextLong(5_000);
            e.add(t, r.nextInt(3) == 0 ? values[r.nextInt(values.length)] : r.nextGaussian());
        }
        e.flush();
        StreamStats st = e.stats();
        assertThat(st.accepted() + st.late() + st.invalid()).isEqualTo(n);
        assertThat(out).allSatisfy(p -> assertThat(Double.isFinite(p.v())).isTrue());
    }

    @Test
    void largestReorderCapWorks() {
        // reorderCap + 1 must not overflow int (found by the C port's differential harness: the Java engine threw).
        StreamConfig cfg = new StreamConfig(10, 5, 3, Integer.MAX_VALUE, 16);
        long[] t = {1, 3, 2, 15, 40, 41, 100};
        double[] v = {1, 2, 3, 4, 5, 6, 7};
        List<P> whole = run(cfg, t, v);
        assertThat(whole).isNotEmpty();
        StreamingLttb s = new StreamingLttb(cfg, (time, value) -> { });
        s.add(t, v, 0, 4);
        StreamingLttb r = StreamingLttb.restore(s.snapshot(), (time, value) -> { });
        assertThat(r.snapshot()).isEqualTo(s.snapshot());
    }

    @Test
    void nanosecondOffsetsAtEpochScaleDecideTheTriangle() {
        // At 1.7e18 ns a double's spacing is 256 ns: absolute double arithmetic would see all these at one instant,
        // every area 0, and keep the first candidate. Relative int64 arithmetic sees (T+3, 5) is farther from A->C.
        long t0 = T0; // a multiple of 4
        StreamConfig cfg = new StreamConfig(4, 0, 1, 16, 16);
        List<P> out = run(cfg, new long[] {t0, t0 + 1, t0 + 3, t0 + 4}, new double[] {0, 1.5, 5, 4});
        assertThat(out).containsExactly(new P(t0, 0), new P(t0 + 3, 5), new P(t0 + 4, 4));
    }

    @Test
    void aSegmentAtOneInstantKeepsItsEarliestCandidate() {
        // A, every candidate and C share one instant: all triangles are degenerate, so the earliest candidate wins,
        // although the hull chains keep only the highest and lowest of a vertical run (found by the oracle test).
        List<P> out = run(new StreamConfig(5, 0, 2, 64, 64), new long[] {T0, T0, T0, T0, T0},
                new double[] {7.25, 9.35e-4, 9.09e-4, 9.71e-4, 2.5e-4});
        assertThat(out).containsExactly(new P(T0, 7.25), new P(T0, 9.35e-4), new P(T0, 2.5e-4));
    }

    @Test
    void reproducesBatchLttbShapeOnARegularSeries() {
        // One sample per ns, Δ = 10: each bucket keeps exactly one point, plus first and last.
        int n = 1000;
        long[] t = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) { t[i] = T0 + i; v[i] = Math.sin(i / 30.0) + (i % 7) * 0.01; }
        List<P> out = run(new StreamConfig(10, 0, 1, 64, 64), t, v);
        assertThat(out).hasSize(n / 10 + 2); // first sample, one pick per bucket (100), last sample
        assertThat(out.get(0)).isEqualTo(new P(T0, v[0]));
        assertThat(out.get(out.size() - 1)).isEqualTo(new P(T0 + n - 1, v[n - 1]));
    }

    @Test
    void keepsGapsAsGaps() {
        long d = 100;
        long[] t = {T0, T0 + 10, T0 + 150, T0 + 220, T0 + 5_000, T0 + 5_050, T0 + 5_120};
        double[] v = {1, 9, 2, 3, 4, 8, 5};
        List<P> out = run(new StreamConfig(d, 0, 3, 64, 64), t, v);
        // the last sample before the gap and the first after it are both kept; nothing lies inside the gap
        assertThat(out).contains(new P(T0 + 220, 3), new P(T0 + 5_000, 4));
        assertThat(out).noneMatch(p -> p.t() > T0 + 220 && p.t() < T0 + 5_000);
    }

    @Test
    void lateSamplesAreCountedNotEmitted() {
        List<P> out = new ArrayList<>();
        StreamingLttb s = new StreamingLttb(new StreamConfig(10, 5, 2, 64, 64), (tt, vv) -> out.add(new P(tt, vv)));
        s.add(T0 + 100, 1);
        s.add(T0 + 97, 2);   // within lateness 5: accepted
        s.add(T0 + 90, 3);   // behind the watermark (T0+95): late
        s.add(T0 + 200, Double.NaN);
        s.flush();
        assertThat(s.stats().accepted()).isEqualTo(2);
        assertThat(s.stats().late()).isEqualTo(1);
        assertThat(s.stats().lastLateNanos()).isEqualTo(T0 + 90);
        assertThat(s.stats().invalid()).isEqualTo(1);
        assertThat(out).containsExactly(new P(T0 + 97, 2), new P(T0 + 100, 1));
    }

    @Test
    void stateStaysBoundedOnWorstCaseInput() {
        // A concave parabola puts every sample on the upper hull; a huge lateness holds every sample for reordering.
        StreamConfig cfg = new StreamConfig(1_000_000_000L, 1_000_000_000L, 3, 1024, 64);
        StreamingLttb s = new StreamingLttb(cfg, (tt, vv) -> { });
        int maxSnapshot = 0;
        for (int i = 0; i < 400_000; i++) {
            double x = i / 200_000.0 - 1;
            s.add(T0 + i * 1_000L, -x * x);
            if (i % 10_000 == 0) maxSnapshot = Math.max(maxSnapshot, s.snapshot().length);
        }
        s.flush();
        assertThat(s.stats().hullCompactions()).isPositive();
        assertThat(s.stats().forcedReleases()).isPositive();
        // reorder cap * 16 bytes + 2 buckets * 2 chains * hull cap * 20 bytes + a header
        assertThat(maxSnapshot).isLessThan(1025 * 16 + 4 * 64 * 20 + 512);
    }

    @Test
    void rejectsCorruptSnapshots() {
        StreamingLttb s = new StreamingLttb(StreamConfig.of(10), (tt, vv) -> { });
        s.add(T0, 1);
        s.add(T0 + 3, 2);
        byte[] snap = s.snapshot();
        assertThatThrownBy(() -> StreamingLttb.restore(java.util.Arrays.copyOf(snap, snap.length - 3), (a, b) -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
        byte[] bad = snap.clone();
        bad[0] ^= 1;
        assertThatThrownBy(() -> StreamingLttb.restore(bad, (a, b) -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("magic");
        byte[] v2 = snap.clone();
        v2[7] = 9;
        assertThatThrownBy(() -> StreamingLttb.restore(v2, (a, b) -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version 9");
    }

    @Test
    void rejectsBadSettingsWithTheReason() {
        assertThatThrownBy(() -> new StreamConfig(0, 0, 1, 1, 4)).hasMessageContaining("bucketNanos");
        assertThatThrownBy(() -> new StreamConfig(1L << 52, 0, 3, 1, 4)).hasMessageContaining("2^53");
        assertThatThrownBy(() -> new StreamConfig(10, -1, 1, 1, 4)).hasMessageContaining("latenessNanos");
    }
}
