package io.spindle.codec;

/**
 * A signed 64-bit integer coded with adaptive bit models in a version-3 batch: a zero flag; the sign; the bit length
 * nb of the magnitude (1-64), itself as its own bit length (1-7) in unary and the bits below that one's leading 1
 * through a tree of models (a few decisions for any nb, each with its model, so that any distribution of lengths is
 * learnt); then the nb-1 bits below the magnitude's leading 1: the top {@code adaptiveBits} of them through a binary
 * tree of models per length, the rest as they are (raw lane). Small integers cost what their frequency says; large
 * ones cost their length's code plus about their bits. Several contexts (chosen by the caller from what both sides
 * already know) keep separate models.
 */
final class AdaptiveInt {
    private static final int ZERO = 0, SIGN = 1, CLASS = 2, LENGTH = CLASS + 6, MANTISSA = LENGTH + 128;

    private final int adaptiveBits, treeSize, stride;
    private final int[] m;

    /** Models for contexts 0..contexts-1, with the top adaptiveBits (0-4) mantissa bits adaptive. */
    AdaptiveInt(int contexts, int adaptiveBits) {
        this.adaptiveBits = adaptiveBits;
        this.treeSize = 1 << adaptiveBits;
        this.stride = MANTISSA + 64 * treeSize;
        this.m = new int[contexts * stride];
        reset();
    }

    /** Forgets everything learnt: every batch starts from even odds. */
    void reset() {
        Prob.reset(m, 0, m.length);
    }

    void encode(RangeEncoder rc, long x, int ctx) {
        int base = ctx * stride;
        if (x == 0) {
            rc.bit(m, base + ZERO, 1);
            return;
        }
        rc.bit(m, base + ZERO, 0);
        rc.bit(m, base + SIGN, x < 0 ? 1 : 0);
        long mag = x < 0 ? -x : x; // Long.MIN_VALUE stays 2^63, read unsigned
        int nb = 64 - Long.numberOfLeadingZeros(mag);
        int c = 32 - Integer.numberOfLeadingZeros(nb); // 1..7
        for (int j = 1; j < c; j++) rc.bit(m, base + CLASS + j - 1, 1);
        if (c < 7) rc.bit(m, base + CLASS + c - 1, 0);
        int node = 1;
        for (int j = c - 2; j >= 0; j--) {
            int bit = (nb >>> j) & 1;
            rc.bit(m, base + LENGTH + (1 << (c - 1)) + node - 1, bit);
            node = (node << 1) | bit;
        }
        int below = nb - 1;
        int tree = base + MANTISSA + (nb - 1) * treeSize;
        node = 1;
        int a = Math.min(adaptiveBits, below);
        for (int j = 0; j < a; j++) {
            int bit = (int) (mag >>> (below - 1 - j)) & 1;
            rc.bit(m, tree + node, bit);
            node = (node << 1) | bit;
        }
        rc.direct(mag, below - a);
    }

    long decode(RangeDecoder rc, int ctx) {
        int base = ctx * stride;
        if (rc.bit(m, base + ZERO) == 1) return 0;
        boolean negative = rc.bit(m, base + SIGN) == 1;
        int c = 1;
        while (c < 7 && rc.bit(m, base + CLASS + c - 1) == 1) c++;
        int nb = 1;
        for (int j = 0; j < c - 1; j++) nb = (nb << 1) | rc.bit(m, base + LENGTH + (1 << (c - 1)) + nb - 1);
        if (nb > 64) throw new IllegalArgumentException("bad integer code: a magnitude of " + nb + " bits");
        int below = nb - 1;
        int tree = base + MANTISSA + (nb - 1) * treeSize;
        int node = 1;
        int a = Math.min(adaptiveBits, below);
        for (int j = 0; j < a; j++) node = (node << 1) | rc.bit(m, tree + node);
        long mag = ((long) node << (below - a)) | rc.direct(below - a); // node carries the leading 1
        return negative ? -mag : mag;
    }
}
