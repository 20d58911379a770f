package io.spindle.providers.source;

import io.spindle.lattice.transport.RecordLog;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * A bounded FIFO of publishes (subject, body) between a source's thread and the one thread that appends them to the
 * data stream, so the source keeps being read while the stream is unreachable. {@link #put} waits while the backlog
 * would pass the bound (back-pressure), except for a record into an empty spool.
 *
 * <p>With a directory, every record is appended to a segment file ({@link RecordLog}, {@code seg-<n>.log}, written to
 * the OS before put returns, so it survives the process being killed; not forced to the device) and the position of
 * the last record published is kept in {@code ack}; a segment is deleted once published. In memory: the records of
 * the segment being written and of the one being drained, at most two segments; older sealed segments stay on disk
 * until their turn. Opening the directory again resumes after the last acknowledged record. Without a directory the
 * records live in memory only and what is left at {@link #close} is lost (counted).
 */
final class Spool implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("spindle.providers.source");

    /** One spooled publish; segment and index locate it on disk. */
    record Entry(String subject, byte[] body, long segment, long index, int bytes) {
    }

    /** Counters: backlog now, its high-water mark, totals in and out, time put waited, restored and lost records. */
    record Counters(long batches, long bytes, long maxBytes, long spooled, long drained, long blockedNanos,
                    long restored, long lost) {
    }

    private final Path dir;
    private final long limit, segmentBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Entry> head = new ArrayDeque<>(); // the segment being drained, loaded from disk
    private final ArrayDeque<Entry> tail = new ArrayDeque<>(); // unpublished records of the segment being written
    private final ArrayDeque<Long> sealed = new ArrayDeque<>(); // full segments on disk only, oldest first
    private long headSegment = -1, active, activeRecords;
    private RecordLog activeLog;
    private RandomAccessFile ack;
    private java.nio.channels.FileChannel lockFile;
    private java.nio.channels.FileLock dirLock; // one spool per directory, in this JVM and across processes
    private long ackSegment = -1, ackCount; // as found on disk when opened: skip these when loading that segment
    private long count, bytes, maxBytesSeen, spooled, drained, blockedNanos, restored, lost;
    private boolean closed;

    /** A spool bounded to limit bytes, in segment files under dir (created when missing), or in memory when dir is null. */
    Spool(Path dir, long limit) throws IOException {
        if (limit <= 0) throw new IllegalArgumentException("spool limit " + limit + " must be positive");
        this.dir = dir;
        this.limit = limit;
        this.segmentBytes = Math.max(64 << 10, Math.min(8 << 20, limit / 8));
        if (dir != null) open();
    }

    private void open() throws IOException {
        Files.createDirectories(dir);
        lockFile = java.nio.channels.FileChannel.open(dir.resolve("lock"), java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE);
        try {
            dirLock = lockFile.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            dirLock = null;
        }
        if (dirLock == null) {
            lockFile.close();
            throw new IOException("another source provider holds the spool in " + dir + " (one provider per id and data directory)");
        }
        Path ackPath = dir.resolve("ack");
        if (Files.isRegularFile(ackPath) && Files.size(ackPath) >= 16) {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(ackPath));
            ackSegment = b.getLong();
            ackCount = b.getLong();
        }
        long last = Math.max(0, ackSegment);
        for (long s : segments()) {
            last = Math.max(last, s);
            if (s < ackSegment) { // published, deleted late
                Files.deleteIfExists(segment(s));
                continue;
            }
            long[] n = {0};
            try (RecordLog log = RecordLog.open(segment(s), p -> {
                if (s != ackSegment || n[0]++ >= ackCount) {
                    count++;
                    bytes += p.length + 8L;
                }
            })) {
                sealed.add(s);
            }
        }
        restored = count;
        maxBytesSeen = bytes;
        ack = new RandomAccessFile(ackPath.toFile(), "rw");
        active = last + 1;
        activeLog = RecordLog.open(segment(active), p -> { });
        if (restored > 0)
            LOG.log(System.Logger.Level.INFO, "spool " + dir + ": " + restored + " batches (" + bytes + " bytes) left by the last run, published first");
    }

    private List<Long> segments() throws IOException {
        List<Long> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.matches("seg-\\d{1,18}\\.log")) out.add(Long.parseLong(n.substring(4, n.length() - 4)));
            }
        }
        out.sort(null);
        return out;
    }

    private Path segment(long n) {
        return dir.resolve("seg-" + n + ".log");
    }

    /** True when records are kept in files. */
    boolean onDisk() {
        return dir != null;
    }

    /**
     * Appends a publish, waiting while the backlog would pass the bound (unless overBound: the final flush of a stop);
     * returns the nanoseconds it waited.
     */
    long put(String subject, byte[] body, boolean overBound) throws InterruptedException {
        if (overBound) {
            putOverBound(subject, body);
            return 0;
        }
        byte[] payload = payload(subject, body);
        int size = payload.length + 8;
        lock.lockInterruptibly();
        try {
            long waited = 0;
            if (count > 0 && bytes + size > limit) {
                long t0 = System.nanoTime();
                try {
                    while (!closed && count > 0 && bytes + size > limit) changed.await();
                } finally {
                    waited = System.nanoTime() - t0;
                    blockedNanos += waited;
                }
            }
            append(subject, body, payload, size);
            return waited;
        } finally {
            lock.unlock();
        }
    }

    /** Appends a publish without waiting, past the bound if need be (a stop's final flush); ignores interrupts. */
    void putOverBound(String subject, byte[] body) {
        byte[] payload = payload(subject, body);
        lock.lock();
        try {
            append(subject, body, payload, payload.length + 8);
        } finally {
            lock.unlock();
        }
    }

    private static byte[] payload(String subject, byte[] body) {
        byte[] s = subject.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + s.length + body.length).putShort((short) s.length).put(s).put(body).array();
    }

    /** Under the lock. */
    private void append(String subject, byte[] body, byte[] payload, int size) {
        if (closed) throw new IllegalStateException("spool closed");
        long index = activeRecords++;
        if (activeLog != null) {
            try {
                activeLog.append(payload);
            } catch (IOException e) {
                throw new UncheckedIOException("spool " + dir + ": cannot append to " + segment(active), e);
            }
        }
        tail.add(new Entry(subject, body, active, index, size));
        count++;
        bytes += size;
        spooled++;
        maxBytesSeen = Math.max(maxBytesSeen, bytes);
        if (activeLog != null && activeLog.size() >= segmentBytes) seal();
        changed.signalAll();
    }

    /** Under the lock: closes the segment being written and starts the next. */
    private void seal() {
        try {
            activeLog.close();
            if (tail.isEmpty()) Files.deleteIfExists(segment(active));
            else if (head.isEmpty() && sealed.isEmpty()) { // the drainer is on this segment: it keeps it in memory
                head.addAll(tail);
                headSegment = active;
            } else sealed.add(active);
            tail.clear();
            active++;
            activeRecords = 0;
            activeLog = RecordLog.open(segment(active), p -> { });
        } catch (IOException e) {
            throw new UncheckedIOException("spool " + dir + ": cannot start segment " + (active + 1), e);
        }
    }

    /** The oldest record not yet published, waiting up to timeout for one; null when none came or the spool closed. */
    Entry next(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        lock.lockInterruptibly();
        try {
            while (!closed) {
                if (!head.isEmpty()) return head.peekFirst();
                if (!sealed.isEmpty()) {
                    load(sealed.pollFirst());
                    continue;
                }
                if (!tail.isEmpty()) return tail.peekFirst();
                long left = end - System.nanoTime();
                if (left <= 0) return null;
                changed.awaitNanos(left);
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: reads a sealed segment (bounded by the segment size) into head. */
    private void load(long s) {
        long[] n = {0};
        try (RecordLog log = RecordLog.open(segment(s), p -> {
            long i = n[0]++;
            if (s == ackSegment && i < ackCount) return;
            ByteBuffer b = ByteBuffer.wrap(p);
            byte[] subject = new byte[b.getShort() & 0xffff];
            b.get(subject);
            byte[] body = new byte[b.remaining()];
            b.get(body);
            head.add(new Entry(new String(subject, StandardCharsets.UTF_8), body, s, i, p.length + 8));
        })) {
            headSegment = s;
        } catch (IOException e) {
            throw new UncheckedIOException("spool " + dir + ": cannot read " + segment(s), e);
        }
        if (head.isEmpty()) deleteQuietly(s);
    }

    /** Removes e, the record {@link #next} returned, once it is published. */
    void done(Entry e) {
        lock.lock();
        try {
            ArrayDeque<Entry> q = head.peekFirst() == e ? head : tail.peekFirst() == e ? tail : null;
            if (q == null || closed) return;
            q.pollFirst();
            count--;
            bytes -= e.bytes();
            drained++;
            if (dir != null) {
                writeAck(e.segment(), e.index() + 1);
                if (q == head && head.isEmpty()) {
                    deleteQuietly(headSegment);
                    headSegment = -1;
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void writeAck(long segment, long n) {
        try {
            ack.seek(0);
            ack.write(ByteBuffer.allocate(16).putLong(segment).putLong(n).array());
        } catch (IOException ex) {
            // the record may be published again by the next run: consumers de-duplicate by (series, t)
            LOG.log(System.Logger.Level.WARNING, "spool " + dir + ": cannot record progress: " + ex);
        }
    }

    private void deleteQuietly(long s) {
        try {
            Files.deleteIfExists(segment(s));
        } catch (IOException ex) {
            LOG.log(System.Logger.Level.WARNING, "spool " + dir + ": cannot delete published " + segment(s) + ": " + ex);
        }
    }

    /** Waits up to timeout until every record is published; true when the spool is empty. */
    boolean awaitEmpty(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        lock.lockInterruptibly();
        try {
            while (count > 0) {
                long left = end - System.nanoTime();
                if (left <= 0) return false;
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    Counters counters() {
        lock.lock();
        try {
            return new Counters(count, bytes, maxBytesSeen, spooled, drained, blockedNanos, restored, lost);
        } finally {
            lock.unlock();
        }
    }

    /** As the process dying would (tests): file handles and the directory lock let go, nothing written or counted. */
    void abandon() throws IOException {
        if (dir == null) return;
        activeLog.close();
        ack.close();
        dirLock.release();
        lockFile.close();
    }

    /** Stops: waiting puts fail; on disk what is unpublished stays for the next run, in memory it is lost (counted). */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            changed.signalAll();
            if (dir == null) {
                lost = count;
                if (count > 0)
                    LOG.log(System.Logger.Level.WARNING, "spool in memory: " + count + " batches (" + bytes + " bytes) unpublished at stop are lost");
                return;
            }
            try {
                activeLog.close();
                if (tail.isEmpty()) Files.deleteIfExists(segment(active));
                ack.close();
                dirLock.release();
                lockFile.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "spool " + dir + ": closing: " + e);
            }
            if (count > 0)
                LOG.log(System.Logger.Level.INFO, "spool " + dir + ": " + count + " batches (" + bytes + " bytes) left for the next run");
        } finally {
            lock.unlock();
        }
    }
}
