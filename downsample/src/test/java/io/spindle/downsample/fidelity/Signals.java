package io.spindle.downsample.fidelity;

import java.util.SplittableRandom;

/** Deterministic test signals. */
final class Signals {
    final double[] x;
    final double[] y;

    private Signals(double[] x, double[] y) {
        this.x = x;
        this.y = y;
    }

    /** A spindle vibration: 10 kHz carrier sampled at 100 kHz, slow amplitude modulation, noise, rare impacts. */
    static Signals vibration(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            double t = i / 100_000.0;
            x[i] = t;
            y[i] = Math.sin(2 * Math.PI * 10_000 * t + 0.3) * (1 + 0.4 * Math.sin(2 * Math.PI * 0.7 * t))
                    + 0.15 * r.nextGaussian() + (r.nextInt(20_000) == 0 ? 4 * r.nextGaussian() : 0);
        }
        return new Signals(x, y);
    }

    /** A noisy random walk on epoch-nanosecond timestamps (large x, 1 ms apart, with jitter). */
    static Signals randomWalk(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n], y = new double[n];
        long t = 1_700_000_000_000_000_000L;
        double level = 0;
        for (int i = 0; i < n; i++) {
            t += 1_000_000 + r.nextLong(1_000);
            x[i] = t;
            level += r.nextGaussian();
            y[i] = level + 3 * r.nextGaussian();
        }
        return new Signals(x, y);
    }
}
