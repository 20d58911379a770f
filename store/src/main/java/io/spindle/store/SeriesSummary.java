package io.spindle.store;

import java.util.Arrays;

/** Folds a series' stats rows (raw, tiers, events) into one {@link SeriesStore.SeriesInfo}. */
final class SeriesSummary {
    final String name;
    private long rawCount, rawFirst, rawLast;
    private long[] tierCounts = new long[0];
    private long first = Long.MAX_VALUE, last = Long.MIN_VALUE;

    SeriesSummary(String name) {
        this.name = name;
    }

    void add(int tier, long n, long firstT, long lastT) {
        if (n <= 0) return;
        if (tier == SeriesStore.RAW) {
            rawCount = n;
            rawFirst = firstT;
            rawLast = lastT;
        } else if (tier >= 0) {
            if (tierCounts.length <= tier) tierCounts = Arrays.copyOf(tierCounts, tier + 1);
            tierCounts[tier] = n;
        }
        first = Math.min(first, firstT);
        last = Math.max(last, lastT);
    }

    boolean hasData() {
        return first <= last;
    }

    SeriesStore.SeriesInfo info() {
        return new SeriesStore.SeriesInfo(name, rawCount, rawFirst, rawLast, tierCounts, first, last);
    }
}
