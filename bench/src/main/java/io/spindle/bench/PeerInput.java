package io.spindle.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The series as the peer programs read it: a temporary file of n little-endian float64 x values followed by n
 * y values (n = size / 16). Written once per run and deleted on {@link #close()}.
 *
 * @param file the file
 * @param n    samples in it
 */
public record PeerInput(Path file, int n) implements AutoCloseable {

    private static final int CHUNK_DOUBLES = 1 << 16;

    /** Writes x then y of data into a new temporary file. */
    public static PeerInput write(BenchData data) throws BenchException {
        Path file;
        try {
            file = Files.createTempFile("spindle-bench-", ".f64");
        } catch (IOException e) {
            throw new BenchException("cannot create the peers' data file in " + System.getProperty("java.io.tmpdir")
                    + ": " + e.getMessage(), e);
        }
        file.toFile().deleteOnExit();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK_DOUBLES * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            writeAll(ch, buf, data.x(), data.n());
            writeAll(ch, buf, data.y(), data.n());
        } catch (IOException e) {
            delete(file);
            throw new BenchException("cannot write the peers' data file " + file + " (" + 16L * data.n()
                    + " bytes): " + e.getMessage(), e);
        }
        return new PeerInput(file, data.n());
    }

    private static void writeAll(FileChannel ch, ByteBuffer buf, double[] a, int n) throws IOException {
        for (int from = 0; from < n; from += CHUNK_DOUBLES) {
            int to = Math.min(n, from + CHUNK_DOUBLES);
            buf.clear();
            buf.asDoubleBuffer().put(a, from, to - from);
            buf.limit((to - from) * Double.BYTES);
            while (buf.hasRemaining()) ch.write(buf);
        }
    }

    /** Deletes the file. */
    @Override
    public void close() {
        delete(file);
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // deleteOnExit is the fallback; a leftover temp file is no reason to fail a benchmark.
        }
    }
}
