package io.spindle.sources.shdr;

import java.util.random.RandomGenerator;

/**
 * Reconnect waits: doubling from min up to max, each drawn uniformly from the upper half of its step so that many
 * sources cut off together do not come back in lockstep, yet none retries sooner than half the step.
 */
final class Backoff {
    private final long minNanos, maxNanos;
    private final RandomGenerator random;
    private long step;

    Backoff(long minNanos, long maxNanos, RandomGenerator random) {
        this.minNanos = minNanos;
        this.maxNanos = maxNanos;
        this.random = random;
        this.step = minNanos;
    }

    /** The next wait in nanoseconds, within [step/2, step]; the step then doubles, up to max. */
    long next() {
        long s = step;
        step = s > maxNanos / 2 ? maxNanos : Math.min(maxNanos, s * 2);
        long half = s / 2;
        return half + (s - half == 0 ? 0 : random.nextLong(s - half + 1));
    }

    /** Starts over at min (after a connection that worked). */
    void reset() {
        step = minNanos;
    }
}
