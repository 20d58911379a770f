package io.spindle.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Raw samples per second through {@link WriteBatch#commit()} on SQLite, in 4,096-sample chunks of a 10 kHz signal
 * quantised like a 16-bit ADC. Prints its numbers; asserts only a floor far below them, so it cannot flake.
 */
class SqliteThroughputTest {
    static final int CHUNK = 4096;

    @TempDir
    Path dir;

    /** A vibration-like channel: two tones, noise and a 16-bit ADC's quantisation. */
    static double[] signal(int n, long seed) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double x = 0.6 * Math.sin(i * 0.0314) + 0.25 * Math.sin(i * 0.377) + 0.05 * r.nextGaussian();
            v[i] = Math.round(x * 32768 / 2.0) * 2.0 / 32768;
        }
        return v;
    }

    @Test
    void rawSamplesPerSecondThroughCommit() throws Exception {
        int series = 8, chunksPerSeries = 200;
        int perSeries = CHUNK * chunksPerSeries;
        double[][] v = new double[series][];
        for (int s = 0; s < series; s++) v[s] = signal(perSeries, s);
        long[] t = SeriesStoreContract.times(1_700_000_000_000_000_000L, 100_000, perSeries); // 10 kHz
        StoreConfig cfg = StoreConfig.defaults().withRawMaxBytesPerSeries(0).withRawMaxAgeNanos(0);

        // JIT warm-up on a throwaway file, then the measured runs
        run(dir.resolve("warm.db"), cfg, series, chunksPerSeries / 2, t, v);
        // one commit per round: one chunk of each series (8 x 4,096 samples)
        double many = run(dir.resolve("many.db"), cfg, series, chunksPerSeries, t, v);
        // one chunk per commit
        double single = run(dir.resolve("single.db"), cfg, 1, chunksPerSeries, t, v);
        // with retention bounding every series (commits apply it once a second)
        double bounded = run(dir.resolve("bounded.db"), cfg.withRawMaxBytesPerSeries(2 << 20), series, chunksPerSeries, t, v);
        long bytes = Files.size(dir.resolve("many.db")); // the WAL is checkpointed into it on close
        // the codec alone on the same chunks, for scale
        io.spindle.codec.SampleBatchCodec codec = new io.spindle.codec.SampleBatchCodec();
        long encoded = 0, start = System.nanoTime();
        for (int k = 0; k < series; k++)
            for (int c = 0; c < chunksPerSeries; c++) encoded += codec.encode("", t, v[k], c * CHUNK, (c + 1) * CHUNK);
        double codecRate = (double) series * perSeries / ((System.nanoTime() - start) / 1e9);
        System.out.printf("store throughput (SQLite, 4,096-sample chunks of a 10 kHz 16-bit signal): %,.0f raw samples/s"
                + " with 8 chunks per commit, %,.0f with 1 chunk per commit, %,.0f with a 2 MiB/series retention bound;"
                + " chunks %.2f bytes/sample, file %.2f bytes/sample; the codec alone encodes %,.0f samples/s%n",
                many, single, bounded, encoded / (double) (series * (long) perSeries), bytes / (double) (series * (long) perSeries), codecRate);
        assertThat(many).isGreaterThan(200_000);
        assertThat(single).isGreaterThan(200_000);
        assertThat(bounded).isGreaterThan(200_000);
    }

    private static double run(Path file, StoreConfig cfg, int series, int rounds, long[] t, double[][] v) {
        try (SeriesStore s = SqliteStore.open(file, cfg)) {
            // warm-up on other times, so the measured rounds write new rows
            long[] wt = SeriesStoreContract.times(0, 100_000, CHUNK);
            for (int w = 0; w < 20; w++) {
                for (int k = 0; k < wt.length; k++) wt[k] = (long) w * CHUNK * 100_000 + k * 100_000L;
                s.batch().points("warm", SeriesStore.RAW, wt, v[0], 0, CHUNK).commit();
            }
            long start = System.nanoTime();
            for (int c = 0; c < rounds; c++) {
                WriteBatch b = s.batch();
                for (int k = 0; k < series; k++) b.points("ch" + k, SeriesStore.RAW, t, v[k], c * CHUNK, (c + 1) * CHUNK);
                b.commit();
            }
            double secs = (System.nanoTime() - start) / 1e9;
            assertThat(s.count("ch0", SeriesStore.RAW, Long.MIN_VALUE, Long.MAX_VALUE)).isPositive();
            return (double) series * rounds * CHUNK / secs;
        }
    }
}
