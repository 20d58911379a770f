package io.spindle.downsample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Runs.extremes against plain strict scans, run after run, so that each run is read with the previous run's scale. */
class RunsTest {

    /** Values whose magnitude jumps from run to run, with zeros, signed zeros, ties, subnormals and extremes. */
    static double value(SplittableRandom r, int kind, double magnitude) {
        return switch (kind) {
            case 0 -> r.nextGaussian() * magnitude;
            case 1 -> (r.nextInt(5) - 2) * magnitude;                  // exact ties
            case 2 -> r.nextBoolean() ? 0.0 : -0.0;
            case 3 -> r.nextInt(4) == 0 ? 0.0 : r.nextDouble() * magnitude; // a floor at exactly 0
            case 4 -> (r.nextInt(7) - 3) * Double.MIN_VALUE;
            case 5 -> r.nextBoolean() ? Double.MAX_VALUE : -Double.MAX_VALUE * r.nextDouble();
            case 6 -> Math.nextUp(magnitude) * (r.nextInt(3) - 1) + Math.ulp(magnitude) * r.nextInt(3); // 1-ulp steps
            default -> r.nextGaussian() * magnitude * (r.nextInt(100) == 0 ? 1e6 : 1); // rare outliers
        };
    }

    @Property(tries = 300)
    void extremesAreTheFirstMinimumAndMaximum(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int runs) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] ends = new int[runs + 1];
        for (int k = 1; k <= runs; k++) ends[k] = ends[k - 1] + 1 + r.nextInt(r.nextBoolean() ? 8 : 2_000);
        int n = ends[runs];
        double[] x = IntStream.range(0, n).asDoubleStream().toArray(), y = new double[n];
        for (int k = 0; k < runs; k++) {
            int kind = r.nextInt(8);
            double magnitude = Math.scalb(1.0, r.nextInt(-60, 60));
            for (int i = ends[k]; i < ends[k + 1]; i++) y[i] = value(r, kind, magnitude);
        }
        Runs run = new Runs();
        for (int k = 0; k < runs; k++) {
            assertThat(run.extremes(x, y, ends[k], ends[k + 1])).isTrue();
            List<Integer> idx = IntStream.range(ends[k], ends[k + 1]).boxed().toList();
            assertThat(run.minAt).as("run %d min", k).isEqualTo(Oracles.argMin(y, idx));
            assertThat(run.maxAt).as("run %d max", k).isEqualTo(Oracles.argMax(y, idx));
        }
    }

    @Test
    void aNonFiniteValueAnywhereIsReported() {
        double[] bad = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double b : bad) {
            for (int at = 0; at < 100; at += 33) {
                double[] x = IntStream.range(0, 100).asDoubleStream().toArray(), y = new double[100];
                for (int i = 0; i < 100; i++) y[i] = Math.sin(i);
                Runs run = new Runs();
                assertThat(run.extremes(x, y, 0, 100)).isTrue();
                y[at] = b;
                assertThat(run.extremes(x, y, 0, 100)).as("y[%d] = %s", at, b).isFalse();
                y[at] = 0;
                x[at] = b;
                assertThat(run.extremes(x, y, 0, 100)).as("x[%d] = %s", at, b).isFalse();
            }
        }
    }

    @Test
    void aRunFarLargerThanTheLastSaturatesAndIsStillExact() {
        double[] x = IntStream.range(0, 200).asDoubleStream().toArray(), y = new double[200];
        for (int i = 0; i < 100; i++) y[i] = Math.sin(i) * 1e-3;
        for (int i = 100; i < 200; i++) y[i] = Math.cos(i) * 1e9; // scale from the first run saturates here
        Runs run = new Runs();
        assertThat(run.extremes(x, y, 0, 100)).isTrue();
        assertThat(run.extremes(x, y, 100, 200)).isTrue();
        List<Integer> idx = IntStream.range(100, 200).boxed().toList();
        assertThat(run.minAt).isEqualTo(Oracles.argMin(y, idx));
        assertThat(run.maxAt).isEqualTo(Oracles.argMax(y, idx));
    }
}
