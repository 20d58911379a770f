package io.spindle.sources.sim;

/**
 * One channel of a {@link MachineSimulator}, pulled: each call continues where the last stopped, so the samples are
 * the same whatever the chunk sizes. Allocation-free; not thread-safe (one generator per thread).
 */
public abstract class ChannelGenerator {
    final long startNs;
    final int rateHz;
    final SampleClock clock;

    ChannelGenerator(long startNs, int rateHz) {
        this.startNs = startNs;
        this.rateHz = rateHz;
        this.clock = new SampleClock(rateHz);
    }

    /** Fills t[0, n) (epoch ns) and v[0, n) with the next n samples; returns n. */
    public abstract int next(long[] t, double[] v, int n);

    /** How many samples were generated so far. */
    public final long position() {
        return clock.index();
    }

    /** Samples per second. */
    public final int rateHz() {
        return rateHz;
    }

    /** The time (epoch ns) of sample i. */
    public final long timeOf(long i) {
        return startNs + SampleClock.time(i, rateHz);
    }

    static void checkRange(long[] t, double[] v, int n) {
        if (n < 0 || n > t.length || n > v.length)
            throw new IndexOutOfBoundsException(n + " samples into arrays of " + t.length + " times and " + v.length + " values");
    }
}
