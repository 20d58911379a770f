package io.spindle.codec;

/** Reads the byte-aligned header fields of a batch, checking each against the end of the input. */
final class ByteCursor {
    byte[] data;
    int p;
    int end;

    void reset(byte[] data, int p, int end) {
        this.data = data;
        this.p = p;
        this.end = end;
    }

    int u8(String what) {
        if (p >= end) throw new IllegalArgumentException("truncated: " + what + " is cut off");
        return data[p++] & 0xFF;
    }

    long i64(String what) {
        if (end - p < 8) throw new IllegalArgumentException("truncated: " + what + " is cut off");
        long x = 0;
        for (int k = 0; k < 8; k++) x |= (long) (data[p + k] & 0xFF) << (8 * k);
        p += 8;
        return x;
    }

    /** An unsigned LEB128 of at most 10 bytes. */
    long varint(String what) {
        long x = 0;
        for (int shift = 0; ; shift += 7) {
            if (p >= end) throw new IllegalArgumentException("truncated: " + what + " is cut off");
            if (shift > 63) throw new IllegalArgumentException("malformed " + what + " (varint longer than 10 bytes)");
            byte b = data[p++];
            x |= (long) (b & 0x7F) << shift;
            if (b >= 0) return x;
        }
    }

    long zigzag(String what) {
        long z = varint(what);
        return (z >>> 1) ^ -(z & 1);
    }

    static int writeVarint(byte[] b, int p, long x) {
        while ((x & ~0x7FL) != 0) {
            b[p++] = (byte) ((x & 0x7F) | 0x80);
            x >>>= 7;
        }
        b[p++] = (byte) x;
        return p;
    }

    static int writeZigzag(byte[] b, int p, long x) {
        return writeVarint(b, p, (x << 1) ^ (x >> 63));
    }

    /** Bytes the varint of x takes. */
    static int varintBytes(long x) {
        return Math.max(1, (64 - Long.numberOfLeadingZeros(x) + 6) / 7);
    }

    /** Bytes the zigzag varint of x takes. */
    static int zigzagBytes(long x) {
        return varintBytes((x << 1) ^ (x >> 63));
    }

    static int writeI64(byte[] b, int p, long x) {
        for (int k = 0; k < 8; k++) b[p + k] = (byte) (x >>> (8 * k));
        return p + 8;
    }
}
