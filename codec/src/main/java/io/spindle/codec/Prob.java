package io.spindle.codec;

import java.util.Arrays;

/**
 * Adaptive bit probabilities of a version-3 batch, shared by {@link RangeEncoder} and {@link RangeDecoder}. A model
 * is one int: the probability of a 0 bit in 16-bit fixed point (low 16 bits) and how many bits it has seen (above).
 * It learns at rate 1/(seen + 2), like counting, until the rate reaches 1/2^LIMIT_SHIFT (1/32, after 30 bits), and
 * then keeps that rate: a batch of a few hundred samples learns its distribution fast and still follows it when it
 * drifts. (Tuned on the Okuma log: 1/(seen + 2) beat 1.3, 1.5, 3 and 4; 1/32 beat 1/16 and 1/64.)
 */
final class Prob {
    /** The initial model: even odds, nothing seen. */
    static final int INIT = 1 << 15;
    /** Bits of probability the coder uses (of the 16 kept). */
    static final int BITS = 12;
    private static final int LIMIT_SHIFT = 5;
    private static final int MIN = 1 << (16 - BITS), MAX = (1 << 16) - (1 << (16 - BITS));
    // rate in 16.16 fixed point by how many bits the model has seen
    private static final int[] RATE;
    private static final int SEEN_MAX;

    static {
        int n = 0;
        while (65536 / (n + 2.0) > 65536 >> LIMIT_SHIFT) n++;
        SEEN_MAX = n;
        RATE = new int[n + 1];
        for (int i = 0; i <= n; i++) RATE[i] = (int) Math.max(65536 >> LIMIT_SHIFT, Math.round(65536 / (i + 2.0)));
    }

    private Prob() {
    }

    /** Resets models m[from, to) to {@link #INIT}. */
    static void reset(int[] m, int from, int to) {
        Arrays.fill(m, from, to, INIT);
    }

    /** The probability of a 0 in {@link #BITS}-bit fixed point (never 0 nor 1). */
    static int p0(int state) {
        return (state & 0xFFFF) >>> (16 - BITS);
    }

    /** The state after seeing bit (0 or 1); branch-free, as the bits of noise are unpredictable. */
    static int update(int state, int bit) {
        int p = state & 0xFFFF, seen = state >>> 16;
        int target = (bit - 1) & 65536; // 65536 after a 0, 0 after a 1
        p += (int) (((long) (target - p) * RATE[seen]) >> 16);
        p = Math.max(MIN, Math.min(MAX, p));
        return p | Math.min(seen + 1, SEEN_MAX) << 16;
    }
}
