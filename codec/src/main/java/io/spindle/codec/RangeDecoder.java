package io.spindle.codec;

/**
 * Reads what {@link RangeEncoder} wrote: the range stream from data[start, rangeEnd), the raw lane from
 * data[rangeEnd, end). Past the end of the range stream it reads zero bytes (the encoder drops trailing zeros);
 * {@link #finish} then checks that both lanes were exactly as long as their codes: no bytes the codes never reached,
 * no dropped zeros that were not trailing, zero padding of the raw lane, and a code value inside the final range.
 * Without a checksum, a corrupted stream can still decode to other samples; what it cannot do is make the decoder
 * fail with anything but IllegalArgumentException, allocate beyond what the input's size allows, or run longer than
 * its sample count.
 */
final class RangeDecoder {
    private byte[] data;
    private int start, end;
    private int pos; // next byte to read, may pass end
    private int range, code;
    private final BitReader raw = new BitReader();

    /** Starts reading the range stream data[start, rangeEnd) and the raw lane data[rangeEnd, end). */
    void reset(byte[] data, int start, int rangeEnd, int end) {
        this.data = data;
        this.start = start;
        this.end = rangeEnd;
        pos = start;
        range = -1;
        code = 0;
        for (int k = 0; k < 4; k++) code = (code << 8) | next();
        raw.reset(data, rangeEnd, end);
    }

    private int next() {
        int p = pos++;
        return p < end ? data[p] & 0xFF : 0;
    }

    /** Decodes a bit with model m[i] and updates the model. */
    int bit(int[] m, int i) {
        int s = m[i];
        int r = range;
        int bound = (r >>> Prob.BITS) * Prob.p0(s);
        // branch-free: mask is -1 when code >= bound (a 1), compared unsigned through longs
        int mask = (int) ~(((code & 0xFFFFFFFFL) - (bound & 0xFFFFFFFFL)) >> 63);
        int bit = mask & 1;
        code -= bound & mask;
        r = (bound & ~mask) | ((r - bound) & mask);
        m[i] = Prob.update(s, bit);
        while ((r & 0xFF000000) == 0) {
            r <<= 8;
            code = (code << 8) | next();
        }
        range = r;
        return bit;
    }

    /** Reads n (0 <= n <= 64) bits from the raw lane. */
    long direct(int n) {
        return raw.read(n);
    }

    /**
     * Checks the ends of both lanes once all codes are read: what names the section for messages; minEnd is where
     * the range stream must reach at least (the encoder pads it with zero bytes up to there).
     */
    void finish(String what, int minEnd) {
        if (Integer.compareUnsigned(code, range) >= 0) throw new IllegalArgumentException("corrupt " + what + ": the range code left its interval");
        // the encoder wrote pos - start bytes, dropped its trailing zeros, then padded with zeros up to minEnd
        if (end > pos && hasNonzero(pos, end)) throw new IllegalArgumentException((end - pos) + " bytes after the range codes of " + what);
        int last = Math.min(pos, end);
        while (last > start && data[last - 1] == 0) last--;
        int expected = Math.max(last, minEnd);
        if (end > expected) throw new IllegalArgumentException((end - expected) + " zero bytes after the range codes of " + what);
        if (end < expected) throw new IllegalArgumentException("truncated: the range codes of " + what + " end " + (expected - end) + " bytes early");
        raw.finish("the raw bits");
    }

    private boolean hasNonzero(int from, int to) {
        for (int i = from; i < to; i++) if (data[i] != 0) return true;
        return false;
    }
}
