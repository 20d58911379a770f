package io.spindle.store;

import java.util.Arrays;

/** The durations of the most recent commits in a fixed ring of longs, for percentiles. */
final class LatencyWindow {
    private final long[] ring;
    private int next;
    private int filled;

    LatencyWindow(int size) {
        ring = new long[size];
    }

    /** Records one duration. */
    synchronized void record(long nanos) {
        ring[next] = nanos;
        next = next + 1 == ring.length ? 0 : next + 1;
        if (filled < ring.length) filled++;
    }

    /** The q-quantiles (0..1, nearest rank) of the recorded durations in milliseconds; 0 when nothing was recorded. */
    double[] quantilesMs(double... q) {
        long[] copy;
        synchronized (this) {
            copy = Arrays.copyOf(ring, filled);
        }
        double[] out = new double[q.length];
        if (copy.length == 0) return out;
        Arrays.sort(copy);
        for (int i = 0; i < q.length; i++) {
            int rank = (int) Math.ceil(q[i] * copy.length);
            out[i] = copy[Math.clamp(rank - 1, 0, copy.length - 1)] / 1e6;
        }
        return out;
    }
}
