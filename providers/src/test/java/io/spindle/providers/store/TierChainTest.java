package io.spindle.providers.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spindle.downsample.stream.StreamConfig;
import io.spindle.downsample.tier.TierConfig;
import io.spindle.downsample.tier.TieredSeries;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TierChainTest {
    private static final TierConfig CFG = new TierConfig(StreamConfig.of(10_000_000L), 4, 5, 0, Integer.MAX_VALUE);

    /** Tier-0 points of a noisy 1 kHz signal as the component would emit them (one per 10 ms bucket). */
    private static long[][] tier0(int n, long seed) {
        TieredSeries ref = new TieredSeries(new TierConfig(CFG.tier0(), 4, 1, 0, Integer.MAX_VALUE));
        Random r = new Random(seed);
        long t0 = 1_700_000_000_000_000_000L;
        for (int i = 0; i < n; i++) {
            if (i > n / 2 && i < n / 2 + 5000) continue; // a 5 s gap
            ref.add(t0 + i * 1_000_000L, Math.sin(i / 50.0) + r.nextGaussian() * 0.1);
        }
        var col = ref.tier(0);
        long[] t = new long[col.size()];
        long[] bits = new long[col.size()];
        for (int i = 0; i < col.size(); i++) {
            t[i] = col.time(i);
            bits[i] = Double.doubleToRawLongBits(col.value(i));
        }
        return new long[][] {t, bits};
    }

    private record P(String series, int tier, long t, double v) {
    }

    private static void feed(TierChain c, String series, long[][] pts, int from, int to, int chunk) {
        for (int i = from; i < to; i += chunk) {
            int n = Math.min(chunk, to - i);
            long[] t = new long[n];
            double[] v = new double[n];
            for (int j = 0; j < n; j++) {
                t[j] = pts[0][i + j];
                v[j] = Double.longBitsToDouble(pts[1][i + j]);
            }
            c.add(series, t, v, n);
        }
    }

    @Test
    void tiersMatchTheDownsampleModulesChain() {
        long[][] pts = tier0(200_000, 1);
        List<P> out = new ArrayList<>();
        TierChain c = new TierChain(CFG, (s, k, t, v) -> out.add(new P(s, k, t, v)));
        feed(c, "a", pts, 0, pts[0].length, 37);
        // the downsample module's own chain, started at tier 1 (in-order input: no lateness), on the same tier-0 points
        TieredSeries ref = new TieredSeries(new TierConfig(CFG.config(1), 4, 4, 0, Integer.MAX_VALUE));
        for (int i = 0; i < pts[0].length; i++) ref.add(pts[0][i], Double.longBitsToDouble(pts[1][i]));
        for (int k = 1; k < CFG.levels(); k++) {
            int tier = k;
            List<P> mine = out.stream().filter(p -> p.tier() == tier).toList();
            var col = ref.tier(k - 1);
            assertThat(mine).hasSize(col.size());
            for (int i = 0; i < col.size(); i++) {
                assertThat(mine.get(i).t()).isEqualTo(col.time(i));
                assertThat(mine.get(i).v()).isEqualTo(col.value(i));
            }
        }
        assertThat(out.stream().filter(p -> p.tier() == 1).count()).isGreaterThan(100);
        assertThat(out.stream().filter(p -> p.tier() == 4).count()).isGreaterThan(5);
    }

    @Test
    void snapshotAndRestoreWithRepeatsGiveTheUninterruptedTiers() {
        long[][] a = tier0(120_000, 2), b = tier0(80_000, 3);
        List<P> whole = new ArrayList<>();
        TierChain w = new TierChain(CFG, (s, k, t, v) -> whole.add(new P(s, k, t, v)));
        feed(w, "a", a, 0, a[0].length, 100);
        feed(w, "b", b, 0, b[0].length, 100);

        List<P> cut = new ArrayList<>();
        TierChain.Out sink = (s, k, t, v) -> cut.add(new P(s, k, t, v));
        TierChain c = new TierChain(CFG, sink);
        feed(c, "a", a, 0, 5000, 100);
        feed(c, "b", b, 0, 3000, 100);
        byte[] snap = c.snapshot();
        int kept = cut.size();
        feed(c, "a", a, 5000, 7000, 100); // lost in a crash: neither committed nor kept
        cut.subList(kept, cut.size()).clear();
        TierChain r = TierChain.restore(CFG, sink, snap);
        feed(r, "a", a, 4000, a[0].length, 100); // the component re-emits 1,000 points it had emitted before
        feed(r, "b", b, 2500, b[0].length, 100);
        assertThat(r.repeats()).isEqualTo(1000 + 500);
        assertThat(sorted(cut)).isEqualTo(sorted(whole));
    }

    @Test
    void restoreRefusesOtherSettingsAndDamage() {
        TierChain c = new TierChain(CFG, (s, k, t, v) -> { });
        feed(c, "a", tier0(10_000, 4), 0, 100, 10);
        byte[] snap = c.snapshot();
        TierConfig other = new TierConfig(CFG.tier0(), 8, 5, 0, Integer.MAX_VALUE);
        assertThatThrownBy(() -> TierChain.restore(other, (s, k, t, v) -> { }, snap))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("factor 4");
        assertThatThrownBy(() -> TierChain.restore(CFG, (s, k, t, v) -> { }, java.util.Arrays.copyOf(snap, snap.length / 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("damaged");
    }

    private static List<P> sorted(List<P> ps) {
        List<P> l = new ArrayList<>(ps);
        l.sort(java.util.Comparator.comparing(P::series).thenComparingInt(P::tier).thenComparingLong(P::t));
        return l;
    }
}
