package io.spindle.sources.sim;

/** A SplitMix64 stream: a few lines of state, seeded from (seed, stream, index) without allocating. */
final class Mix {
    private long state;

    /** The stream for (seed, stream, index). */
    void reseed(long seed, long stream, long index) {
        state = scramble(seed ^ scramble(stream * 0x9E3779B97F4A7C15L + index));
    }

    static long scramble(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    long nextLong() {
        return scramble(state += 0x9E3779B97F4A7C15L);
    }

    /** Uniform in [0, 1). */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [lo, hi). */
    double between(double lo, double hi) {
        return lo + (hi - lo) * nextDouble();
    }

    /**
     * Approximately standard normal: the sum of twelve 16-bit uniforms, centred (Irwin-Hall: variance 1, kurtosis
     * 2.9, bounded at ±6). Three draws and no transcendental functions: the simulator's noise is its hot path.
     */
    double gaussian() {
        long lanes = 0;
        for (int k = 0; k < 3; k++) {
            long x = nextLong();
            lanes += (x & 0x0000FFFF0000FFFFL) + ((x >>> 16) & 0x0000FFFF0000FFFFL); // two 32-bit lanes
        }
        long sum = (lanes & 0xFFFFFFFFL) + (lanes >>> 32);
        return (sum - 393_210) * (1.0 / 65_536);
    }

    /** Uniform in [0, n). */
    int nextInt(int n) {
        return (int) ((nextLong() >>> 33) * n >>> 31);
    }
}
