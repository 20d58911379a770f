package io.spindle.codec;

/** Reads version-2 batches (see {@link SampleBatchCodec}); one per thread, its state reused between calls. */
final class V2Decoder {
    private final ByteCursor in = new ByteCursor();
    private final BitReader bits = new BitReader();
    private final TimeCode time = new TimeCode();
    private final ColumnCode valueColumn = new ColumnCode();
    /** Series names, shared with version-1 decoding on this thread. */
    final NameCache names = new NameCache();

    /** Decodes data[off, end), whose magic and version the caller checked, into batch. */
    void decode(byte[] data, int off, int end, SampleBatch batch) {
        ByteCursor c = in;
        c.reset(data, off + 2, end);
        int mode = c.u8("value encoding");
        if (mode > V2Encoder.DECIMAL) throw new IllegalArgumentException("unknown value encoding " + mode);
        int nameLen = c.u8("series name length") | c.u8("series name length") << 8;
        if (nameLen > end - c.p)
            throw new IllegalArgumentException("series name length " + nameLen + " is beyond the " + (end - c.p) + " bytes left");
        names.set(batch, data, c.p, nameLen);
        c.p += nameLen;
        long count = c.varint("sample count");
        if (count < 0 || count > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("sample count " + Long.toUnsignedString(count) + " is too large");
        batch.count = 0;
        if (count == 0) {
            if (c.p != end) throw new IllegalArgumentException((end - c.p) + " trailing bytes after an empty batch");
            return;
        }
        int n = (int) count;
        long t0 = c.i64("first time");
        if (n > 1) time.readHeader(c);
        int digits = 0;
        long s = 0;
        if (mode == V2Encoder.DECIMAL) {
            digits = c.u8("decimal digits");
            if (digits > DecimalValues.MAX_DIGITS)
                throw new IllegalArgumentException("bad decimal digits " + digits + " (at most " + DecimalValues.MAX_DIGITS + ")");
            s = c.zigzag("first scaled value");
            if (n > 1) valueColumn.readHeader(c, "value column");
        }
        // every time code takes at least 1 bit, every value code 1 (XOR, decimal) or 64 (raw): no allocation for
        // samples the input cannot hold
        long left = (long) (end - c.p) * 8;
        long need = (n - 1L) + switch (mode) {
            case V2Encoder.RAW -> 64L * n;
            case V2Encoder.XOR -> 64 + (n - 1L);
            default -> n - 1L;
        };
        if (need > left) throw new IllegalArgumentException("count " + n + " needs at least " + need + " bits, only " + left + " left");
        batch.ensureCapacity(n);
        long[] t = batch.times;
        double[] v = batch.values;
        BitReader r = bits;
        r.reset(data, c.p, end);
        long now = t0;
        t[0] = now;
        if (n > 1 && time.constant()) {
            long d = time.constantDelta();
            for (int i = 1; i < n; i++) t[i] = now += d;
            r.skip(n - 1); // each code is one bit, either value meaning the same delta
        } else {
            for (int i = 1; i < n; i++) t[i] = now += time.decode(r);
        }
        if (r.overrun()) throw new IllegalArgumentException("truncated: the times of " + n + " samples need more bits than the batch has");
        switch (mode) {
            case V2Encoder.RAW -> {
                for (int i = 0; i < n; i++) v[i] = Double.longBitsToDouble(r.read(64));
            }
            case V2Encoder.XOR -> XorValues.decode(r, v, n);
            default -> {
                v[0] = DecimalValues.value(s, digits);
                long dtPrev = 0;
                for (int i = 1; i < n; i++) {
                    long dt = t[i] - t[i - 1];
                    v[i] = DecimalValues.value(s += valueColumn.decode(r, dtPrev, dt), digits);
                    dtPrev = dt;
                }
            }
        }
        r.finish("the values");
        batch.count = n;
    }
}
