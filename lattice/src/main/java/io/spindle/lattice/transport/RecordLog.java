package io.spindle.lattice.transport;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * An append-only file of records, each {@code [int length][int crc32c][payload]}, for the in-process transport's
 * persistent buckets and streams, and the source providers' spool (module providers). Opening replays every intact
 * record and truncates a torn or corrupt tail (what a kill during a write leaves). Appends go straight to the OS (no
 * JVM buffer), so they survive the process being killed; {@link #syncTo} forces them to the device (group commit: one
 * fsync covers every append before it).
 * Rewrites (compaction) write a temporary file, force it and rename it over the log atomically.
 */
public final class RecordLog implements AutoCloseable {
    static final int MAX_RECORD = 256 << 20;
    private static final System.Logger LOG = System.getLogger("spindle.transport");

    private final Path path;
    // RandomAccessFile, not FileChannel: an interrupt during a FileChannel write or force closes the channel for every
    // thread (ClosedByInterruptException), so one publisher being stopped would take the whole stream down with it.
    // RandomAccessFile's write and FileDescriptor.sync are not interruptible.
    private RandomAccessFile file;
    private long size;
    private final Object syncLock = new Object();
    private long written; // logical bytes appended since open (never reset), guarded by this
    private long synced; // logical bytes known forced, guarded by syncLock

    private RecordLog(Path path, RandomAccessFile file, long size) {
        this.path = path;
        this.file = file;
        this.size = size;
    }

    /** Opens (creating) the log at path, passing every intact record's payload to replay in order. */
    public static RecordLog open(Path path, Consumer<byte[]> replay) throws IOException {
        Files.createDirectories(path.getParent());
        long good = 0;
        if (Files.exists(path)) {
            try (InputStream raw = Files.newInputStream(path);
                 DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
                CRC32C crc = new CRC32C();
                while (true) {
                    int len, sum;
                    try {
                        len = in.readInt();
                        sum = in.readInt();
                    } catch (EOFException e) {
                        break;
                    }
                    if (len < 0 || len > MAX_RECORD) break;
                    byte[] payload = new byte[len];
                    try {
                        in.readFully(payload);
                    } catch (EOFException e) {
                        break;
                    }
                    crc.reset();
                    crc.update(payload);
                    if ((int) crc.getValue() != sum) break;
                    replay.accept(payload);
                    good += 8L + len;
                }
            }
        }
        RandomAccessFile f = new RandomAccessFile(path.toFile(), "rw");
        if (f.length() > good) {
            LOG.log(System.Logger.Level.WARNING, "{0}: dropping {1} bytes of torn or corrupt tail", path, f.length() - good);
            f.setLength(good);
            f.getFD().sync();
        }
        f.seek(good);
        return new RecordLog(path, f, good);
    }

    /** Appends one record (written to the OS before returning); returns a ticket for {@link #syncTo}. */
    public synchronized long append(byte[] payload) throws IOException {
        byte[] rec = frame(payload);
        file.write(rec);
        size += rec.length;
        written += rec.length;
        return written;
    }

    /** Forces the device until every append up to ticket is durable; concurrent callers share one fsync. */
    public void syncTo(long ticket) throws IOException {
        synchronized (syncLock) {
            if (synced >= ticket) return;
            long target;
            RandomAccessFile f;
            synchronized (this) {
                target = written;
                f = file;
            }
            f.getFD().sync();
            synced = Math.max(synced, target);
        }
    }

    /** Current file size in bytes. */
    public synchronized long size() {
        return size;
    }

    /** Atomically replaces the log's content by payloads (forced before the rename); everything is durable after. */
    public void rewrite(Iterable<byte[]> payloads) throws IOException {
        synchronized (syncLock) {
            synchronized (this) {
                Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
                long newSize = 0;
                try (RandomAccessFile out = new RandomAccessFile(tmp.toFile(), "rw")) {
                    out.setLength(0);
                    for (byte[] p : payloads) {
                        byte[] rec = frame(p);
                        out.write(rec);
                        newSize += rec.length;
                    }
                    out.getFD().sync();
                }
                file.close();
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                syncDirectory(path.getParent());
                file = new RandomAccessFile(path.toFile(), "rw");
                file.seek(newSize);
                size = newSize;
                synced = written;
            }
        }
    }

    private static byte[] frame(byte[] payload) {
        if (payload.length > MAX_RECORD) throw new IllegalArgumentException("record of " + payload.length + " bytes is too large");
        CRC32C crc = new CRC32C();
        crc.update(payload);
        byte[] rec = new byte[8 + payload.length];
        ByteBuffer.wrap(rec).putInt(payload.length).putInt((int) crc.getValue()).put(payload);
        return rec;
    }

    static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some file systems cannot open or force a directory; the rename is still atomic
        }
    }

    @Override
    public synchronized void close() throws IOException {
        file.close();
    }
}
