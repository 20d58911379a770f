package io.spindle.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Writes bits most significant first into a byte array through a 64-bit accumulator stored with big-endian 8-byte
 * writes; the caller sizes the array for the worst case plus 8 bytes.
 */
final class BitWriter {
    private static final VarHandle BE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private byte[] b;
    private int p;
    private long acc;
    private int free;

    /** Starts writing at b[p]. */
    void reset(byte[] b, int p) {
        this.b = b;
        this.p = p;
        acc = 0;
        free = 64;
    }

    /** Writes the low w bits of v (0 <= w <= 64). */
    void write(long v, int w) {
        if (w == 0) return;
        v &= -1L >>> (64 - w);
        if (w < free) {
            acc = (acc << w) | v;
            free -= w;
            return;
        }
        int spill = w - free; // 0..63 bits that do not fit
        acc = (free == 64 ? 0 : acc << free) | (v >>> spill);
        BE_LONG.set(b, p, acc);
        p += 8;
        acc = spill == 0 ? 0 : v & (-1L >>> (64 - spill));
        free = 64 - spill;
    }

    /** Writes n zero bits. */
    void zeros(long n) {
        for (; n > 0; n -= 64) write(0, (int) Math.min(64, n));
    }

    /** Bytes written so far, the partial one included. */
    int position() {
        return p + ((64 - free + 7) >>> 3);
    }

    /** Puts the writer's state into s[at, at + 3). */
    void save(long[] s, int at) {
        s[at] = p;
        s[at + 1] = acc;
        s[at + 2] = free;
    }

    /** Returns to a state saved by {@link #save}, writing on into b (which holds what was written before). */
    void restore(long[] s, int at, byte[] b) {
        this.b = b;
        p = (int) s[at];
        acc = s[at + 1];
        free = (int) s[at + 2];
    }

    /** Pads the last byte with zero bits; returns the position after it. */
    int finish() {
        int used = 64 - free;
        if (used > 0) {
            long left = acc << free;
            for (int k = 0; k < (used + 7) >>> 3; k++) b[p++] = (byte) (left >>> (56 - 8 * k));
        }
        acc = 0;
        free = 64;
        return p;
    }
}
