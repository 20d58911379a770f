package io.spindle.downsample.stream;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** Framing shared by Spindle's versioned snapshot formats: a magic number, a version, length-prefixed blocks. */
public final class Snapshots {
    private Snapshots() {
    }

    /** Writes the magic number and version that {@link #open} checks. */
    public static void writeHeader(DataOutputStream out, int magic, int version) throws IOException {
        out.writeInt(magic);
        out.writeInt(version);
    }

    /** Reads past the header, refusing (IllegalArgumentException) another format or version; what names the format. */
    public static DataInputStream open(byte[] snapshot, int magic, int version, String what) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot));
        if (in.readInt() != magic) throw new IllegalArgumentException("not a " + what + " snapshot (bad magic)");
        int v = in.readInt();
        if (v != version)
            throw new IllegalArgumentException(what + " snapshot version " + v + " is not supported (expected " + version + ")");
        return in;
    }

    /** Writes a length-prefixed block (a nested snapshot). */
    public static void writeBlock(DataOutputStream out, byte[] block) throws IOException {
        out.writeInt(block.length);
        out.write(block);
    }

    /** Reads a block written by {@link #writeBlock}, refusing a length the remaining bytes cannot hold. */
    public static byte[] readBlock(DataInputStream in, String what) throws IOException {
        int len = in.readInt();
        if (len < 0 || len > in.available()) throw new IllegalArgumentException(what + " snapshot is truncated");
        return in.readNBytes(len);
    }
}
