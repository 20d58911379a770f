package io.spindle.lattice.transport;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
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
 * persistent buckets and streams. Opening replays every intact record and truncates a torn or corrupt tail (what a
 * kill during a write leaves). Appends go straight to the OS (no JVM buffer), so they survive the process being
 * killed; {@link #syncTo} forces them to the device (group commit: one fsync covers every append before it).
 * Rewrites (compaction) write a temporary file, force it and rename it over the log atomically.
 */
final class RecordLog implements AutoCloseable {
    static final int MAX_RECORD = 256 << 20;
    private static final System.Logger LOG = System.getLogger("spindle.transport");

    private final Path path;
    private FileChannel channel;
    private long size;
    private final Object syncLock = new Object();
    private long written; // logical bytes appended since open (never reset), guarded by this
    private long synced; // logical bytes known forced, guarded by syncLock

    private RecordLog(Path path, FileChannel channel, long size) {
        this.path = path;
        this.channel = channel;
        this.size = size;
    }

    /** Opens (creating) the log at path, passing every intact record's payload to replay in order. */
    static RecordLog open(Path path, Consumer<byte[]> replay) throws IOException {
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
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        if (ch.size() > good) {
            LOG.log(System.Logger.Level.WARNING, "{0}: dropping {1} bytes of torn or corrupt tail", path, ch.size() - good);
            ch.truncate(good);
            ch.force(true);
        }
        ch.position(good);
        return new RecordLog(path, ch, good);
    }

    /** Appends one record (written to the OS before returning); returns a ticket for {@link #syncTo}. */
    synchronized long append(byte[] payload) throws IOException {
        ByteBuffer buf = frame(payload);
        while (buf.hasRemaining()) channel.write(buf);
        size += 8L + payload.length;
        written += 8L + payload.length;
        return written;
    }

    /** Forces the device until every append up to ticket is durable; concurrent callers share one fsync. */
    void syncTo(long ticket) throws IOException {
        synchronized (syncLock) {
            if (synced >= ticket) return;
            long target;
            FileChannel ch;
            synchronized (this) {
                target = written;
                ch = channel;
            }
            ch.force(false);
            synced = Math.max(synced, target);
        }
    }

    /** Current file size in bytes. */
    synchronized long size() {
        return size;
    }

    /** Atomically replaces the log's content by payloads (forced before the rename); everything is durable after. */
    void rewrite(Iterable<byte[]> payloads) throws IOException {
        synchronized (syncLock) {
            synchronized (this) {
                Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
                long newSize = 0;
                try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    for (byte[] p : payloads) {
                        ByteBuffer buf = frame(p);
                        while (buf.hasRemaining()) out.write(buf);
                        newSize += 8L + p.length;
                    }
                    out.force(true);
                }
                channel.close();
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                syncDirectory(path.getParent());
                channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
                channel.position(newSize);
                size = newSize;
                synced = written;
            }
        }
    }

    private static ByteBuffer frame(byte[] payload) {
        if (payload.length > MAX_RECORD) throw new IllegalArgumentException("record of " + payload.length + " bytes is too large");
        CRC32C crc = new CRC32C();
        crc.update(payload);
        ByteBuffer buf = ByteBuffer.allocate(8 + payload.length);
        buf.putInt(payload.length).putInt((int) crc.getValue()).put(payload).flip();
        return buf;
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
        channel.close();
    }
}
