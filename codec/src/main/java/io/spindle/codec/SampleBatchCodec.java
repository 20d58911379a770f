package io.spindle.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The binary encoding of one series' batch of samples, as it travels on {@code spindle.data.<lattice>.>} and sits in
 * the store's raw chunks. Versioned: {@link #decode} reads versions 1, 2 and 3; {@link #encode} writes version 3
 * unless the codec was made for an older one. {@code codec/README.md} gives the formats byte by byte. Version 3:
 *
 * <pre>
 * byte     magic 0x53 ('S'), byte version 3, byte mode: time mode (0 constant, 1 plain, 2 ticked, 3 raw) | 4 when plain
 *          deltas are predicted by the previous one | value encoding (0 raw, 1 XOR, 2 decimal, 3 rational) &lt;&lt; 3
 * varint   series name length, then the name's UTF-8
 * varint   count; if count &gt; 0: i64 LE first time
 * if count &gt; 1, the time header: varint quantum (ns), then the constant delta or the median delta (zigzag), or
 *          the tick (quanta, 20 fraction bits) and the median of whole ticks
 * decimal, rational: byte digits | predictor &lt;&lt; 5 | 0x80 with a step, [varint denominator], zigzag varint first
 *          scaled value, [varint step], [zigzag varint predictor step]
 * varint   length of the range-coded stream, the stream (adaptive bits: times, then values), then to the end the raw
 *          lane of uniform bits, most significant first, zero-padded to a byte
 * </pre>
 *
 * Every bit round-trips: any times (decreasing, Long.MIN_VALUE..MAX_VALUE, wrapping deltas), any value bits (NaN
 * payloads, -0.0). Decoding checks what it reads and throws IllegalArgumentException naming what is wrong; it never
 * allocates for more samples than the input's bytes can hold. An instance keeps reusable buffers: not thread-safe,
 * use one per thread. Decoding is static and uses per-thread decoders.
 */
public final class SampleBatchCodec {
    public static final byte MAGIC = 0x53;
    /** The version {@link #encode} writes by default. */
    public static final byte VERSION = 3;
    /** Longest series name in bytes. */
    public static final int MAX_SERIES_BYTES = 0xFFFF;

    private static final ThreadLocal<V2Decoder> DECODERS = ThreadLocal.withInitial(V2Decoder::new);
    private static final ThreadLocal<V3Decoder> V3_DECODERS = ThreadLocal.withInitial(() -> new V3Decoder(DECODERS.get().names));

    private final int version;
    private final V2Encoder v2;
    private final V3Encoder v3;
    private byte[] buf = new byte[1024];
    // the UTF-8 of recently encoded series names, by hash: no allocation for a working set of series
    private final String[] names = new String[64];
    private final byte[][] namesUtf8 = new byte[64][];

    /** A codec that writes version 3. */
    public SampleBatchCodec() {
        this(VERSION);
    }

    /** A codec that writes the given version (1, 2 or 3), e.g. 2 for peers that read only versions 1 and 2. */
    public SampleBatchCodec(int version) {
        if (version < 1 || version > 3) throw new IllegalArgumentException("unknown batch encoding version " + version + " (1, 2 or 3)");
        this.version = version;
        this.v2 = version == 2 ? new V2Encoder() : null;
        this.v3 = version == 3 ? new V3Encoder() : null;
    }

    /** The version this codec writes. */
    public int version() {
        return version;
    }

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
        long worst = switch (version) {
            case 1 -> V1Format.worstCase(name.length, n);
            case 2 -> V2Encoder.worstCase(name.length, n);
            default -> V3Encoder.worstCase(name.length, n);
        };
        if (worst > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("batch of " + n + " samples is too large");
        if (buf.length < worst) buf = new byte[(int) Math.max(worst, Math.min(Integer.MAX_VALUE - 16, buf.length * 2L))];
        return switch (version) {
            case 1 -> V1Format.encode(buf, name, t, v, from, to);
            case 2 -> v2.encode(buf, name, t, v, from, to);
            default -> v3.encode(buf, name, t, v, from, to);
        };
    }

    /** Encodes into a new array of the exact length (for publishing). */
    public byte[] encodeToArray(String series, long[] t, double[] v, int from, int to) {
        int n = encode(series, t, v, from, to);
        return Arrays.copyOf(buf, n);
    }

    private byte[] seriesBytes(String series) {
        if (series == null) throw new IllegalArgumentException("series is null");
        int slot = series.hashCode() & (names.length - 1);
        if (series.equals(names[slot])) return namesUtf8[slot];
        byte[] name = series.getBytes(StandardCharsets.UTF_8);
        if (name.length > MAX_SERIES_BYTES)
            throw new IllegalArgumentException("series name of " + name.length + " UTF-8 bytes is longer than " + MAX_SERIES_BYTES);
        names[slot] = series;
        namesUtf8[slot] = name;
        return name;
    }

    /** Decodes all of data into batch. */
    public static void decode(byte[] data, SampleBatch batch) {
        decode(data, 0, data.length, batch);
    }

    /** Decodes data[off, off+len) into batch (its columns are reused; they grow when needed). */
    public static void decode(byte[] data, int off, int len, SampleBatch batch) {
        if (off < 0 || len < 0 || off + len > data.length || off + len < 0)
            throw new IndexOutOfBoundsException("range " + off + "+" + len + " of " + data.length + " bytes");
        if (len < 2) throw new IllegalArgumentException("truncated: " + len + " bytes is shorter than the magic and version");
        if (data[off] != MAGIC) throw new IllegalArgumentException(String.format("bad magic 0x%02x (expected 0x53)", data[off] & 0xFF));
        switch (data[off + 1]) {
            case 1 -> V1Format.decode(data, off, off + len, batch, DECODERS.get().names);
            case 2 -> DECODERS.get().decode(data, off, off + len, batch);
            case 3 -> V3_DECODERS.get().decode(data, off, off + len, batch);
            default -> throw new IllegalArgumentException("unsupported version " + (data[off + 1] & 0xFF) + " (this decoder reads 1, 2 and 3)");
        }
    }
}
