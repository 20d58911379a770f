package io.spindle.lattice.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * A bucket of {@link InProcessTransport}: the current entry per key (deletes kept as markers, like NATS with history
 * 1), one revision counter, and watchers fed in revision order. Persistent buckets append every change to a
 * {@link RecordLog} and compact it when it grows past four times the live data.
 */
final class InProcessKv implements KeyValueBucket {
    static final Pattern KEY = Pattern.compile("[-/_=.a-zA-Z0-9]+");
    private static final byte PUT = 1, DEL = 2;

    private final InProcessTransport transport;
    private final String name;
    private final boolean fsync;
    private final Map<String, KvEntry> current = new HashMap<>(); // includes delete markers
    private final CopyOnWriteArrayList<Watch> watches = new CopyOnWriteArrayList<>();
    private long revision;
    private long liveBytes;
    private RecordLog log;

    InProcessKv(InProcessTransport transport, String name, Path file, boolean fsync) {
        this.transport = transport;
        this.name = name;
        this.fsync = fsync;
        if (file != null) {
            try {
                log = RecordLog.open(file, this::replay);
            } catch (IOException e) {
                throw new TransportException("cannot open bucket " + name + " at " + file + ": " + e.getMessage(), e);
            }
        }
    }

    private void replay(byte[] rec) {
        ByteBuffer b = ByteBuffer.wrap(rec);
        byte op = b.get();
        long rev = b.getLong();
        byte[] k = new byte[Short.toUnsignedInt(b.getShort())];
        b.get(k);
        byte[] v = new byte[b.getInt()];
        b.get(v);
        String key = new String(k, StandardCharsets.UTF_8);
        KvEntry old = current.put(key, new KvEntry(name, key, v, rev, op == DEL));
        if (old != null) liveBytes -= size(old);
        liveBytes += 19 + k.length + v.length;
        revision = Math.max(revision, rev);
    }

    private static long size(KvEntry e) {
        return 19 + e.key().length() + e.value().length;
    }

