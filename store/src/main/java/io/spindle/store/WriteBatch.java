package io.spindle.store;

/**
 * Writes that become visible together, with at most one state blob per key, when {@link #commit()} returns. A batch
 * copies what it is given (callers may reuse their arrays) and is used by one thread. A failed commit writes nothing
 * and throws {@link StoreException}; the batch can then be committed again or discarded.
 */
public interface WriteBatch {
    /** Adds points {@code [from, to)} of series to tier k (or {@link SeriesStore#RAW}); times need not be sorted. */
    WriteBatch points(String series, int tier, long[] t, double[] v, int from, int to);

    /** Adds a change-only event. */
    WriteBatch event(String series, long tNanos, String value);

    /** Sets the consumer state stored under key (replacing the previous one) in the same transaction. */
    WriteBatch state(String key, byte[] value);

    /** How many points and events are in the batch. */
    int size();

    /** Writes everything in one transaction; idempotent rows already present are kept and counted as duplicates. */
    void commit();
}
