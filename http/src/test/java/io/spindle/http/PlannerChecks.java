package io.spindle.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.spindle.downsample.tier.TierPlan;
import io.spindle.store.SeriesStore;
import io.spindle.store.SeriesStore.SeriesInfo;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/** Checks of a planner's answers against the store they were read from; shared by the SQLite and PostgreSQL tests. */
final class PlannerChecks {
    private PlannerChecks() {
    }

    static SeriesInfo info(SeriesStore store, String series) {
        return store.series().stream().filter(s -> s.series().equals(series)).findFirst().orElseThrow();
    }

    /** Every point of p is a sample stored at p's level with the same time and value, in ascending time order. */
    static void allStored(SeriesStore store, String series, TierPlan p, long from, long to) {
        if (p.size() == 0) return;
        int cap = (int) store.count(series, p.tier(), from, to) + 1;
        long[] t = new long[cap];
        double[] v = new double[cap];
        int n = store.read(series, p.tier(), from, to, cap, t, v);
        for (int j = 0; j < p.size(); j++) {
            if (j > 0) assertThat(p.time()[j]).as("ascending at %d", j).isGreaterThan(p.time()[j - 1]);
            int i = Arrays.binarySearch(t, 0, n, p.time()[j]);
            assertThat(i).as("point %d at %d of level %d is stored", j, p.time()[j], p.tier()).isGreaterThanOrEqualTo(0);
            assertThat(p.value()[j]).as("value of point %d", j).isEqualTo(v[i]);
        }
    }

    /** The points of small are all points of big (same time and value). */
    static void subset(TierPlan small, TierPlan big) {
        Set<Long> times = new HashSet<>();
        for (int j = 0; j < big.size(); j++) times.add(big.time()[j]);
        for (int j = 0; j < small.size(); j++)
            assertThat(times).as("point at %d of the %d-point view (level %d) is in the %d-point view (level %d)",
                    small.time()[j], small.size(), small.tier(), big.size(), big.tier()).contains(small.time()[j]);
    }

    static int breaks(TierPlan p) {
        int b = 0;
        for (int j = 0; j < p.size(); j++) if (p.breakBefore()[j]) b++;
        return b;
    }
}
