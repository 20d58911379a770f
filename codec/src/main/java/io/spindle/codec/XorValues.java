package io.spindle.codec;

/**
 * Gorilla-style XOR coding of double bits in a version-2 batch: the first value's 64 bits, then for each next value
 * x = bits XOR previous bits: '0' when x is 0; '10' and the bits of x inside the previous window of meaningful bits
 * when they fit and that is not longer than a new window; else '11', 6 bits of leading zeros, 6 bits of (length - 1)
 * and the length meaningful bits, which become the window.
 */
final class XorValues {
    private XorValues() {
    }

    /** Writes v[from, to) (to > from), or with out == null only counts; returns the bits. */
    static long code(BitWriter out, double[] v, int from, int to) {
        long prev = Double.doubleToRawLongBits(v[from]);
        if (out != null) out.write(prev, 64);
        long bits = 64;
        int winLead = -1, winLen = 0; // no window yet
        for (int i = from + 1; i < to; i++) {
            long cur = Double.doubleToRawLongBits(v[i]);
            long x = cur ^ prev;
            prev = cur;
            if (x == 0) {
                if (out != null) out.write(0, 1);
                bits += 1;
                continue;
            }
            int lead = Long.numberOfLeadingZeros(x), trail = Long.numberOfTrailingZeros(x);
            int len = 64 - lead - trail;
            if (winLead >= 0 && lead >= winLead && trail >= 64 - winLead - winLen && winLen <= len + 12) {
                if (out != null) {
                    long y = x >>> (64 - winLead - winLen);
                    if (winLen <= 56) {
                        out.write((0b10L << winLen) | y, 2 + winLen);
                    } else {
                        out.write(0b10, 2);
                        out.write(y, winLen);
                    }
                }
                bits += 2 + winLen;
            } else {
                if (out != null) {
                    out.write((0b11L << 12) | ((long) lead << 6) | (len - 1), 14);
                    out.write(x >>> trail, len);
                }
                bits += 14 + len;
                winLead = lead;
                winLen = len;
            }
        }
        return bits;
    }

    /** Reads n values into v. */
    static void decode(BitReader in, double[] v, int n) {
        long prev = in.read(64);
        v[0] = Double.longBitsToDouble(prev);
        int winLead = -1, winLen = 0;
        for (int i = 1; i < n; i++) {
            long bits = in.peek();
            if (bits >= 0) { // '0': the same bits
                in.skip(1);
            } else {
                int used = 2;
                if ((bits << 1) < 0) { // '11': a new window
                    winLead = (int) (bits >>> 56) & 63;
                    winLen = ((int) (bits >>> 50) & 63) + 1;
                    if (winLead + winLen > 64)
                        throw new IllegalArgumentException("value " + i + " has a bit window of " + winLead + " leading zeros and " + winLen + " bits (over 64)");
                    used = 14;
                } else if (winLead < 0) {
                    throw new IllegalArgumentException("value " + i + " reuses a bit window before any was set");
                }
                long x;
                if (used + winLen <= BitReader.PEEK_BITS) {
                    x = BitReader.top(bits << used, winLen);
                    in.skip(used + winLen);
                } else {
                    in.skip(used);
                    x = in.read(winLen);
                }
                prev ^= x << (64 - winLead - winLen);
            }
            v[i] = Double.longBitsToDouble(prev);
        }
    }
}
