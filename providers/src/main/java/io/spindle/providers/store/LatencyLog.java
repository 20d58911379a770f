package io.spindle.providers.store;

import java.util.Arrays;

/** The most recent latencies (ns) in a fixed ring of longs, and how many were ever recorded; thread-safe. */
public final class LatencyLog {
    private final long[] ring;
    private long count;

    LatencyLog(int capacity) {
        ring = new long[capacity];
    }

    synchronized void record(long nanos) {
        ring[(int) (count++ % ring.length)] = nanos;
    }

    /** How many latencies were recorded so far. */
    public synchronized long count() {
        return count;
    }

    /** The latencies recorded after the first mark ones (at most the ring's capacity, the newest), sorted ascending. */
    public synchronized long[] since(long mark) {
        long from = Math.max(mark, count - ring.length);
        int n = (int) Math.max(0, count - from);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) out[i] = ring[(int) ((from + i) % ring.length)];
        Arrays.sort(out);
        return out;
    }
}
