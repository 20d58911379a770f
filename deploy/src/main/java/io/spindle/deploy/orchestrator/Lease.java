package io.spindle.deploy.orchestrator;

import io.spindle.lattice.Json;
import io.spindle.lattice.transport.KeyValueBucket;
import io.spindle.lattice.transport.KvEntry;
import java.util.Optional;

/**
 * Who acts: one key in the orchestrator bucket, written by compare-and-set. The holder renews it every
 * {@link #tick()}; a stand-by takes it over once its revision has not moved for the ttl, measured on the stand-by's
 * own clock (so clock skew between machines does not matter). A holder whose renewal fails has lost it.
 */
final class Lease {
    static final String KEY = "lease";

    /** The lease's value: who holds it and since when (epoch ms), for people reading the bucket. */
    record Holder(String holder, long since, long renewedAt) {
    }

    private final KeyValueBucket kv;
    private final String me;
    private final long ttlNanos;
    private long revision = -1;          // the revision this instance wrote last (when holding)
    private long seenRevision = -1;      // the last revision observed (when standing by)
    private long seenAtNanos;
    private long since;
    private boolean held;

    Lease(KeyValueBucket kv, String me, long ttlNanos) {
        this.kv = kv;
        this.me = me;
        this.ttlNanos = ttlNanos;
    }

    /** Renews or tries to acquire; returns whether this instance holds the lease now. */
    synchronized boolean tick() {
        long now = System.nanoTime();
        Optional<KvEntry> cur;
        try {
            cur = kv.get(KEY).filter(e -> !e.deleted());
        } catch (RuntimeException e) {
            // the bucket is unreachable: a holder cannot prove it still holds; stop acting until it can
            held = false;
            return false;
        }
        if (held) {
            long rev = write(cur.map(KvEntry::revision).orElse(0L), cur.isPresent() && cur.get().revision() == revision);
            held = rev >= 0;
            if (held) revision = rev;
            return held;
        }
        if (cur.isEmpty()) return acquire(0);
        long rev = cur.get().revision();
        if (rev != seenRevision) {
            seenRevision = rev;
            seenAtNanos = now;
            return false;
        }
        if (now - seenAtNanos < ttlNanos) return false;
        return acquire(rev);
    }

    private boolean acquire(long expected) {
        since = System.currentTimeMillis();
        long rev = write(expected, true);
        held = rev >= 0;
        if (held) revision = rev;
        return held;
    }

    private long write(long expected, boolean ours) {
        if (!ours) return -1;
        try {
            return kv.update(KEY, Json.write(new Holder(me, since, System.currentTimeMillis())), expected);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** Whether this instance held the lease at its last tick. */
    synchronized boolean held() {
        return held;
    }

    /** Gives the lease up (a clean shutdown), so a stand-by takes over at once. */
    synchronized void release() {
        if (!held) return;
        held = false;
        try {
            kv.get(KEY).filter(e -> e.revision() == revision).ifPresent(e -> kv.delete(KEY));
        } catch (RuntimeException ignored) {
            // the stand-by takes over after the ttl instead
        }
    }
}
