package io.spindle.sources.sim;

/**
 * When the simulated spindle bearing is faulty: in episodes, one per 20 s window of the machine's time, starting 2-12
 * s into the window and lasting 3-7 s, each a little more severe than the last. A pure function of (seed, time): all
 * vibration channels see the same episodes.
 */
final class BearingFault {
    static final long WINDOW_NS = 20_000_000_000L;
    private final long seed;
    private final Mix rnd = new Mix();
    private long window = -1, from, to;
    private double severity;

    BearingFault(long seed) {
        this.seed = seed;
    }

    /** The strike strength at t (ns since the start), 0 outside an episode; t never goes backwards by a window. */
    double severityAt(long t) {
        long w = Math.floorDiv(t, WINDOW_NS);
        if (w != window) {
            window = w;
            rnd.reseed(seed, 0x42_45_41_52L /* "BEAR" */, w);
            long start = w * WINDOW_NS + Math.round(rnd.between(2, 12) * 1e9);
            from = start;
            to = start + Math.round(rnd.between(3, 7) * 1e9);
            severity = Math.min(4.0, 1.6 + 0.15 * Math.max(0, w) + rnd.between(0, 0.4));
        }
        return t >= from && t < to ? severity : 0;
    }
}
