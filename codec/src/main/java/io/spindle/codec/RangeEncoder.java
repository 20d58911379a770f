package io.spindle.codec;

/**
 * The coder of a version-3 batch: adaptive bits go to a binary range coder (the LZMA construction: 32-bit range,
 * carry propagated through a cached byte and a run of 0xFF bytes), uniform bits to a separate raw lane (written as
 * they are, most significant first), which keeps noise from costing arithmetic. The range stream omits LZMA's leading
 * zero byte and ends with the fewest bytes that pin the final interval down, trailing zero bytes dropped (the decoder
 * reads zeros past its end). The caller sizes both arrays.
 */
final class RangeEncoder {
    private byte[] out;
    private int pos;
    private long low;
    private int range;
    private int cache;
    private long cacheSize;
    private final BitWriter raw = new BitWriter();

    /**
     * Starts a range stream at out[p] (p >= 1) and a raw lane at rawOut[0]. LZMA's first byte, always 0 because the
     * interval starts inside [0, 2^32), goes to out[p - 1] and is not part of the stream.
     */
    void reset(byte[] out, int p, byte[] rawOut) {
        this.out = out;
        pos = p - 1;
        low = 0;
        range = -1;
        cache = 0;
        cacheSize = 1;
        raw.reset(rawOut, 0);
    }

    /** Bytes written so far to both lanes (the range stream's end is known only after {@link #finish}). */
    int position() {
        return pos + raw.position();
    }

    /** Codes bit with model m[i] and updates the model. */
    void bit(int[] m, int i, int bit) {
        int s = m[i];
        int r = range;
        int bound = (r >>> Prob.BITS) * Prob.p0(s);
        int mask = -bit; // branch-free: a 1 takes the upper part of the range
        low += bound & mask & 0xFFFFFFFFL;
        r = (bound & ~mask) | ((r - bound) & mask);
        m[i] = Prob.update(s, bit);
        while ((r & 0xFF000000) == 0) {
            r <<= 8;
            shiftLow();
        }
        range = r;
    }

    /** Writes the low n bits of v (0 <= n <= 64) to the raw lane. */
    void direct(long v, int n) {
        raw.write(v, n);
    }

    private void shiftLow() {
        long l = low;
        if (l < 0xFF000000L || l > 0xFFFFFFFFL) {
            int carry = (int) (l >>> 32);
            byte[] o = out;
            int p = pos;
            o[p++] = (byte) (cache + carry);
            for (long k = cacheSize - 1; k > 0; k--) o[p++] = (byte) (0xFF + carry);
            pos = p;
            cacheSize = 0;
            cache = (int) (l >>> 24) & 0xFF;
        }
        cacheSize++;
        low = (l & 0x00FFFFFFL) << 8;
    }

    /** Ends the range stream; returns the position after its last nonzero byte (never before start). */
    int finish(int start) {
        // the value in [low, low + range) with the most trailing zero bits: the decoder reads zeros past the end
        long hi = low + (range & 0xFFFFFFFFL) - 1;
        for (int b = 32; b >= 0; b--) {
            long x = (hi >>> b) << b;
            if (x >= low) {
                low = x;
                break;
            }
        }
        for (int k = 0; k < 5; k++) shiftLow();
        while (pos > start && out[pos - 1] == 0) pos--;
        return pos;
    }

    /** Ends the raw lane (zero-padded to a byte); returns its length in bytes. */
    int finishRaw() {
        return raw.finish();
    }

    /** The coder's state, to try another coding of what follows and come back. */
    long[] save(long[] into) {
        into[0] = pos;
        into[1] = low;
        into[2] = range;
        into[3] = cache;
        into[4] = cacheSize;
        raw.save(into, 5);
        return into;
    }

    /** Returns to a saved state, writing on into out and rawOut (which hold what was written before the save). */
    void restore(long[] s, byte[] out, byte[] rawOut) {
        this.out = out;
        pos = (int) s[0];
        low = s[1];
        range = (int) s[2];
        cache = (int) s[3];
        cacheSize = s[4];
        raw.restore(s, 5, rawOut);
    }
}
