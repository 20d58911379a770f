package io.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spindle.downsample.stream.StreamConfig;
import io.spindle.downsample.stream.StreamingLttb;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BucketPlannerTest {

    /** Sorted times: clusters, duplicates, outages of random length, on a coarse or a fine grid. */
    private static long[] times(SplittableRandom r, int n) {
        long[] t = new long[n];
        long time = r.nextLong(-1_000_000, 1_000_000);
        int step = 1 + r.nextInt(r.nextBoolean() ? 3 : 100_000);
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(100);
            if (kind < 5) time += 0; // duplicate time
            else if (kind < 8) time += (long) step * r.nextInt(2, 60); // an outage
            else time += 1 + r.nextInt(step);
            t[i] = time;
        }
        return t;
    }

    @Test
    void predictionEqualsWhatTheStreamingEngineEmits() {
        SplittableRandom r = new SplittableRandom(5);
        for (int round = 0; round < 400; round++) {
            int n = 1 + r.nextInt(round < 50 ? 8 : 3000);
            long[] t = times(r, n);
            double[] v = new double[n];
            for (int i = 0; i < n; i++) v[i] = r.nextGaussian();
            long span = t[n - 1] - t[0] + 1;
            long delta = 1 + r.nextLong(Math.max(1, span / (1 + r.nextInt(200))));
            int gap = 1 + r.nextInt(5);
            long[] count = {0};
            StreamingLttb engine = new StreamingLttb(StreamConfig.of(delta).withGapBuckets(gap), (time, value) -> count[0]++);
            engine.add(t, v, 0, n);
            engine.flush();
            assertThat(BucketPlanner.predict(t, delta, gap)).as("round %d: n %d, delta %d, gap %d", round, n, delta, gap)
                    .isEqualTo(count[0]);
        }
    }

    @Test
    void chosenWidthLandsNearTheTarget() {
        SplittableRandom r = new SplittableRandom(9);
        for (int round = 0; round < 40; round++) {
            int n = 20_000;
            long[] t = new long[n];
            long time = 1_700_000_000_000_000_000L;
            for (int i = 0; i < n; i++) t[i] = time += 30_000 + r.nextInt(40_000);
            int target = 10 + r.nextInt(3000);
            long delta = BucketPlanner.choose(t, target, StreamConfig.DEFAULT_GAP_BUCKETS);
            long got = BucketPlanner.predict(t, delta, StreamConfig.DEFAULT_GAP_BUCKETS);
            assertThat(Math.abs(got - target)).as("target %d got %d", target, got).isLessThanOrEqualTo(1 + target / 100);
        }
    }

    @Test
    void unsortedAndNonFiniteSamplesArePlannedOnTheSortedFiniteTimes() {
        long[] s = BucketPlanner.sortedFiniteTimes(new long[] {5, 1, 3, 2}, new double[] {1, Double.NaN, 2, 3}, 4);
        assertThat(s).containsExactly(2, 3, 5);
        assertThat(BucketPlanner.choose(new long[0], 10, 3)).isEqualTo(1);
        assertThat(BucketPlanner.choose(new long[] {7}, 10, 3)).isEqualTo(1);
        // Everything fits: width 1 keeps every sample.
        assertThat(BucketPlanner.choose(new long[] {1, 2, 3, 10}, 10, 3)).isEqualTo(1);
    }
}
