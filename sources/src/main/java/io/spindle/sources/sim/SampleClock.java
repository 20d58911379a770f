package io.spindle.sources.sim;

/**
 * The times of a channel's samples: sample i is at i * 10^9 / rate ns (rounded down) after the start, computed exactly
 * (no drift over days) and, when walked one sample at a time, without a division.
 */
final class SampleClock {
    private static final long NS = 1_000_000_000L;
    private final int rate;
    private final long stepQ, stepR;
    private long index, second, q, r; // sample index; whole seconds; ns and remainder (of rate) into the second

    SampleClock(int rateHz) {
        rate = rateHz;
        stepQ = NS / rateHz;
        stepR = NS % rateHz;
    }

    /** Time of sample i (ns since the start). */
    static long time(long i, int rate) {
        return (i / rate) * NS + (i % rate) * NS / rate;
    }

    /** How many samples lie before t (ns since the start): the index of the first sample at or after t. */
    static long samplesBefore(long t, int rate) {
        if (t <= 0) return 0;
        long whole = t / NS, rem = t % NS;
        return whole * rate + (rem * rate + NS - 1) / NS;
    }

    /** The index of the next sample. */
    long index() {
        return index;
    }

    /** The time of the next sample (ns since the start). */
    long peek() {
        return second * NS + q;
    }

    /** The time of the next sample, then moves on to the one after it. */
    long next() {
        long t = second * NS + q;
        index++;
        q += stepQ;
        r += stepR;
        if (r >= rate) {
            r -= rate;
            q++;
        }
        if (q >= NS) { // exactly at the next second after rate samples
            second++;
            q = 0;
            r = 0;
        }
        return t;
    }
}
