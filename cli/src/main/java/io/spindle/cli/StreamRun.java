package io.spindle.cli;

import io.spindle.downsample.stream.PointSink;
import io.spindle.downsample.stream.StreamConfig;
import io.spindle.downsample.stream.StreamStats;
import io.spindle.downsample.stream.StreamingLttb;

/** Feeds a whole series through the streaming LTTB engine and times it. */
final class StreamRun {

    /** What one series produced: points and segments emitted, the engine's counters, the best of the timed runs. */
    record Result(long bucketNanos, int points, int segments, StreamStats stats, long bestNanos) {
        double samplesPerSecond() {
            return stats.accepted() + stats.late() + stats.invalid() == 0 ? 0
                    : (stats.accepted() + stats.late() + stats.invalid()) / (Math.max(bestNanos, 1) / 1e9);
        }
    }

    private StreamRun() {
    }

    /** Streams t,v[0..n) in array order with bucket width bucketNanos; the best time of runs runs. */
    static Result run(long[] t, double[] v, int n, long bucketNanos, int runs) {
        long best = Long.MAX_VALUE;
        Result last = null;
        for (int r = 0; r < runs; r++) {
            int[] counts = new int[2];
            PointSink sink = new PointSink() {
                @Override
                public void accept(long tNanos, double value) {
                    counts[0]++;
                }

                @Override
                public void segmentStart() {
                    counts[1]++;
                }
            };
            StreamingLttb engine = new StreamingLttb(StreamConfig.of(bucketNanos), sink);
            long t0 = System.nanoTime();
            engine.add(t, v, 0, n);
            engine.flush();
            best = Math.min(best, System.nanoTime() - t0);
            last = new Result(bucketNanos, counts[0], counts[1], engine.stats(), 0);
        }
        return new Result(bucketNanos, last.points(), last.segments(), last.stats(), best);
    }

    /** A bucket width that gives about target buckets over t[0..n) (t ascending), at least 1 ns. */
    static long bucketFor(long[] t, int n, int target) {
        if (n < 2) return 1;
        return Math.max(1, (t[n - 1] - t[0]) / target);
    }
}
