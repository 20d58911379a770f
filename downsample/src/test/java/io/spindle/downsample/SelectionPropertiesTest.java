package io.spindle.downsample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** What every selector promises, on random series, and agreement of the one-pass selectors with slow oracles. */
class SelectionPropertiesTest {

    private static int[] run(Algorithm a, double[] x, double[] y, int threshold) {
        int[] out = new int[Algorithm.maxOutput(x.length, threshold)];
        int k = a.select(x, y, x.length, threshold, out);
        return Arrays.copyOf(out, k);
    }

    private static int[] finiteIndices(double[] x, double[] y) {
        return IntStream.range(0, x.length).filter(i -> Double.isFinite(x[i]) && Double.isFinite(y[i])).toArray();
    }

    @Property(tries = 300)
    void everySelectionIsAnAscendingSubsetWithFirstAndLastWithinTheThreshold(
            @ForAll long seed, @ForAll @IntRange(min = 0, max = 300) int n, @ForAll @IntRange(min = 0, max = 310) int t,
            @ForAll boolean sortedX, @ForAll boolean nonFinite) {
        TestSeries s = TestSeries.random(seed, n, sortedX, nonFinite);
        int[] finite = finiteIndices(s.x, s.y);
        for (Algorithm a : Algorithm.values()) {
            int[] kept = run(a, s.x, s.y, t);
            assertThat(kept.length).as("%s size", a).isLessThanOrEqualTo(Algorithm.maxOutput(n, t));
            if (t >= 2) assertThat(kept.length).as("%s within threshold %d", a, t).isLessThanOrEqualTo(t);
            for (int j = 0; j < kept.length; j++) {
                assertThat(Arrays.binarySearch(finite, kept[j])).as("%s keeps finite sample %d", a, kept[j]).isNotNegative();
                if (j > 0) assertThat(kept[j]).as("%s ascending, no repeats", a).isGreaterThan(kept[j - 1]);
            }
            if (finite.length == 0) {
                assertThat(kept).as("%s on no finite point", a).isEmpty();
            } else {
                assertThat(kept[0]).as("%s keeps the first finite point", a).isEqualTo(finite[0]);
                assertThat(kept[kept.length - 1]).as("%s keeps the last finite point", a).isEqualTo(finite[finite.length - 1]);
            }
            if (t == 0 || t >= finite.length) assertThat(kept).as("%s keeps everything", a).containsExactly(finite);
        }
    }

    @Property(tries = 300)
    void nonFinitePointsAreSkippedAsIfAbsent(
            @ForAll long seed, @ForAll @IntRange(min = 0, max = 300) int n, @ForAll @IntRange(min = 0, max = 120) int t,
            @ForAll boolean sortedX) {
        TestSeries s = TestSeries.random(seed, n, sortedX, true);
        int[] finite = finiteIndices(s.x, s.y);
        double[] fx = Arrays.stream(finite).mapToDouble(i -> s.x[i]).toArray();
        double[] fy = Arrays.stream(finite).mapToDouble(i -> s.y[i]).toArray();
        for (Algorithm a : Algorithm.values()) {
            int[] onCompacted = Arrays.stream(run(a, fx, fy, t)).map(i -> finite[i]).toArray();
            assertThat(run(a, s.x, s.y, t)).as("%s", a).containsExactly(onCompacted);
        }
    }

    @Property(tries = 400)
    void m4AndMinMaxEqualTheirDefinitions(
            @ForAll long seed, @ForAll @IntRange(min = 0, max = 400) int n, @ForAll @IntRange(min = 0, max = 100) int t,
            @ForAll boolean sortedX) {
        TestSeries s = TestSeries.random(seed, n, sortedX, false);
        assertThat(run(Algorithm.M4, s.x, s.y, t)).containsExactly(Oracles.m4(s.x, s.y, n, t));
        assertThat(run(Algorithm.MINMAX, s.x, s.y, t)).containsExactly(Oracles.minMax(s.x, s.y, n, t));
        if (t >= 1 && n > 0) {
            int[] out = new int[Math.min(n, 4 * t)];
            int k = M4.selectBuckets(s.x, s.y, n, t, out);
            assertThat(Arrays.copyOf(out, k)).containsExactly(Oracles.m4Buckets(s.x, s.y, n, t));
        }
    }

