package io.spindle.lattice.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A durable stream of {@link InProcessTransport}: the retained messages in memory, optionally an append-only
 * {@link RecordLog} forced on every publish (see the transport's class comment for the guarantees). Each consumer is
 * a daemon thread reading in sequence order; a handler that throws gets the same message again after a backoff
 * (100 ms doubling to 2 s), later messages wait, so order is kept.
 */
final class InProcessStream implements DurableStream {
    private record Entry(long seq, String subject, byte[] data) {
    }

    private static final AtomicInteger CONSUMERS = new AtomicInteger();

    private final InProcessTransport transport;
    private final String name;
    private final List<String> subjects;
    private final String[][] subjectTokens;
    private final long maxMessages, maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition visibleChanged = lock.newCondition();
    private final ArrayList<Entry> entries = new ArrayList<>(); // entries[head..] are retained, increasing seq
    private final CopyOnWriteArrayList<Consumer> consumers = new CopyOnWriteArrayList<>();
    private int head;
    private long bytes;
    private long lastSeq;
    private long visibleSeq; // the last sequence forced to the device (== lastSeq in memory)
    private boolean shut;
    private RecordLog log;
    private final boolean lazySync; // forced by the transport's timer, not by each publish
    private volatile long lastTicket;

    InProcessStream(InProcessTransport transport, String name, List<String> subjects, Path file, long maxMessages, long maxBytes,
                    boolean lazySync) {
        this.lazySync = lazySync;
        this.transport = transport;
        this.name = name;
        this.subjects = subjects;
        this.subjectTokens = subjects.stream().map(SubjectMatcher::tokens).toArray(String[][]::new);
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
        if (file != null) {
            try {
                log = RecordLog.open(file, this::replay);
            } catch (IOException e) {
                throw new TransportException("cannot open stream " + name + " at " + file + ": " + e.getMessage(), e);
            }
            visibleSeq = lastSeq;
        }
    }

    private void replay(byte[] rec) {
        ByteBuffer b = ByteBuffer.wrap(rec);
        long seq = b.getLong();
        byte[] s = new byte[Short.toUnsignedInt(b.getShort())];
        b.get(s);
        byte[] d = new byte[b.getInt()];
        b.get(d);
        if (seq <= lastSeq) return; // never expected; keeps sequences increasing whatever the file says
        add(new Entry(seq, new String(s, StandardCharsets.UTF_8), d));
    }

    private static byte[] record(Entry e) {
        byte[] s = e.subject().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + 2 + s.length + 4 + e.data().length).putLong(e.seq()).putShort((short) s.length).put(s)
                .putInt(e.data().length).put(e.data()).array();
    }

    private static long size(Entry e) {
        return 14 + e.subject().length() + e.data().length;
    }

    /** Under the lock (or while replaying): appends and applies the retention limits. */
    private void add(Entry e) {
        entries.add(e);
        bytes += size(e);
        lastSeq = e.seq();
        while (entries.size() - head > 1 && (entries.size() - head > maxMessages || bytes > maxBytes)) {
            bytes -= size(entries.get(head));
            entries.set(head++, null);
        }
        if (head > 1024 && head > entries.size() / 2) {
            entries.subList(0, head).clear();
            head = 0;
        }
    }

    @Override
    public String name() {
        return name;
    }

    boolean captures(String subject) {
        for (String[] t : subjectTokens) if (SubjectMatcher.matches(t, subject)) return true;
        return false;
    }

    @Override
    public long publish(String subject, byte[] data) {
        transport.checkOpen();
        SubjectMatcher.checkSubject(subject);
        transport.checkPayload(data);
        if (!captures(subject))
            throw new TransportException("stream " + name + " does not capture subject " + subject + " (its subjects: " + subjects + ")");
        long seq = store(subject, data);
        transport.deliver(subject, null, data);
        return seq;
    }

    /** Forces what was appended so far (the periodic sync of a lazily synced stream). */
    void syncNow() {
        long t = lastTicket;
        if (log == null || t <= 0 || shut) return;
        try {
            log.syncTo(t);
        } catch (java.nio.channels.ClosedChannelException ex) {
            // closed meanwhile: closing forces what is written
        } catch (IOException | RuntimeException ex) {
            InProcessTransport.LOG.log(System.Logger.Level.WARNING, "stream " + name + ": periodic sync failed: " + ex);
        }
    }

    /** Stores a message; returns once it is durable (forced, or with lazy sync written to the OS) and visible to consumers. */
    long store(String subject, byte[] data) {
        Entry e;
        long ticket = -1;
        lock.lock();
        try {
            if (shut) throw new TransportException("transport closed");
            e = new Entry(lastSeq + 1, subject, data.clone());
            if (log != null) {
                try {
                    ticket = log.append(record(e));
                } catch (IOException ex) {
                    throw new TransportException("stream " + name + ": cannot write: " + ex.getMessage(), ex);
                }
            }
            add(e);
            if (ticket > 0) lastTicket = ticket;
            if (log == null || lazySync) {
                visibleSeq = e.seq();
                visibleChanged.signalAll();
                if (log != null) maybeCompact();
                return e.seq();
            }
        } finally {
            lock.unlock();
        }
        try {
            log.syncTo(ticket);
        } catch (IOException ex) {
            throw new TransportException("stream " + name + ": cannot force to disk: " + ex.getMessage(), ex);
        }
        lock.lock();
        try {
            if (e.seq() > visibleSeq) {
                visibleSeq = e.seq();
                visibleChanged.signalAll();
            }
            maybeCompact();
        } finally {
            lock.unlock();
        }
        return e.seq();
    }

    /** Under the lock, with nothing pending: rewrites the file with the retained messages when it is much bigger. */
    private void maybeCompact() {
        if (visibleSeq != lastSeq || log.size() < 2 * bytes + (8L << 20)) return;
        List<byte[]> recs = new ArrayList<>(entries.size() - head);
        for (int i = head; i < entries.size(); i++) recs.add(record(entries.get(i)));
        try {
            log.rewrite(recs);
        } catch (IOException ex) {
            InProcessTransport.LOG.log(System.Logger.Level.WARNING, "stream " + name + ": compaction failed (the log stays as is): " + ex);
        }
    }

    @Override
    public long lastSequence() {
        lock.lock();
        try {
            return visibleSeq;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public AutoCloseable consume(String filter, long fromSequence, StreamHandler handler) {
        transport.checkOpen();
        String f = filter == null || filter.isEmpty() ? ">" : SubjectMatcher.checkPattern(filter);
        java.util.Objects.requireNonNull(handler, "handler");
        Consumer c = new Consumer(SubjectMatcher.tokens(f), Math.max(1, fromSequence), handler);
        consumers.add(c);
        c.thread.start();
        return c;
    }

    /** The first visible entry with seq >= from matching filter; waits for one; null once closed. */
    private Entry next(Consumer c, long from) throws InterruptedException {
        lock.lock();
        try {
            while (!c.closed && !shut) {
                long firstSeq = entries.size() > head ? entries.get(head).seq() : lastSeq + 1;
                long s = Math.max(from, firstSeq);
                for (; s <= visibleSeq; s++) {
                    Entry e = entries.get(head + (int) (s - firstSeq));
                    if (SubjectMatcher.matches(c.filter, e.subject())) return e;
                }
                from = s;
                visibleChanged.await();
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    void shutdown() {
        lock.lock();
        try {
            shut = true;
            visibleChanged.signalAll();
        } finally {
            lock.unlock();
        }
        for (Consumer c : consumers) c.close();
        if (log != null) {
            try {
                if (lazySync && lastTicket > 0) log.syncTo(lastTicket); // a clean close leaves everything forced
                log.close();
            } catch (IOException e) {
                InProcessTransport.LOG.log(System.Logger.Level.WARNING, "closing stream " + name + ": " + e);
            }
        }
    }

    private final class Consumer implements AutoCloseable, Runnable {
        final String[] filter;
        final StreamHandler handler;
        final Thread thread;
        volatile boolean closed;
        long next;

        Consumer(String[] filter, long from, StreamHandler handler) {
            this.filter = filter;
            this.next = from;
            this.handler = handler;
            this.thread = new Thread(this, "spindle-stream-" + name + "-" + CONSUMERS.incrementAndGet());
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            try {
                while (!closed) {
                    Entry e = next(this, next);
                    if (e == null) return;
                    long backoff = 100;
                    while (!closed) {
                        try {
                            handler.onMessage(e.seq(), e.subject(), e.data().clone());
                            break;
                        } catch (InterruptedException ie) {
                            if (closed) return;
                            transport.countHandlerError("consumer of stream " + name + " at sequence " + e.seq(), ie);
                        } catch (Exception | LinkageError | AssertionError ex) {
                            transport.countHandlerError("consumer of stream " + name + " at sequence " + e.seq()
                                    + " (redelivered in " + backoff + " ms)", ex);
                        }
                        TimeUnit.MILLISECONDS.sleep(backoff);
                        backoff = Math.min(2000, backoff * 2);
                    }
                    next = e.seq() + 1;
                }
            } catch (InterruptedException ie) {
                // closed
            }
        }

        @Override
        public void close() {
            closed = true;
            consumers.remove(this);
            if (Thread.currentThread() != thread) {
                thread.interrupt();
                lock.lock();
                try {
                    visibleChanged.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }
    }
}
