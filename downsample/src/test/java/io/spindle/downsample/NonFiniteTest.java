package io.spindle.downsample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Spindle's rule for NaN and infinities: such points are skipped, never kept, never averaged, never a crash. */
class NonFiniteTest {
    private static final double NAN = Double.NaN, INF = Double.POSITIVE_INFINITY;

    private static int[] run(Algorithm a, double[] x, double[] y, int threshold) {
        int[] out = new int[Algorithm.maxOutput(x.length, threshold)];
        return Arrays.copyOf(out, a.select(x, y, x.length, threshold, out));
    }

    private static double[] ramp(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = i;
        return x;
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void allNonFiniteGivesNothing(Algorithm a) {
        double[] y = {NAN, INF, -INF, NAN, NAN, NAN, NAN, NAN, NAN, NAN};
        for (int t : new int[] {0, 1, 2, 4, 8, 10, 20}) assertThat(run(a, ramp(10), y, t)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void nonFiniteEndsAreReplacedByTheNearestFinitePoints(Algorithm a) {
        int n = 200;
        double[] x = ramp(n), y = new double[n];
        for (int i = 0; i < n; i++) y[i] = Math.sin(i * 0.2) * 10;
        y[0] = NAN;
        x[1] = -INF;
        x[n - 1] = NAN;
        y[n - 2] = INF;
        int[] kept = run(a, x, y, 20);
        assertThat(kept[0]).isEqualTo(2);
        assertThat(kept[kept.length - 1]).isEqualTo(n - 3);
        assertThat(kept).doesNotContain(0, 1, n - 2, n - 1).hasSizeLessThanOrEqualTo(20);
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void aNanInsideABucketIsNeitherKeptNorAveraged(Algorithm a) {
        int n = 1000;
        double[] x = ramp(n), y = new double[n];
        for (int i = 0; i < n; i++) y[i] = (i * 7919) % 101;
        double[] withNan = y.clone();
        for (int i = 5; i < n; i += 37) withNan[i] = NAN;
        int[] kept = run(a, x, withNan, 40);
        for (int i : kept) assertThat(withNan[i]).isNotNaN();
        // Same result as on the series with the NaN points removed.
        int[] finite = java.util.stream.IntStream.range(0, n).filter(i -> !Double.isNaN(withNan[i])).toArray();
        double[] fx = Arrays.stream(finite).mapToDouble(i -> x[i]).toArray();
        double[] fy = Arrays.stream(finite).mapToDouble(i -> withNan[i]).toArray();
        assertThat(kept).containsExactly(Arrays.stream(run(a, fx, fy, 40)).map(i -> finite[i]).toArray());
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void tinySeries(Algorithm a) {
        assertThat(run(a, new double[0], new double[0], 0)).isEmpty();
        assertThat(run(a, new double[0], new double[0], 5)).isEmpty();
        assertThat(run(a, new double[] {1}, new double[] {NAN}, 1)).isEmpty();
        assertThat(run(a, new double[] {1}, new double[] {2}, 1)).containsExactly(0);
        assertThat(run(a, new double[] {1, 2}, new double[] {2, 3}, 1)).containsExactly(0, 1);
        assertThat(run(a, new double[] {1, 2, 3}, new double[] {2, NAN, 3}, 1)).containsExactly(0, 2);
        assertThat(run(a, new double[] {1, 2, 3}, new double[] {2, 5, 3}, 2)).containsExactly(0, 2);
        assertThat(run(a, new double[] {NAN, 2, 3}, new double[] {2, 5, 3}, 2)).containsExactly(1, 2);
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void hugeFiniteValuesWhoseArithmeticOverflowsStillGiveRealSamples(Algorithm a) {
        int n = 500;
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = (i - 250) * (Double.MAX_VALUE / 250); // finite, but xLast - x0 overflows
            y[i] = (i % 2 == 0 ? 1 : -1) * Double.MAX_VALUE;
        }
        int[] kept = run(a, x, y, 50);
        assertThat(kept).isNotEmpty().hasSizeLessThanOrEqualTo(50).startsWith(0).endsWith(n - 1).isSorted();
        assertThat(kept).doesNotHaveDuplicates();
    }
}
