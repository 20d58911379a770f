package io.spindle.codec;

/** Writes version-2 batches (see {@link SampleBatchCodec}); keeps its planning buffers between calls. */
final class V2Encoder {
    static final byte RAW = 0, XOR = 1, DECIMAL = 2;

    private final Buckets buckets = new Buckets();
    private final TimeCode time = new TimeCode();
    private final ColumnCode valueColumn = new ColumnCode();
    private final BitWriter bits = new BitWriter();
    private long[] scaled = new long[0], deltas = new long[0], scratch = new long[0];
    private int decimalDigits;

    /** The most bytes a batch of n samples with a name of nameLength bytes can take. */
    static long worstCase(int nameLength, int n) {
        // header, name, count, first time, time and value headers; per sample two time codes (3 + 64 bits each)
        // and the longest of a raw (64), XOR (78) or decimal (67) value code
        return 5L + nameLength + 5 + 8 + 2 * (10 + 1 + 10 + ColumnCode.MAX_HEADER) + 1 + 10 + ColumnCode.MAX_HEADER
                + (n * (2L * 67 + 78) + 7) / 8 + 8;
    }

    /** Encodes t/v[from, to) of a series (name: its UTF-8) into b, which holds worstCase bytes; returns the length. */
    int encode(byte[] b, byte[] name, long[] t, double[] v, int from, int to) {
        int n = to - from;
        b[0] = SampleBatchCodec.MAGIC;
        b[1] = 2;
        b[2] = RAW;
        b[3] = (byte) name.length;
        b[4] = (byte) (name.length >>> 8);
        System.arraycopy(name, 0, b, 5, name.length);
        int p = ByteCursor.writeVarint(b, 5 + name.length, n);
        if (n == 0) return p;
        p = ByteCursor.writeI64(b, p, t[from]);
        if (n > 1) {
            time.plan(t, from, n, buckets);
            p = time.writeHeader(b, p);
        }
        byte mode = planValues(t, v, from, to);
        b[2] = mode;
        if (mode == DECIMAL) {
            b[p++] = (byte) decimalDigits;
            p = ByteCursor.writeZigzag(b, p, scaled[0]);
            if (n > 1) p = valueColumn.writeHeader(b, p);
        }
        BitWriter w = bits;
        w.reset(b, p);
        if (n > 1 && time.constant()) w.zeros(n - 1);
        else for (int i = 0; i < n - 1; i++) time.encode(w, i);
        switch (mode) {
            case RAW -> {
                for (int i = from; i < to; i++) w.write(Double.doubleToRawLongBits(v[i]), 64);
            }
            case XOR -> XorValues.code(w, v, from, to);
            default -> {
                long dtPrev = 0;
                for (int i = 0; i < n - 1; i++) {
                    long dt = t[from + i + 1] - t[from + i];
                    valueColumn.encode(w, deltas[i], dtPrev, dt);
                    dtPrev = dt;
                }
            }
        }
        return w.finish();
    }

    /** Picks the smallest of raw, XOR and decimal for v[from, to). */
    private byte planValues(long[] t, double[] v, int from, int to) {
        int n = to - from;
        grow(n);
        long raw = 64L * n;
        long xor = XorValues.code(null, v, from, to);
        byte mode = xor < raw ? XOR : RAW;
        long best = Math.min(raw, xor);
        decimalDigits = DecimalValues.digits(v, from, to, scaled);
        if (decimalDigits >= 0) {
            long dec = 8L * (1 + Math.max(1, (ColumnCode.bitLength(ColumnCode.zigzag(scaled[0])) + 6) / 7)); // digits, first value
            if (n > 1) {
                for (int i = 0; i < n - 1; i++) deltas[i] = scaled[i + 1] - scaled[i];
                dec += valueColumn.plan(deltas, n - 1, scratch, buckets, t, from) + 8L * valueColumn.headerBytes();
            }
            if (dec < best) mode = DECIMAL;
        }
        return mode;
    }

    private void grow(int n) {
        if (scaled.length < n) {
            int cap = Math.max(n, scaled.length * 3 / 2);
            scaled = new long[cap];
            deltas = new long[cap];
            scratch = new long[cap];
        }
    }
}
