package io.spindle.store;

import java.util.List;

/**
 * Where a host keeps machine data: per series a bounded raw ring (for drill-down at the edge) and the downsampled
 * tiers (tier 0 from the downsampling component, tier k from tier k-1). Every write is idempotent by
 * (series, tier, timestamp): writing a point again (a replay after a crash) leaves one row, the first value kept.
 * Writes go through a {@link WriteBatch} that commits atomically together with a consumer's state, so that a
 * consumer that stores its input position in the same batch resumes exactly where its last commit ended.
 * Implementations are thread-safe; reads never block on a running commit for long.
 */
public interface SeriesStore extends AutoCloseable {
    /** Tier number of the raw ring. */
    int RAW = -1;

    /** A new, empty batch of writes. */
    WriteBatch batch();

    /**
     * Points of series in tier (or {@link #RAW}) with {@code fromNs <= t < toNs}, ascending by time, at most limit
     * of them (the earliest), into tOut/vOut (which must hold limit); returns how many.
     */
    int read(String series, int tier, long fromNs, long toNs, int limit, long[] tOut, double[] vOut);

    /** How many points of series in tier (or RAW) have {@code fromNs <= t < toNs}. */
    long count(String series, int tier, long fromNs, long toNs);

    /** Change-only events of series with {@code fromNs <= t < toNs}, ascending, at most limit. */
    List<Event> events(String series, long fromNs, long toNs, int limit);

    /** Every series with what is stored of it. */
    List<SeriesInfo> series();

    /** The consumer state last committed under key (see {@link WriteBatch#state}), or null. */
    byte[] state(String key);

    /** Applies the raw ring's retention now (also done by commits, at most once a second); returns rows removed. */
    long enforceRetention();

    /** Counters of this store since it was opened. */
    StoreStats stats();

    /** Where the data is (a file path or a JDBC URL without credentials), for messages. */
    String location();

    /** Closes connections; idempotent. */
    @Override
    void close();

    /** A non-numeric value of a series at a time. */
    record Event(String series, long tNanos, String value) {
    }

    /** What is stored of a series: the raw ring's extent and each tier's point count. */
    record SeriesInfo(String series, long rawCount, long rawFirstNs, long rawLastNs, long[] tierCounts,
                      long firstNs, long lastNs) {
    }

    /** Counters: rows and batches written, rows refused as duplicates, retention removals, commit latency. */
    record StoreStats(long commits, long rowsWritten, long duplicates, long rowsExpired, long failedCommits,
                      double commitP50Ms, double commitP99Ms) {
    }
}
