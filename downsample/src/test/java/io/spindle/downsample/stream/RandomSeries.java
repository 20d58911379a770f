package io.spindle.downsample.stream;

import java.util.SplittableRandom;

/** Random series with the shapes that break downsamplers: gaps, bursts, duplicates, ties, late and bad samples. */
final class RandomSeries {
    final long[] t;
    final double[] v;
    final StreamConfig cfg;

    RandomSeries(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        long delta = 1 + r.nextLong(1_000);
        long lateness = switch (r.nextInt(3)) {
            case 0 -> 0;
            case 1 -> r.nextLong(delta + 1);
            default -> r.nextLong(4 * delta + 1);
        };
        int gap = 1 + r.nextInt(4);
        int reorderCap = r.nextInt(4) == 0 ? 1 + r.nextInt(8) : 1 << 16;
        cfg = new StreamConfig(delta, lateness, gap, reorderCap, 1 << 16);
        t = new long[n];
        v = new double[n];
        long now = 1_700_000_000_000_000_000L + r.nextLong(1_000_000_000L);
        int valueKind = r.nextInt(4);
        double level = r.nextDouble() * 100;
        for (int i = 0; i < n; i++) {
            int step = r.nextInt(100);
            if (step < 55) now += r.nextLong(Math.max(1, delta / 4) + 1);           // dense
            else if (step < 70) now += 0;                                           // same instant (burst)
            else if (step < 90) now += r.nextLong(2 * delta + 1);                   // sparse
            else if (step < 95) now += (gap + 1 + r.nextInt(3)) * delta;            // a gap
            else now += r.nextLong(delta * 8 + 1);
            long ts = now;
            if (r.nextInt(10) == 0) ts -= r.nextLong(6 * delta + 1);               // out of order, maybe late
            t[i] = ts;
            v[i] = switch (valueKind) {
                case 0 -> r.nextInt(5);                                            // few levels: many exact ties
                case 1 -> level += r.nextGaussian();                               // random walk
                case 2 -> Math.sin(i * 0.1) * 1e3 + r.nextDouble();                // smooth + noise
                default -> r.nextInt(3) == 0 ? 7.25 : r.nextDouble() * 1e-3;       // constant runs
            };
            if (r.nextInt(50) == 0) v[i] = r.nextBoolean() ? Double.NaN : Double.POSITIVE_INFINITY;
            if (i > 0 && r.nextInt(20) == 0) { t[i] = t[i - 1]; v[i] = v[i - 1]; }  // exact duplicate
        }
    }
}
