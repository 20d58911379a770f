package io.spindle.lattice.transport;

import java.util.List;
import java.util.Optional;

/**
 * A key-value bucket (JetStream KV on NATS; in memory or a directory on disk in-process). Keys are NATS-style tokens
 * ({@code [-/_=.a-zA-Z0-9]+}, not starting or ending with '.'). Values are bytes.
 */
public interface KeyValueBucket {
    /** The bucket's name. */
    String name();

    /** Stores value under key; returns the new revision (increasing per bucket). */
    long put(String key, byte[] value);

    /**
     * Stores value only if key's current revision is expectedRevision (0: only if the key does not exist); returns
     * the new revision, or -1 when the revision did not match (compare-and-set, for leases and leader election).
     */
    long update(String key, byte[] value, long expectedRevision);

    /** The current entry of key, if any (a deleted key has none). */
    Optional<KvEntry> get(String key);

    /** Deletes key (watchers see a delete); deleting a missing key is not an error. */
    void delete(String key);

    /** The keys that currently have a value. */
    List<String> keys();

    /**
     * Watches every key: first the current entries (then {@link KvWatcher#caughtUp()}), then every change as it
     * happens, in revision order. Close the returned handle to stop.
     */
    AutoCloseable watch(KvWatcher watcher);
}
