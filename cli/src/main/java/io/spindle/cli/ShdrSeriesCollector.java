package io.spindle.cli;

import io.spindle.sources.shdr.ShdrItem;
import io.spindle.sources.shdr.ShdrListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keeps every numeric series of an SHDR reading in memory, and the first few malformed lines. */
final class ShdrSeriesCollector implements ShdrListener {
    private static final int KEEP_MALFORMED = 5;

    final Map<String, SampleColumns> series = new LinkedHashMap<>();
    final List<ShdrItem.Malformed> firstMalformed = new ArrayList<>();
    private String lastName;
    private SampleColumns lastColumns;

    @Override
    public void sample(String name, long tNanos, double value) {
        if (name != lastName) { // the reader hands out one String per series, so identity is a cheap cache check
            lastColumns = series.computeIfAbsent(name, k -> new SampleColumns());
            lastName = name;
        }
        lastColumns.add(tNanos, value);
    }

    @Override
    public void item(ShdrItem item) {
        if (item instanceof ShdrItem.Malformed m && firstMalformed.size() < KEEP_MALFORMED) firstMalformed.add(m);
    }

    /** The series with the most samples (the first in name order on ties), or null when there is none. */
    String largest() {
        String best = null;
        int bestN = 0;
        for (Map.Entry<String, SampleColumns> e : series.entrySet()) {
            int n = e.getValue().n;
            if (n > bestN || (n == bestN && n > 0 && e.getKey().compareTo(best) < 0)) {
                best = e.getKey();
                bestN = n;
            }
        }
        return best;
    }
}
