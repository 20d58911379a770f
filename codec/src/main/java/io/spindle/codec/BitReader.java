package io.spindle.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads bits most significant first from data[start, end) through 64-bit big-endian loads. Reading past the end
 * yields zero bits instead of failing at every call; {@link #overrun} and {@link #finish} tell afterwards whether the
 * stream was long enough (the caller bounds how much it reads by the sample count it checked against the input size).
 */
final class BitReader {
    private static final VarHandle BE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    /** Bits {@link #peek} guarantees. */
    static final int PEEK_BITS = 57;

    private byte[] data;
    private int start, end;
    private long pos; // bit position in data

    /** Starts reading data[start, end). */
    void reset(byte[] data, int start, int end) {
        this.data = data;
        this.start = start;
        this.end = end;
        this.pos = (long) start << 3;
    }

    /** The next bits, at least {@link #PEEK_BITS} of them valid, in the top of the result; consumes nothing. */
    long peek() {
        long at = pos >>> 3;
        long word;
        if (at + 8 <= end) {
            word = (long) BE_LONG.get(data, (int) at);
        } else {
            word = 0;
            for (int k = 0; k < 8; k++) word = (word << 8) | (at + k < end ? data[(int) (at + k)] & 0xFF : 0);
        }
        return word << (pos & 7);
    }

    /** Consumes n bits. */
    void skip(int n) {
        pos += n;
    }

    /** The next w bits (0 <= w <= 64) as an unsigned number. */
    long read(int w) {
        if (w > PEEK_BITS) {
            long hi = read(w - 32);
            return (hi << 32) | read(32);
        }
        long x = top(peek(), w);
        pos += w;
        return x;
    }

    /** The top w bits (0 <= w <= 63) of bits, as an unsigned number. */
    static long top(long bits, int w) {
        return (bits >>> 1) >>> (63 - w);
    }

    /** Whether more bits were read than the stream holds. */
    boolean overrun() {
        return pos > (long) end << 3;
    }

    /** Checks that the stream ended in this byte with zero padding; what names the section for the message. */
    void finish(String what) {
        long total = (long) end << 3;
        if (pos > total) throw new IllegalArgumentException("truncated: " + what + " need more bits than the batch has");
        long pad = total - pos;
        if (pad >= 8) throw new IllegalArgumentException((pad / 8) + " trailing bytes after " + what);
        if (pad > 0 && read((int) pad) != 0) throw new IllegalArgumentException("nonzero padding bits after " + what);
    }
}
