package io.spindle.codec;

/** Reads version-3 batches (see {@link V3Encoder}); one per thread, its state reused between calls. */
final class V3Decoder {
    private final ByteCursor in = new ByteCursor();
    private final RangeDecoder rc = new RangeDecoder();
    private final V3Times times = new V3Times();
    private final V3Values values = new V3Values();
    private final IntegerPlan ints = new IntegerPlan();
    private final NameCache names;

    /** A decoder that shares this thread's cache of series names. */
    V3Decoder(NameCache names) {
        this.names = names;
    }

    /** Decodes data[off, end), whose magic and version the caller checked, into batch. */
    void decode(byte[] data, int off, int end, SampleBatch batch) {
        ByteCursor c = in;
        c.reset(data, off + 2, end);
        int mode = c.u8("mode byte");
        int timeBits = mode & 7, valueMode = mode >>> 3;
        if (valueMode > V3Values.RATIONAL) throw new IllegalArgumentException(String.format("bad mode byte 0x%02x (value encoding %d)", mode, valueMode));
        long nameLen = c.varint("series name length");
        if (nameLen < 0 || nameLen > SampleBatchCodec.MAX_SERIES_BYTES || nameLen > end - c.p)
            throw new IllegalArgumentException("series name length " + Long.toUnsignedString(nameLen) + " is beyond the " + (end - c.p) + " bytes left");
        names.set(batch, data, c.p, (int) nameLen);
        c.p += (int) nameLen;
        long count = c.varint("sample count");
        if (count < 0 || count > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("sample count " + Long.toUnsignedString(count) + " is too large");
        batch.count = 0;
        int n = (int) count;
        if (n < 2 && timeBits != 0) throw new IllegalArgumentException(String.format("bad mode byte 0x%02x: time mode %d for %d samples", mode, timeBits, n));
        if (n == 0) {
            if (mode != 0) throw new IllegalArgumentException(String.format("bad mode byte 0x%02x for an empty batch", mode));
            if (c.p != end) throw new IllegalArgumentException((end - c.p) + " trailing bytes after an empty batch");
            return;
        }
        long t0 = c.i64("first time");
        if (n > 1) times.readHeader(c, timeBits);
        if (valueMode == V3Values.DECIMAL || valueMode == V3Values.RATIONAL) ints.readHeader(c, valueMode == V3Values.RATIONAL);
        long rangeLength = c.varint("range stream length");
        int start = c.p;
        if (rangeLength < 0 || rangeLength > end - start)
            throw new IllegalArgumentException("range stream length " + Long.toUnsignedString(rangeLength) + " is beyond the " + (end - start) + " bytes left");
        int rangeEnd = start + (int) rangeLength;
        // every 64 samples need a byte of codes (the encoder pads): no allocation for samples the input cannot hold
        long minBytes = (n - 1L) / V3Encoder.SAMPLES_PER_STREAM_BYTE;
        if (minBytes > end - start)
            throw new IllegalArgumentException("count " + n + " needs at least " + minBytes + " bytes of codes, only " + (end - start) + " left");
        batch.ensureCapacity(n);
        long[] t = batch.times;
        t[0] = t0;
        rc.reset(data, start, rangeEnd, end);
        if (n > 1) times.decode(rc, t, n);
        values.decode(rc, valueMode, ints, t, batch.values, n);
        rc.finish("the batch", (int) Math.max(start, start + minBytes - (end - rangeEnd)));
        batch.count = n;
    }
}
