package io.spindle.codec;

import java.util.Arrays;

/**
 * One integer column of a version-2 batch (an entry x per sample after the first) coded as a prediction error in
 * variable-width buckets. Predictors: 1 x - base; 2 x - previous x (the previous of the first is base); 3 x -
 * previous x scaled by the ratio of this sample's time step to the previous one (a value changing at a steady rate
 * between irregular samples), rounded, or the previous x when a step is not positive. The zigzag of the error goes
 * into the bucket whose selector plus width is shortest (see {@link Buckets}). Header: byte predictor | shape &lt;&lt;
 * 4, zigzag varint base, one byte of width per slot of the shape.
 */
final class ColumnCode {
    int order;
    int shape;
    long base;
    /** Encoder: the median of the entries of the last {@link #plan}. */
    long median;
    final int[] width = new int[4];
    /** Encoder: the slot that codes a zigzag of each bit length most cheaply. */
    private final byte[] slotOf = new byte[65];
    private long prev;

    private final long[][] hist = new long[4][65];
    private final int[][] widths = new int[4][4];
    private final int[] shapes = new int[4];

    static long zigzag(long x) {
        return (x << 1) ^ (x >> 63);
    }

    static int bitLength(long z) {
        return 64 - Long.numberOfLeadingZeros(z);
    }

    /** Predictor 3: prev scaled by dt / dtPrev, or prev when a step is not positive. */
    static long scaled(long prev, long dtPrev, long dt) {
        return dtPrev > 0 && dt > 0 ? Math.round(prev * ((double) dt / dtPrev)) : prev;
    }

    /**
     * Chooses predictor, base and buckets for x[0, m) (m >= 1) and returns the bits of its codes. With times t
     * (entry i belongs to sample tFrom+i+1) predictor 3 is tried too. scratch: m longs.
     */
    long plan(long[] x, int m, long[] scratch, Buckets buckets, long[] t, int tFrom) {
        System.arraycopy(x, 0, scratch, 0, m);
        median = Select.median(scratch, m);
        for (long[] h : hist) Arrays.fill(h, 0);
        long[] h1 = hist[1], h2 = hist[2], h3 = hist[3];
        long p = x[0];
        for (int i = 0; i < m; i++) {
            long xi = x[i];
            h1[bitLength(zigzag(xi - median))]++;
            h2[bitLength(zigzag(xi - p))]++;
            p = xi;
        }
        int orders = 2;
        if (t != null) {
            orders = 3;
            long q = x[0], dtPrev = 0;
            for (int i = 0; i < m; i++) {
                long dt = t[tFrom + i + 1] - t[tFrom + i];
                h3[bitLength(zigzag(x[i] - scaled(q, dtPrev, dt)))]++;
                q = x[i];
                dtPrev = dt;
            }
        }
        long bestBits = Long.MAX_VALUE;
        for (int o = 1; o <= orders; o++) {
            long c = buckets.choose(hist[o], widths[o]);
            shapes[o] = buckets.shape();
            if (c < bestBits) {
                bestBits = c;
                order = o;
            }
        }
        base = order == 1 ? median : x[0];
        shape = shapes[order];
        System.arraycopy(widths[order], 0, width, 0, Buckets.SLOTS[shape]);
        int slots = Buckets.SLOTS[shape];
        int[] sel = Buckets.SELECTOR_BITS[shape];
        long[] h = hist[order];
        long bits = 0;
        for (int b = 0; b <= 64; b++) {
            int best = -1;
            for (int s = 0; s < slots; s++)
                if (width[s] >= b && (best < 0 || sel[s] + width[s] < sel[best] + width[best])) best = s;
            slotOf[b] = (byte) best;
            if (h[b] != 0) bits += h[b] * (sel[best] + width[best]);
        }
        prev = base;
        return bits;
    }

    /** Header bytes a column takes at most. */
    static final int MAX_HEADER = 1 + 10 + 4;

    /** Header bytes this column takes. */
    int headerBytes() {
        return 1 + Math.max(1, (bitLength(zigzag(base)) + 6) / 7) + Buckets.SLOTS[shape];
    }

    int writeHeader(byte[] b, int p) {
        b[p++] = (byte) (order | shape << 4);
        p = ByteCursor.writeZigzag(b, p, base);
        for (int s = 0; s < Buckets.SLOTS[shape]; s++) b[p++] = (byte) width[s];
        return p;
    }

    /** Reads the header of the column named what (a constant: messages are built only on failure). */
    void readHeader(ByteCursor in, String what) {
        int h = in.u8(what);
        order = h & 0xF;
        shape = h >>> 4;
        if (order < 1 || order > 3 || shape > Buckets.SHAPE_D)
            throw new IllegalArgumentException(String.format("bad %s predictor byte 0x%02x (predictor 1-3, shape 0-3)", what, h));
        base = in.zigzag(what);
        for (int s = 0; s < Buckets.SLOTS[shape]; s++) {
            int w = in.u8(what);
            if (w > 64) throw new IllegalArgumentException("bad " + what + " bucket width " + w + " (at most 64)");
            width[s] = w;
        }
        prev = base;
    }

    /** Whether every entry is base: each code is one bit that says nothing (shape D, both widths 0). */
    boolean constant() {
        return shape == Buckets.SHAPE_D && width[0] == 0 && width[1] == 0;
    }

    /** Restarts the predictor at the first entry. */
    void start() {
        prev = base;
    }

    private long predict(long dtPrev, long dt) {
        return switch (order) {
            case 1 -> base;
            case 2 -> prev;
            default -> scaled(prev, dtPrev, dt);
        };
    }

    /** Writes the code of the next x (dtPrev, dt: the time steps before and at its sample, for predictor 3). */
    void encode(BitWriter out, long x, long dtPrev, long dt) {
        long z = zigzag(x - predict(dtPrev, dt));
        prev = x;
        int s = slotOf[bitLength(z)];
        int w = width[s];
        int selBits = Buckets.SELECTOR_BITS[shape][s];
        long code = Buckets.SELECTOR_CODE[shape][s];
        if (w <= 61) {
            out.write((code << w) | z, selBits + w);
        } else {
            out.write(code, selBits);
            out.write(z, w);
        }
    }

    // selector codes of each bucket shape by their first three bits: slot | code length << 2
    private static final byte[] SELECTOR = {
            4, 4, 4, 4, 9, 9, 14, 15,      // A: 0 10 110 111
            8, 8, 9, 9, 10, 10, 11, 11,    // B: 00 01 10 11
            4, 4, 4, 4, 9, 9, 10, 10,      // C: 0 10 11
            4, 4, 4, 4, 5, 5, 5, 5};       // D: 0 1

    /** Reads the next x. */
    long decode(BitReader in, long dtPrev, long dt) {
        long bits = in.peek();
        int e = SELECTOR[shape << 3 | (int) (bits >>> 61)];
        int sel = e >>> 2, w = width[e & 3];
        long z;
        if (sel + w <= BitReader.PEEK_BITS) {
            z = BitReader.top(bits << sel, w);
            in.skip(sel + w);
        } else {
            in.skip(sel);
            z = in.read(w);
        }
        long x = predict(dtPrev, dt) + ((z >>> 1) ^ -(z & 1));
        prev = x;
        return x;
    }
}
