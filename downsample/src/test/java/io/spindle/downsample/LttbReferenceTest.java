package io.spindle.downsample;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Lttb against a line-by-line port of the reference loop, on finite series shaped to stress the fast paths: buckets
 * far larger than a block, areas that tie, are all zero, underflow, overflow to infinity or NaN, and series whose
 * areas grow steadily so that every block beats the one before.
 */
class LttbReferenceTest {

    /** flot-downsample's loop, with Spindle's rule for a bucket whose areas are all NaN (keep its first candidate). */
    static int[] reference(double[] x, double[] y, int threshold) {
        int n = x.length;
        if (threshold >= n || threshold == 0) return Oracles.all(n);
        if (threshold <= 2) return Oracles.ends(n);
        int[] out = new int[threshold];
        int k = 0;
        out[k++] = 0;
        double every = (double) (n - 2) / (threshold - 2);
        int a = 0;
        for (int i = 0; i < threshold - 2; i++) {
            int avgStart = (int) Math.floor((i + 1) * every) + 1;
            int avgEnd = (int) Math.floor((i + 2) * every) + 1;
            avgEnd = avgEnd < n ? avgEnd : n;
            int avgLength = avgEnd - avgStart;
            double avgX = 0, avgY = 0;
            for (; avgStart < avgEnd; avgStart++) {
                avgX += x[avgStart];
                avgY += y[avgStart];
            }
            avgX /= avgLength;
            avgY /= avgLength;
            int rangeOffs = (int) Math.floor(i * every) + 1;
            int rangeTo = (int) Math.floor((i + 1) * every) + 1;
            double pointAX = x[a], pointAY = y[a];
            double maxArea = -1;
            int next = rangeOffs;
            for (; rangeOffs < rangeTo; rangeOffs++) {
                double area = Math.abs((pointAX - avgX) * (y[rangeOffs] - pointAY)
                        - (pointAX - x[rangeOffs]) * (avgY - pointAY)) * 0.5;
                if (area > maxArea) {
                    maxArea = area;
                    next = rangeOffs;
                }
            }
            out[k++] = next;
            a = next;
        }
        out[k++] = n - 1;
        return out;
    }

    /** Finite series of many shapes; x non-decreasing. */
    static double[][] series(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n], y = new double[n];
        int xKind = r.nextInt(3), yKind = r.nextInt(10);
        double t = xKind == 1 ? 1.7e18 : 0, level = 0, scale = Math.scalb(1.0, r.nextInt(-40, 40));
        for (int i = 0; i < n; i++) {
            t += switch (xKind) {
                case 0 -> 1;
                case 1 -> 50_000;
                default -> r.nextInt(4) == 0 ? 0 : r.nextDouble() * 3;
            };
            x[i] = t;
            y[i] = switch (yKind) {
                case 0 -> 0.0;                                                    // every area 0
                case 1 -> r.nextInt(3) - 1;                                       // many exact ties
                case 2 -> level += r.nextGaussian();                              // random walk
                case 3 -> (Math.sin(i * 0.013) + 0.1 * r.nextGaussian()) * scale; // vibration, any magnitude
                case 4 -> i * 0.5;                                                // areas grow: every block is a record
                case 5 -> -i * 1e-3 + (r.nextInt(50) == 0 ? 1 : 0);               // falling ramp with spikes
                case 6 -> r.nextDouble() * 2e300 - 1e300;                         // areas overflow: inf and NaN
                case 7 -> (r.nextInt(5) - 2) * Double.MIN_VALUE;                  // areas underflow to 0 or subnormal
                case 8 -> r.nextBoolean() ? Double.MAX_VALUE : -Double.MAX_VALUE; // every area overflows
                default -> r.nextInt(1000) == 0 ? 1e6 : r.nextGaussian();         // rare outliers
            };
        }
        return new double[][] {x, y};
    }

    @Property(tries = 300)
    void equalsTheReferenceBitForBit(@ForAll long seed, @ForAll @IntRange(min = 3, max = 20_000) int n,
                                     @ForAll @IntRange(min = 0, max = 60) int threshold) {
        double[][] s = series(seed, n);
        assertThat(Lttb.select(s[0], s[1], threshold)).containsExactly(reference(s[0], s[1], threshold));
    }

    @Property(tries = 100)
    void equalsTheReferenceWithSmallBuckets(@ForAll long seed, @ForAll @IntRange(min = 3, max = 3_000) int n,
                                            @ForAll @IntRange(min = 3, max = 3_000) int threshold) {
        double[][] s = series(seed, n);
        assertThat(Lttb.select(s[0], s[1], threshold)).containsExactly(reference(s[0], s[1], threshold));
    }

    @Test
    void aMillionSamplesOfEveryShape() {
        for (int seed = 0; seed < 10; seed++) {
            double[][] s = series(seed, 1_000_000);
            for (int threshold : new int[] {3, 7, 500, 2_000}) {
                assertThat(Lttb.select(s[0], s[1], threshold)).as("seed %d threshold %d", seed, threshold)
                        .containsExactly(reference(s[0], s[1], threshold));
            }
        }
    }

    @Test
    void cleanInputAllocatesNothing() {
        double[][] s = series(3, 200_000);
        int[] out = new int[Algorithm.maxOutput(200_000, 1_000)];
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = 0, after = 0;
        for (int round = 0; round < 3; round++) { // the first rounds load classes
            before = bean.getCurrentThreadAllocatedBytes();
            Lttb.select(s[0], s[1], 200_000, 1_000, out);
            after = bean.getCurrentThreadAllocatedBytes();
        }
        assertThat(after - before).as("bytes allocated by one select").isZero();
        assertThat(Arrays.copyOf(out, 1_000)).containsExactly(reference(s[0], s[1], 1_000));
    }
}
