package io.spindle.store;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Sorting (time, value) columns stably and keeping the first value of each time, against a boxed reference. */
class SampleSortTest {
    private static final AtomicInteger SEED = new AtomicInteger(11);

    @RepeatedTest(40)
    void matchesAStableSortThatKeepsTheFirstOfEachTime() {
        Random r = new Random(SEED.getAndIncrement());
        int n = r.nextInt(3000);
        int shape = r.nextInt(4);
        long[] t = new long[n + 5];
        double[] v = new double[n + 5];
        for (int i = 0; i < n; i++) {
            t[i + 5] = switch (shape) {
                case 0 -> i * 3L; // sorted
                case 1 -> (n - i) * 2L; // reversed
                case 2 -> r.nextInt(Math.max(1, n / 4)); // many repeats
                default -> i * 10L + r.nextInt(25); // nearly sorted
            };
            v[i + 5] = i;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i + 5;
        long[] tt = t.clone();
        Arrays.sort(order, Comparator.comparingLong(i -> tt[i])); // stable
        long[] et = new long[n];
        double[] ev = new double[n];
        int m = 0;
        for (int k = 0; k < n; k++) {
            int i = order[k];
            if (m > 0 && et[m - 1] == t[i]) continue;
            et[m] = t[i];
            ev[m++] = v[i];
        }
        int got = SampleSort.sortUnique(t, v, 5, n + 5, new ScratchColumns(0));
        assertThat(got).isEqualTo(m);
        assertThat(Arrays.copyOfRange(t, 5, 5 + m)).containsExactly(Arrays.copyOf(et, m));
        assertThat(Arrays.copyOfRange(v, 5, 5 + m)).containsExactly(Arrays.copyOf(ev, m));
    }

    @Test
    void extremesAndTinyInputs() {
        long[] t = {Long.MAX_VALUE, Long.MIN_VALUE, 0, Long.MIN_VALUE};
        double[] v = {1, 2, 3, 4};
        assertThat(SampleSort.sortUnique(t, v, 0, 4, new ScratchColumns(0))).isEqualTo(3);
        assertThat(Arrays.copyOf(t, 3)).containsExactly(Long.MIN_VALUE, 0, Long.MAX_VALUE);
        assertThat(Arrays.copyOf(v, 3)).containsExactly(2, 3, 1);
        assertThat(SampleSort.sortUnique(new long[0], new double[0], 0, 0, new ScratchColumns(0))).isZero();
        assertThat(SampleSort.sortUnique(new long[]{5}, new double[]{1}, 0, 1, new ScratchColumns(0))).isEqualTo(1);
    }
}