    private static byte[] record(KvEntry e) {
        byte[] k = e.key().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + 8 + 2 + k.length + 4 + e.value().length)
                .put(e.deleted() ? DEL : PUT).putLong(e.revision()).putShort((short) k.length).put(k)
                .putInt(e.value().length).put(e.value()).array();
    }

    @Override
    public String name() {
        return name;
    }

    static String checkKey(String key) {
        if (key == null || key.isEmpty() || !KEY.matcher(key).matches() || key.startsWith(".") || key.endsWith(".") || key.contains(".."))
            throw new IllegalArgumentException("invalid key '" + key + "': [-/_=.a-zA-Z0-9]+, no empty '.'-separated token");
        return key;
    }

    @Override
    public long put(String key, byte[] value) {
        checkKey(key);
        transport.checkPayload(value);
        synchronized (this) {
            return write(key, value.clone(), false);
        }
    }

    @Override
    public long update(String key, byte[] value, long expectedRevision) {
        checkKey(key);
        transport.checkPayload(value);
        synchronized (this) {
            KvEntry cur = current.get(key);
            boolean ok = expectedRevision == 0 ? cur == null || cur.deleted() : cur != null && cur.revision() == expectedRevision;
            if (!ok) return -1;
            return write(key, value.clone(), false);
        }
    }

    @Override
    public Optional<KvEntry> get(String key) {
        checkKey(key);
        synchronized (this) {
            transport.checkOpen();
            KvEntry e = current.get(key);
            return e == null || e.deleted() ? Optional.empty() : Optional.of(copy(e));
        }
    }

    @Override
    public void delete(String key) {
        checkKey(key);
        synchronized (this) {
            KvEntry e = current.get(key);
            if (e == null || e.deleted()) {
                transport.checkOpen();
                return;
            }
            write(key, new byte[0], true);
        }
    }

    @Override
    public synchronized List<String> keys() {
        transport.checkOpen();
        List<String> out = new ArrayList<>();
        for (KvEntry e : current.values()) if (!e.deleted()) out.add(e.key());
        out.sort(null);
        return out;
    }

    /** Under the lock: appends, applies and notifies watchers (in revision order, since all of it is locked). */
    private long write(String key, byte[] value, boolean deleted) {
        transport.checkOpen();
        long rev = revision + 1;
        KvEntry e = new KvEntry(name, key, value, rev, deleted);
        if (log != null) {
            try {
                long ticket = log.append(record(e));
                if (fsync) log.syncTo(ticket);
            } catch (IOException ex) {
                throw new TransportException("bucket " + name + ": cannot write: " + ex.getMessage(), ex);
            }
        }
        revision = rev;
        KvEntry old = current.put(key, e);
        if (old != null) liveBytes -= size(old);
        liveBytes += size(e);
        for (Watch w : watches) w.entry(e);
        maybeCompact();
        return rev;
    }

    private void maybeCompact() {
        if (log == null || log.size() < 4 * liveBytes + (1 << 20)) return;
        List<KvEntry> all = new ArrayList<>(current.values());
        all.sort(Comparator.comparingLong(KvEntry::revision));
        List<byte[]> recs = new ArrayList<>(all.size());
        for (KvEntry e : all) recs.add(record(e));
        try {
            log.rewrite(recs);
        } catch (IOException ex) {
            InProcessTransport.LOG.log(System.Logger.Level.WARNING, "bucket " + name + ": compaction failed (the log stays as is): " + ex);
        }
    }

    private static KvEntry copy(KvEntry e) {
        return new KvEntry(e.bucket(), e.key(), e.value().clone(), e.revision(), e.deleted());
    }

    @Override
    public AutoCloseable watch(KvWatcher watcher) {
        java.util.Objects.requireNonNull(watcher, "watcher");
        synchronized (this) {
            transport.checkOpen();
            Watch w = new Watch(watcher);
            List<KvEntry> live = new ArrayList<>();
            for (KvEntry e : current.values()) if (!e.deleted()) live.add(e);
            live.sort(Comparator.comparingLong(KvEntry::revision));
            for (KvEntry e : live) w.entry(e);
            w.caughtUp();
            watches.add(w);
            return w;
        }
    }

    synchronized void shutdown() {
        for (Watch w : watches) w.close();
        if (log != null) {
            try {
                log.close();
            } catch (IOException e) {
                InProcessTransport.LOG.log(System.Logger.Level.WARNING, "closing bucket " + name + ": " + e);
            }
        }
    }

    /** One watcher's serial, unbounded event queue, drained on the transport's pool. */
    private final class Watch implements AutoCloseable {
        private final KvWatcher watcher;
        private final ConcurrentLinkedQueue<Runnable> events = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean scheduled = new AtomicBoolean();
        private volatile boolean closed;

        Watch(KvWatcher watcher) {
            this.watcher = watcher;
        }

        void entry(KvEntry e) {
            events.add(() -> watcher.onEntry(copy(e)));
            schedule();
        }

        void caughtUp() {
            events.add(watcher::caughtUp);
            schedule();
        }

        private void schedule() {
            if (!closed && scheduled.compareAndSet(false, true)) {
                try {
                    transport.pool.execute(this::drain);
                } catch (RejectedExecutionException e) {
                    scheduled.set(false);
                }
            }
        }

        private void drain() {
            try {
                Runnable r;
                int n = 0;
                while (!closed && n++ < 512 && (r = events.poll()) != null) {
                    try {
                        r.run();
                    } catch (RuntimeException | LinkageError | AssertionError ex) {
                        transport.countHandlerError("watcher of bucket " + name, ex);
                    }
                }
            } finally {
                scheduled.set(false);
            }
            if (!closed && !events.isEmpty()) schedule();
        }

        @Override
        public void close() {
            closed = true;
            watches.remove(this);
            events.clear();
        }
    }
}
