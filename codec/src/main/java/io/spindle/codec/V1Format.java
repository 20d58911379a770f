package io.spindle.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Version 1 of the batch encoding, still read and, on request, written:
 *
 * <pre>
 * byte     magic 0x53 ('S')
 * byte     version 1
 * byte     value encoding: 0 raw (8 bytes little-endian IEEE 754 bits each), 1 XOR (see below)
 * u16 LE   series name length n, then n bytes of UTF-8
 * varint   count (unsigned LEB128)
 * if count > 0:
 *   i64 LE   the first time (nanoseconds)
 *   count-1 zigzag varints: the first is t1 - t0, each next is the change of the delta (delta of delta), all in
 *            wrapping 64-bit arithmetic
 *   values:  raw: count x i64 LE
 *            XOR: per value, x = bits XOR previous bits (previous of the first = 0); a control byte
 *            (leading zero bytes of x &lt;&lt; 4 | significant bytes n), then the n significant bytes of x, most
 *            significant first.
 * </pre>
 */
final class V1Format {
    static final byte RAW = 0, XOR = 1;
    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private V1Format() {
    }

    /** The most bytes a batch of n samples with a name of nameLength bytes can take. */
    static long worstCase(int nameLength, int n) {
        return 3L + 2 + nameLength + 5 + 8 + 10L * n + 9L * n;
    }

    /** Encodes into b (holding worstCase bytes); returns the length. */
    static int encode(byte[] b, byte[] name, long[] t, double[] v, int from, int to) {
        int n = to - from;
        b[0] = SampleBatchCodec.MAGIC;
        b[1] = 1;
        b[3] = (byte) name.length;
        b[4] = (byte) (name.length >>> 8);
        System.arraycopy(name, 0, b, 5, name.length);
        int p = ByteCursor.writeVarint(b, 5 + name.length, n);
        if (n == 0) {
            b[2] = RAW;
            return p;
        }
        LE_LONG.set(b, p, t[from]);
        p += 8;
        long prev = t[from], prevDelta = 0;
        for (int i = from + 1; i < to; i++) {
            long delta = t[i] - prev;
            long dod = delta - prevDelta;
            p = ByteCursor.writeVarint(b, p, (dod << 1) ^ (dod >> 63));
            prev = t[i];
            prevDelta = delta;
        }
        int valuesAt = p;
        int rawEnd = valuesAt + 8 * n;
        // XOR first; stop as soon as it is no smaller than raw
        long prevBits = 0;
        for (int i = from; i < to && p < rawEnd; i++) {
            long bits = Double.doubleToRawLongBits(v[i]);
            long x = bits ^ prevBits;
            prevBits = bits;
            if (x == 0) {
                b[p++] = (byte) 0x80;
                continue;
            }
            int lz = Long.numberOfLeadingZeros(x) >>> 3;
            int tz = Long.numberOfTrailingZeros(x) >>> 3;
            int sig = 8 - lz - tz;
            b[p++] = (byte) (lz << 4 | sig);
            long y = x >>> (tz << 3);
            for (int k = sig - 1; k >= 0; k--) b[p++] = (byte) (y >>> (k << 3));
        }
        if (p < rawEnd) {
            b[2] = XOR;
            return p;
        }
        b[2] = RAW;
        p = valuesAt;
        for (int i = from; i < to; i++, p += 8) LE_LONG.set(b, p, Double.doubleToRawLongBits(v[i]));
        return p;
    }

    /** Decodes data[off, end), whose magic and version the caller checked, into batch. */
    static void decode(byte[] data, int off, int end, SampleBatch batch, NameCache names) {
        int len = end - off;
        if (len < 6) throw new IllegalArgumentException("truncated: " + len + " bytes is shorter than the 6-byte header");
        byte enc = data[off + 2];
        if (enc != RAW && enc != XOR) throw new IllegalArgumentException("unknown value encoding " + (enc & 0xFF));
        int nameLen = (data[off + 3] & 0xFF) | (data[off + 4] & 0xFF) << 8;
        int p = off + 5;
        if (nameLen > end - p)
            throw new IllegalArgumentException("series name length " + nameLen + " is beyond the " + (end - p) + " bytes left");
        names.set(batch, data, p, nameLen);
        p += nameLen;
        long count = 0;
        for (int shift = 0; ; shift += 7) {
            if (p >= end) throw new IllegalArgumentException("truncated: the sample count is cut off");
            if (shift > 28) throw new IllegalArgumentException("malformed sample count (varint longer than 5 bytes)");
            byte x = data[p++];
            count |= (long) (x & 0x7F) << shift;
            if (x >= 0) break;
        }
        int left = end - p;
        if (count == 0) {
            if (left != 0) throw new IllegalArgumentException(left + " trailing bytes after an empty batch");
            batch.count = 0;
            return;
        }
        // each sample needs at least 1 byte of time (8 for the first) and 1 (XOR) or 8 (raw) of value
        long minBytes = 8 + (count - 1) + count * (enc == RAW ? 8 : 1);
        if (minBytes > left)
            throw new IllegalArgumentException("count " + count + " needs at least " + minBytes + " bytes, only " + left + " left");
        int n = (int) count;
        batch.ensureCapacity(n);
        long[] t = batch.times;
        double[] v = batch.values;
        long prev = (long) LE_LONG.get(data, p);
        p += 8;
        t[0] = prev;
        long delta = 0;
        for (int i = 1; i < n; i++) {
            // zigzag varint, unrolled for the 1-byte case
            long x;
            byte b0 = data[p++];
            if (b0 >= 0) {
                x = b0;
            } else {
                x = b0 & 0x7F;
                int shift = 7;
                while (true) {
                    if (p >= end) throw new IllegalArgumentException("truncated: time delta of sample " + i + " is cut off");
                    byte bx = data[p++];
                    x |= (long) (bx & 0x7F) << shift;
                    if (bx >= 0) break;
                    shift += 7;
                    if (shift > 63) throw new IllegalArgumentException("malformed time delta of sample " + i + " (varint longer than 10 bytes)");
                }
            }
            delta += (x >>> 1) ^ -(x & 1);
            prev += delta;
            t[i] = prev;
            if (p >= end) throw new IllegalArgumentException("truncated: no bytes left for the values after sample " + i + "'s time");
        }
        if (enc == RAW) {
            if (end - p != 8L * n)
                throw new IllegalArgumentException("raw values need " + 8L * n + " bytes, " + (end - p) + " left");
            for (int i = 0; i < n; i++, p += 8) v[i] = Double.longBitsToDouble((long) LE_LONG.get(data, p));
        } else {
            long bits = 0;
            for (int i = 0; i < n; i++) {
                if (p >= end) throw new IllegalArgumentException("truncated: value " + i + " of " + n + " is cut off");
                int c = data[p++] & 0xFF;
                int lz = c >>> 4, sig = c & 0xF;
                if (lz + sig > 8 || (sig == 0) != (lz == 8))
                    throw new IllegalArgumentException(String.format("bad control byte 0x%02x for value %d", c, i));
                if (sig > end - p) throw new IllegalArgumentException("truncated: value " + i + " of " + n + " is cut off");
                long y = 0;
                for (int k = 0; k < sig; k++) y = (y << 8) | (data[p++] & 0xFF);
                int tz = 8 - lz - sig;
                bits ^= tz == 8 ? 0 : y << (tz << 3);
                v[i] = Double.longBitsToDouble(bits);
            }
            if (p != end) throw new IllegalArgumentException((end - p) + " trailing bytes after the values");
        }
        batch.count = n;
    }
}
