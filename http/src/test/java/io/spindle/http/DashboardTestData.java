package io.spindle.http;

import io.spindle.downsample.stream.StreamConfig;
import io.spindle.downsample.tier.PointColumn;
import io.spindle.downsample.tier.TierConfig;
import io.spindle.downsample.tier.TieredSeries;
import io.spindle.store.SeriesStore;
import io.spindle.store.WriteBatch;

import java.time.Instant;

/**
 * A store filled the way a host fills it: raw samples go through the LTTB tier chain, every tier's points are
 * written, and the raw ring holds only the newest part (as if retention had dropped the rest).
 */
final class DashboardTestData {
    static final long MS = 1_000_000L;
    static final long SEC = 1_000 * MS;
    /** Start of every series: a fixed instant, so screenshots and counts are comparable between runs. */
    static final long T0 = Instant.parse("2025-06-01T08:00:00Z").toEpochMilli() * MS;
    static final long SPAN = 300 * SEC;
    /** The vibration series has no samples in [GAP_FROM, GAP_TO): the charts must show a break there. */
    static final long GAP_FROM = T0 + 100 * SEC, GAP_TO = T0 + 110 * SEC;
    /** The raw ring of the vibration series starts here (the last two minutes). */
    static final long RAW_FROM = T0 + 180 * SEC;
    static final String VIB = "sim/vib0";
    /** A series with change-only events and no points. */
    static final String EVENTS_ONLY = "sim/mode";
    /** The series that grows while a test watches. */
    static final String LIVE = "sim/spindle_speed";

    /** Tier 0 buckets of 10 ms, factor 10, 4 tiers: 10 ms, 100 ms, 1 s, 10 s. */
    static TierConfig tiers() {
        return new TierConfig(StreamConfig.of(10 * MS), 10, 4, 0, Integer.MAX_VALUE);
    }

    private DashboardTestData() {
    }

    /**
     * Writes sim/vib0 (1 kHz, 300 s, a 10 s gap, raw for the last 120 s), sim/load and sim/spindle_speed (10 Hz),
     * and sim/mode (events only); returns sim/spindle_speed's tier chain, left open so that more samples can follow.
     */
    static Live fill(SeriesStore store, TierConfig cfg) {
        store.batch().event(EVENTS_ONLY, T0, "AUTOMATIC").event(EVENTS_ONLY, T0 + 60 * SEC, "MANUAL").commit();
        write(store, cfg, VIB, 1 * MS, RAW_FROM, true).flushInto(store);
        write(store, cfg, "sim/load", 100 * MS, T0, false).flushInto(store);
        return write(store, cfg, LIVE, 100 * MS, T0 + 200 * SEC, false);
    }

    private static Live write(SeriesStore store, TierConfig cfg, String series, long step, long rawFrom, boolean gap) {
        Live live = new Live(series, step, new TieredSeries(cfg));
        live.append(store, T0, (int) (SPAN / step), rawFrom, gap);
        return live;
    }

    private static double value(long t, long i) {
        double s = (t - T0) / 1e9;
        return 10 * Math.sin(2 * Math.PI * s / 20) + 2 * Math.sin(2 * Math.PI * s * 7.3) + ((i * 2654435761L) % 1000) / 2000.0;
    }

    /** A series whose tier chain is still open: appends samples after its newest one, as a running host would. */
    static final class Live {
        private final String series;
        private final long step;
        private final TieredSeries tiered;
        private final int[] written;
        private long next = T0;

        private Live(String series, long step, TieredSeries tiered) {
            this.series = series;
            this.step = step;
            this.tiered = tiered;
            this.written = new int[tiered.config().levels()];
        }

        /** Appends the next {@code seconds} of samples (raw ring and whatever tier points they complete). */
        void append(SeriesStore store, int seconds) {
            append(store, next, (int) (seconds * SEC / step), next, false);
        }

        /** Newest sample time so far, in ns. */
        long lastNanos() {
            return next - step;
        }

        private void append(SeriesStore store, long from, int n, long rawFrom, boolean gap) {
            long[] t = new long[n];
            double[] v = new double[n];
            int m = 0;
            for (int i = 0; i < n; i++) {
                long ti = from + i * step;
                if (gap && ti >= GAP_FROM && ti < GAP_TO) continue;
                t[m] = ti;
                v[m] = value(ti, (ti - T0) / step);
                m++;
            }
            next = from + (long) n * step;
            tiered.add(t, v, 0, m);
            WriteBatch batch = store.batch();
            newTierPoints(batch);
            int rawStart = 0;
            while (rawStart < m && t[rawStart] < rawFrom) rawStart++;
            batch.points(series, SeriesStore.RAW, t, v, rawStart, m);
            batch.commit();
        }

        /** Ends the tier chain and writes the points that were still held back. */
        void flushInto(SeriesStore store) {
            tiered.flush();
            WriteBatch batch = store.batch();
            newTierPoints(batch);
            batch.commit();
        }

        private void newTierPoints(WriteBatch batch) {
            for (int k = 0; k < written.length; k++) {
                PointColumn col = tiered.tier(k);
                int n = col.size() - written[k];
                if (n <= 0) continue;
                long[] tt = new long[n];
                double[] vv = new double[n];
                for (int i = 0; i < n; i++) {
                    tt[i] = col.time(written[k] + i);
                    vv[i] = col.value(written[k] + i);
                }
                batch.points(series, k, tt, vv, 0, n);
                written[k] = col.size();
            }
        }
    }
}
