package io.spindle.http;

import io.spindle.downsample.tier.PointColumn;
import io.spindle.downsample.tier.TierConfig;
import io.spindle.downsample.tier.TieredSeries;
import io.spindle.store.SeriesStore;
import io.spindle.store.WriteBatch;
import java.util.Random;

/**
 * Machine-like test data written into a real store the way the pipeline writes it: the raw ring gets the samples,
 * tier 0 is streaming LTTB of the raw samples and tier k streaming LTTB of tier k-1 (Spindle's {@link TieredSeries}).
 */
final class TestData {
    /** 2023-11-14T22:13:20Z: an epoch-ns start on a whole second. */
    static final long T0 = 1_700_000_000_000_000_000L;
    static final long MS = 1_000_000L, S = 1_000_000_000L;
    /** Tier settings of the tests: Δ0 = 10 ms, factor 10, 4 tiers (10 ms, 100 ms, 1 s, 10 s). */
    static final TierConfig TIERS = new TierConfig(TierConfig.of(10 * MS).tier0(), 10, 4, 0, Integer.MAX_VALUE);

    /** The vibration channel: 1 kHz for 20 minutes, a 2 s dropout at 5 min and a 90 s one at 12 min. */
    static final String VIB = "sim/vib0";
    static final long VIB_END = T0 + 20 * 60 * S;
    static final long GAP1_FROM = T0 + 300 * S, GAP1_TO = GAP1_FROM + 2 * S;
    static final long GAP2_FROM = T0 + 720 * S, GAP2_TO = GAP2_FROM + 90 * S;
    /** A slow channel of another device: 10 Hz for 20 minutes. */
    static final String TEMP = "press/temp";
    /** A channel whose raw ring kept only its last 2 minutes (retention): 1 kHz for 10 minutes. */
    static final String SHORT = "sim/short";

    private TestData() {
    }

    /** Writes the three test series into store. */
    static void fillAll(SeriesStore store) {
        vib(store);
        temp(store);
        shortRing(store);
    }

    static void vib(SeriesStore store) {
        int n = 20 * 60 * 1000;
        long[] t = new long[n];
        double[] v = new double[n];
        Random r = new Random(7);
        int k = 0;
        for (int i = 0; i < n; i++) {
            long ti = T0 + i * MS;
            if (ti >= GAP1_FROM && ti < GAP1_TO || ti >= GAP2_FROM && ti < GAP2_TO) continue;
            t[k] = ti;
            v[k++] = 0.6 * Math.sin(i * 0.0314) + 0.25 * Math.sin(i * 0.377) + 0.05 * r.nextGaussian() + (i > 900_000 ? 0.8 : 0);
        }
        write(store, VIB, t, v, k, Long.MIN_VALUE);
    }

    static void temp(SeriesStore store) {
        int n = 20 * 60 * 10;
        long[] t = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = T0 + i * 100 * MS;
            v[i] = 40 + 5 * Math.sin(i / 500.0);
        }
        write(store, TEMP, t, v, n, Long.MIN_VALUE);
    }

    static void shortRing(SeriesStore store) {
        int n = 10 * 60 * 1000;
        long[] t = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = T0 + i * MS;
            v[i] = Math.sin(i * 0.01) + (i % 1000 == 0 ? 3 : 0);
        }
        write(store, SHORT, t, v, n, T0 + 8 * 60 * S);
    }

    /** Writes samples [0, n) of one series: raw samples at or after rawFrom into the raw ring, every sample through the tiers. */
    static void write(SeriesStore store, String series, long[] t, double[] v, int n, long rawFrom) {
        TieredSeries tiers = new TieredSeries(TIERS);
        tiers.add(t, v, 0, n);
        tiers.flush();
        int chunk = 100_000;
        for (int lo = 0; lo < n; lo += chunk) {
            int hi = Math.min(n, lo + chunk), a = lo;
            while (a < hi && t[a] < rawFrom) a++;
            if (a < hi) store.batch().points(series, SeriesStore.RAW, t, v, a, hi).commit();
        }
        for (int k = 0; k < TIERS.levels(); k++) {
            PointColumn c = tiers.tier(k);
            long[] tt = new long[c.size()];
            double[] vv = new double[c.size()];
            for (int i = 0; i < c.size(); i++) {
                tt[i] = c.time(i);
                vv[i] = c.value(i);
            }
            for (int lo = 0; lo < tt.length; lo += chunk) {
                WriteBatch b = store.batch();
                b.points(series, k, tt, vv, lo, Math.min(tt.length, lo + chunk)).commit();
            }
        }
    }
}
