package io.spindle.downsample;

import java.util.SplittableRandom;

/** Random series with the shapes that trip selectors: ties, constants, duplicate x, steps back, NaN and infinities. */
final class TestSeries {
    final double[] x;
    final double[] y;

    TestSeries(double[] x, double[] y) {
        this.x = x;
        this.y = y;
    }

    static TestSeries random(long seed, int n, boolean sortedX, boolean nonFinite) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n], y = new double[n];
        int xKind = r.nextInt(4), yKind = r.nextInt(5);
        double t = r.nextInt(3) == 0 ? 1.7e18 : r.nextDouble() * 100 - 50, level = 0;
        for (int i = 0; i < n; i++) {
            switch (xKind) {
                case 0 -> t += 1;                                             // regular
                case 1 -> t += r.nextInt(4) == 0 ? 0 : r.nextDouble() * 10;    // duplicates and irregular steps
                case 2 -> t += r.nextInt(10) == 0 ? 1000 : 1;                  // gaps: empty buckets
                default -> t += r.nextDouble();
            }
            x[i] = t;
            y[i] = switch (yKind) {
                case 0 -> 3.25;                                               // constant
                case 1 -> r.nextInt(4) == 0 ? (r.nextBoolean() ? 0.0 : -0.0) : r.nextInt(3) - 1; // ties, ±0
                case 2 -> level += r.nextGaussian();                          // random walk
                case 3 -> Math.sin(i * 0.3) * 100 + r.nextGaussian();
                default -> r.nextDouble() * 2e300 - 1e300;                    // huge: triangle areas overflow
            };
        }
        if (!sortedX) {
            for (int k = 0; k < 1 + n / 10; k++) {
                int i = r.nextInt(Math.max(1, n)), j = r.nextInt(Math.max(1, n));
                if (n > 0) {
                    double tmp = x[i];
                    x[i] = x[j];
                    x[j] = tmp;
                }
            }
        }
        if (nonFinite && n > 0) {
            double[] bad = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
            int count = r.nextInt(4) == 0 ? n : r.nextInt(1 + n / 3);
            for (int k = 0; k < count; k++) {
                int i = r.nextInt(n);
                if (r.nextBoolean()) x[i] = bad[r.nextInt(3)];
                else y[i] = bad[r.nextInt(3)];
            }
            if (r.nextBoolean()) y[0] = Double.NaN;
            if (r.nextBoolean()) x[n - 1] = Double.NaN;
        }
        return new TestSeries(x, y);
    }
}
