package io.spindle.http;

import io.spindle.store.SeriesStore;
import io.spindle.store.SeriesStore.SeriesInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The store's series list, reread at most once per {@code maxAgeNanos} (and on a miss, at most once per
 * {@code missGapNanos}), so that a query does not scan the store's statistics every time and a burst of requests
 * for unknown names cannot either. Thread-safe.
 */
final class SeriesCatalog {
    private record Snapshot(List<SeriesInfo> list, Map<String, SeriesInfo> byName, long readAt) {
    }

    private final SeriesStore store;
    private final long maxAgeNanos, missGapNanos;
    private volatile Snapshot snap;

    SeriesCatalog(SeriesStore store, long maxAgeNanos, long missGapNanos) {
        this.store = store;
        this.maxAgeNanos = maxAgeNanos;
        this.missGapNanos = missGapNanos;
    }

    /** Every series, sorted by name, at most maxAge old. */
    List<SeriesInfo> list() {
        return current().list;
    }

    /** What is stored of name, or null when the store has no such series. */
    SeriesInfo find(String name) {
        Snapshot s = current();
        SeriesInfo info = s.byName.get(name);
        if (info != null) return info;
        if (System.nanoTime() - s.readAt < missGapNanos) return null;
        return refresh(s).byName.get(name); // it may have been written since the last read
    }

    private Snapshot current() {
        Snapshot s = snap;
        if (s != null && System.nanoTime() - s.readAt < maxAgeNanos) return s;
        return refresh(s);
    }

    private synchronized Snapshot refresh(Snapshot seen) {
        Snapshot s = snap;
        if (s != null && s != seen) return s; // another thread reread it while this one waited
        List<SeriesInfo> list = List.copyOf(store.series());
        Map<String, SeriesInfo> by = new HashMap<>(list.size() * 2);
        for (SeriesInfo i : list) by.put(i.series(), i);
        s = new Snapshot(list, by, System.nanoTime());
        snap = s;
        return s;
    }
}
