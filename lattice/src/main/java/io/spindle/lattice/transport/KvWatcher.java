package io.spindle.lattice.transport;

/** Receives a bucket's entries and changes; see {@link KeyValueBucket#watch}. */
public interface KvWatcher {
    /** A put or a delete (entry.deleted()). */
    void onEntry(KvEntry entry);

    /** Every entry that existed when the watch started has been delivered. */
    default void caughtUp() {
    }
}
