package io.spindle.codec;

/**
 * The value section of a version-3 batch, in one of four modes. Decimal and rational: every value is a whole number
 * in disguise ({@link IntegerPlan}); each after the first is either one of the {@link RecentValues} or its difference
 * from a prediction, an {@link AdaptiveInt}. XOR: each value after the first is a recent value, or its bits differ
 * from the previous value's: the count of equal leading bits (its byte in unary, the rest through a tree of models per
 * byte), the byte holding the lowest differing bit (a flag for the last byte, else a tree), and the bits in between
 * as they are (raw lane). Raw: 64 bits per value in
 * the raw lane, the fallback that bounds the size.
 */
final class V3Values {
    static final int RAW = 0, XOR = 1, DECIMAL = 2, RATIONAL = 3;
    // XOR models: the byte of the leading changed bit in unary, the bit within it through a tree per byte; whether
    // the lowest changed bit is in the last byte, else its byte through a tree
    private static final int LEAD_BYTE = 0, LEAD_BIT = LEAD_BYTE + 7, LOW_FIRST = LEAD_BIT + 64, LOW_BYTE = LOW_FIRST + 1;

    private final RecentValues recent = new RecentValues();
    private final AdaptiveInt differences = new AdaptiveInt(1, 1);
    private final int[] xorModels = new int[LOW_BYTE + 8];

    /** Codes v[from, to) at times t in mode (plan: the integers of a decimal or rational mode); false when the
     * stream passed limit. */
    boolean encode(RangeEncoder rc, int mode, IntegerPlan plan, long[] t, double[] v, int from, int to, int limit) {
        return switch (mode) {
            case DECIMAL, RATIONAL -> encodeIntegers(rc, plan, t, from, to - from, limit);
            case XOR -> encodeXor(rc, v, from, to, limit);
            default -> {
                for (int i = from; i < to; i++) rc.direct(Double.doubleToRawLongBits(v[i]), 64);
                yield true;
            }
        };
    }

    private boolean encodeIntegers(RangeEncoder rc, IntegerPlan plan, long[] t, int from, int n, int limit) {
        long[] u = plan.u;
        recent.reset(u[0]);
        differences.reset();
        long dPrev = 0, dtPrev = 0;
        for (int i = 1; i < n; i++) {
            long x = u[i], prev = u[i - 1];
            long dt = t[from + i] - t[from + i - 1];
            if (!recent.encode(rc, x)) {
                differences.encode(rc, x - plan.predict(prev, dPrev, dtPrev, dt), 0);
            }
            dPrev = x - prev;
            dtPrev = dt;
            if (rc.position() > limit) return false;
        }
        return true;
    }

    private boolean encodeXor(RangeEncoder rc, double[] v, int from, int to, int limit) {
        long prev = Double.doubleToRawLongBits(v[from]);
        rc.direct(prev, 64);
        recent.reset(prev);
        Prob.reset(xorModels, 0, xorModels.length);
        for (int i = from + 1; i < to; i++) {
            long cur = Double.doubleToRawLongBits(v[i]);
            if (!recent.encode(rc, cur)) {
                long x = cur ^ prev; // not 0: the previous value is always recent
                int lead = Long.numberOfLeadingZeros(x), band = Long.numberOfTrailingZeros(x) >>> 3;
                int leadByte = lead >>> 3;
                for (int j = 0; j < leadByte; j++) rc.bit(xorModels, LEAD_BYTE + j, 1);
                if (leadByte < 7) rc.bit(xorModels, LEAD_BYTE + leadByte, 0);
                tree(rc, LEAD_BIT + 8 * leadByte, lead & 7, 3);
                rc.bit(xorModels, LOW_FIRST, band == 0 ? 0 : 1);
                if (band != 0) tree(rc, LOW_BYTE, band, 3);
                int low = band << 3;
                rc.direct(x >>> low, 63 - lead - low); // below the leading 1, down to the band's first bit
            }
            prev = cur;
            if (rc.position() > limit) return false;
        }
        return true;
    }

    private void tree(RangeEncoder rc, int at, int x, int bits) {
        int node = 1;
        for (int j = bits - 1; j >= 0; j--) {
            int bit = (x >>> j) & 1;
            rc.bit(xorModels, at + node, bit);
            node = (node << 1) | bit;
        }
    }

    private int tree(RangeDecoder rc, int at, int bits) {
        int node = 1;
        for (int j = 0; j < bits; j++) node = (node << 1) | rc.bit(xorModels, at + node);
        return node - (1 << bits);
    }

    /** Decodes n values of mode into v, at the decoded times t (plan: the header of a decimal or rational mode). */
    void decode(RangeDecoder rc, int mode, IntegerPlan plan, long[] t, double[] v, int n) {
        switch (mode) {
            case DECIMAL, RATIONAL -> decodeIntegers(rc, plan, t, v, n);
            case XOR -> decodeXor(rc, v, n);
            default -> {
                for (int i = 0; i < n; i++) v[i] = Double.longBitsToDouble(rc.direct(64));
            }
        }
    }

    private void decodeIntegers(RangeDecoder rc, IntegerPlan plan, long[] t, double[] v, int n) {
        recent.reset(0);
        differences.reset();
        long first = plan.first, gcd = plan.gcd;
        long prev = 0, dPrev = 0, dtPrev = 0;
        v[0] = plan.value(first);
        for (int i = 1; i < n; i++) {
            long dt = t[i] - t[i - 1];
            int at = recent.decodeIndex(rc);
            long x;
            if (at >= 0) {
                x = recent.take(at);
            } else {
                x = plan.predict(prev, dPrev, dtPrev, dt) + differences.decode(rc, 0);
                recent.add(x);
            }
            long s = first + gcd * x;
            if (!plan.valid(s)) throw new IllegalArgumentException("value " + i + ": scaled value " + s + " is out of range");
            v[i] = plan.value(s);
            dPrev = x - prev;
            dtPrev = dt;
            prev = x;
        }
    }

    private void decodeXor(RangeDecoder rc, double[] v, int n) {
        long prev = rc.direct(64);
        v[0] = Double.longBitsToDouble(prev);
        recent.reset(prev);
        Prob.reset(xorModels, 0, xorModels.length);
        for (int i = 1; i < n; i++) {
            int at = recent.decodeIndex(rc);
            if (at >= 0) {
                prev = recent.take(at);
            } else {
                int leadByte = 0;
                while (leadByte < 7 && rc.bit(xorModels, LEAD_BYTE + leadByte) == 1) leadByte++;
                int lead = leadByte << 3 | tree(rc, LEAD_BIT + 8 * leadByte, 3);
                int low = rc.bit(xorModels, LOW_FIRST) == 0 ? 0 : tree(rc, LOW_BYTE, 3) << 3;
                if (lead + low > 63)
                    throw new IllegalArgumentException("value " + i + " has a changed-bit run from bit " + (63 - lead) + " down to bit " + low + " (upside down)");
                prev ^= (1L << (63 - lead)) | (rc.direct(63 - lead - low) << low);
                recent.add(prev);
            }
            v[i] = Double.longBitsToDouble(prev);
        }
    }
}