    @Property(tries = 400)
    void minMaxLttbEqualsPreselectionThenLttb(
            @ForAll long seed, @ForAll @IntRange(min = 0, max = 2000) int n, @ForAll @IntRange(min = 0, max = 60) int t,
            @ForAll @IntRange(min = 2, max = 8) int ratio) {
        TestSeries s = TestSeries.random(seed, n, true, false);
        int[] out = new int[Algorithm.maxOutput(n, t)];
        int k = MinMaxLttb.select(s.x, s.y, n, t, ratio, out);
        assertThat(Arrays.copyOf(out, k)).containsExactly(Oracles.minMaxLttb(s.x, s.y, n, t, ratio));
    }

    @Test
    void minMaxLttbMatchesTsdownsampleOnItsOwnExample() {
        // downsample_rs/src/minmaxlttb.rs test_minmaxlttb_with_x: x = y = 0..9, n_out 4, ratio 2 -> [0, 1, 5, 9]
        double[] v = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        int[] out = new int[4];
        int k = MinMaxLttb.select(v, v, 10, 4, 2, out);
        assertThat(Arrays.copyOf(out, k)).containsExactly(0, 1, 5, 9);
    }

    @Test
    void minMaxLttbIsLttbWhenTheSeriesIsShort() {
        TestSeries s = TestSeries.random(7, 400, true, false);
        int[] out = new int[100];
        int k = MinMaxLttb.select(s.x, s.y, 400, 100, 4, out);
        assertThat(Arrays.copyOf(out, k)).containsExactly(Lttb.select(s.x, s.y, 100));
    }

    @Test
    void m4KeepsFirstMinMaxLastOfEachBucket() {
        double[] x = {0, 1, 2, 3, 4, 5, 6, 7};
        double[] y = {5, 9, 1, 4, 4, 0, 8, 2};
        int[] out = new int[8];
        // two buckets: [0,3.5) -> first 0, max 1, min 2, last 3; [3.5,7] -> first 4, min 5, max 6, last 7
        int k = M4.selectBuckets(x, y, 8, 2, out);
        assertThat(Arrays.copyOf(out, k)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        k = M4.selectBuckets(x, y, 8, 1, out);
        assertThat(Arrays.copyOf(out, k)).containsExactly(0, 1, 5, 7); // max 9 at 1, min 0 at 5
    }

    @Test
    void minMaxKeepsFirstLastAndExtremaWithEarliestOnTies() {
        double[] x = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        double[] y = {5, 9, 9, 1, 1, 4, 4, 0, 8, 8};
        int[] out = new int[6];
        // threshold 6 -> 2 buckets: [0,4.5) min 3 (first of the 1s) max 1 (first of the 9s); [4.5,9] min 7 max 8
        int k = MinMax.select(x, y, 10, 6, out);
        assertThat(Arrays.copyOf(out, k)).containsExactly(0, 1, 3, 7, 8, 9);
    }

    @Test
    void lttbKeepsTheFirstOfEqualTriangles() {
        double[] x = new double[20], y = new double[20];
        for (int i = 0; i < 20; i++) x[i] = i;
        // constant y: every triangle has area 0, so each bucket keeps its first candidate
        assertThat(Lttb.select(x, y, 5)).containsExactly(0, 1, 7, 13, 19);
    }

    @Test
    void lttbSmallThresholdsFollowTheReference() {
        double[] x = {0, 1, 2, 3, 4}, y = {1, 5, 2, 8, 3};
        assertThat(Lttb.select(x, y, 0)).containsExactly(0, 1, 2, 3, 4);
        assertThat(Lttb.select(x, y, 1)).containsExactly(0, 4);
        assertThat(Lttb.select(x, y, 2)).containsExactly(0, 4);
        assertThat(Lttb.select(x, y, 5)).containsExactly(0, 1, 2, 3, 4);
        assertThat(Lttb.select(x, y, 9)).containsExactly(0, 1, 2, 3, 4);
        assertThat(Lttb.select(new double[0], new double[0], 3)).isEmpty();
        assertThat(Lttb.select(new double[] {1}, new double[] {2}, 1)).containsExactly(0);
    }
}
