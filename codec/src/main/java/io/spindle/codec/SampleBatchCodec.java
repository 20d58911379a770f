package io.spindle.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The binary encoding of one series' batch of samples, as it travels on {@code spindle.data.<lattice>.>}. Version 1:
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
 *            wrapping 64-bit arithmetic, so any times round-trip (decreasing, negative, Long.MIN_VALUE..MAX_VALUE)
 *   values:  raw: count x i64 LE
 *            XOR: per value, x = bits XOR previous bits (previous of the first = 0); a control byte
 *            (leading zero bytes of x &lt;&lt; 4 | significant bytes n), then the n significant bytes of x, most
 *            significant first. Repeated values cost 1 byte, quantised values 2-5.
 * </pre>
 *
 * A regular series costs 1 byte of time per sample. The encoder picks XOR when it is smaller than raw. Value bits are
 * kept exactly (NaN payloads included). Decoding checks everything it reads and throws IllegalArgumentException
 * naming what is wrong; it never allocates more than a few times the input's size. An instance keeps reusable
 * buffers: not thread-safe, use one per thread.
 */
public final class SampleBatchCodec {
    public static final byte MAGIC = 0x53;
    public static final byte VERSION = 1;
    static final byte RAW = 0, XOR = 1;
    /** Longest series name in bytes. */
    public static final int MAX_SERIES_BYTES = 0xFFFF;

    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LE_SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] buf = new byte[1024];
    private String lastSeries;
    private byte[] lastSeriesUtf8;

    /** The encode buffer: the last {@link #encode} wrote its first n bytes (n = what it returned). */
    public byte[] buffer() {
        return buf;
    }

    /** Encodes samples [from, to) of series into {@link #buffer()}; returns the length. */
    public int encode(String series, long[] t, double[] v, int from, int to) {
        if (from < 0 || to < from || to > t.length || to > v.length)
            throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") of " + t.length + " times and " + v.length + " values");
        byte[] name = seriesBytes(series);
        int n = to - from;
        // worst case: header + name + count + first time + 10 bytes per delta + 9 bytes per XOR value
        long worst = 3L + 2 + name.length + 5 + 8 + 10L * n + 9L * n;
        if (worst > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("batch of " + n + " samples is too large");
        ensure((int) worst);
        byte[] b = buf;
        b[0] = MAGIC;
        b[1] = VERSION;
        LE_SHORT.set(b, 3, (short) name.length);
        System.arraycopy(name, 0, b, 5, name.length);
        int p = writeVarint(b, 5 + name.length, n);
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
            p = writeVarint(b, p, (dod << 1) ^ (dod >> 63));
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

    /** Encodes into a new array of the exact length (for publishing). */
    public byte[] encodeToArray(String series, long[] t, double[] v, int from, int to) {
        int n = encode(series, t, v, from, to);
        return Arrays.copyOf(buf, n);
    }

    private byte[] seriesBytes(String series) {
        if (series == null) throw new IllegalArgumentException("series is null");
        if (series.equals(lastSeries)) return lastSeriesUtf8;
        byte[] name = series.getBytes(StandardCharsets.UTF_8);
        if (name.length > MAX_SERIES_BYTES)
            throw new IllegalArgumentException("series name of " + name.length + " UTF-8 bytes is longer than " + MAX_SERIES_BYTES);
        lastSeries = series;
        lastSeriesUtf8 = name;
        return name;
    }

    private void ensure(int n) {
        if (buf.length < n) buf = new byte[Math.max(n, (int) Math.min(Integer.MAX_VALUE - 16, buf.length * 2L))];
    }

    private static int writeVarint(byte[] b, int p, long x) {
        while ((x & ~0x7FL) != 0) {
            b[p++] = (byte) ((x & 0x7F) | 0x80);
            x >>>= 7;
        }
        b[p++] = (byte) x;
        return p;
    }

    /** Decodes all of data into batch. */
    public static void decode(byte[] data, SampleBatch batch) {
        decode(data, 0, data.length, batch);
    }

    /** Decodes data[off, off+len) into batch (its columns are reused; they grow when needed). */
    public static void decode(byte[] data, int off, int len, SampleBatch batch) {
        if (off < 0 || len < 0 || off + len > data.length || off + len < 0)
            throw new IndexOutOfBoundsException("range " + off + "+" + len + " of " + data.length + " bytes");
        int end = off + len;
        if (len < 6) throw new IllegalArgumentException("truncated: " + len + " bytes is shorter than the 6-byte header");
        if (data[off] != MAGIC) throw new IllegalArgumentException(String.format("bad magic 0x%02x (expected 0x53)", data[off] & 0xFF));
        if (data[off + 1] != VERSION) throw new IllegalArgumentException("unsupported version " + (data[off + 1] & 0xFF) + " (this decoder reads 1)");
        byte enc = data[off + 2];
        if (enc != RAW && enc != XOR) throw new IllegalArgumentException("unknown value encoding " + (enc & 0xFF));
        int nameLen = Short.toUnsignedInt((short) LE_SHORT.get(data, off + 3));
        int p = off + 5;
        if (nameLen > end - p)
            throw new IllegalArgumentException("series name length " + nameLen + " is beyond the " + (end - p) + " bytes left");
        setSeries(batch, data, p, nameLen);
        p += nameLen;
        // count
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

    private static void setSeries(SampleBatch batch, byte[] data, int p, int len) {
        byte[] cur = batch.seriesUtf8;
        if (cur.length == len && Arrays.equals(cur, 0, len, data, p, p + len)) return; // same series: no allocation
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data, p, len)).toString();
            batch.series = s;
            batch.seriesUtf8 = Arrays.copyOfRange(data, p, p + len);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("series name is not valid UTF-8");
        }
    }
}
