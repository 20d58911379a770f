package io.spindle.codec;

/**
 * The last 32 distinct values of a version-3 batch, most recent first (move to front), so that a value seen lately
 * costs a short index instead of its difference: the few loads a drive alternates between, the handful of speeds a
 * spindle returns to. A change-only source never repeats its previous value, so index 0 is just one more index. Coded
 * as a hit flag (its model chosen by whether the previous sample hit) and, on a hit, the index + 1 as its bit length
 * in unary and the bits below its leading 1 through one tree of models shared by all lengths.
 */
final class RecentValues {
    static final int SIZE = 32;
    private static final int LENGTH_BITS = 6; // index + 1 is 1..32: bit lengths 1..6
    private static final int HIT = 0, LENGTH = 2, TREE = LENGTH + LENGTH_BITS;

    // a ring: entry i (0 = most recent) is values[(head + i) & (SIZE - 1)]
    private final long[] values = new long[SIZE];
    private int head, size;
    // how many entries hash to each slot: a value whose slot is empty is not recent, without a scan
    private final byte[] present = new byte[256];
    private boolean lastHit;
    private final int[] m = new int[TREE + (1 << LENGTH_BITS)];

    /** Starts a batch whose first value is first. */
    void reset(long first) {
        for (int i = 0; i < size; i++) present[slot(values[(head + i) & (SIZE - 1)])] = 0;
        head = 0;
        values[0] = first;
        size = 1;
        present[slot(first)] = 1;
        lastHit = false;
        Prob.reset(m, 0, m.length);
    }

    /** The index of x among the recent values, or -1. */
    int find(long x) {
        if (present[slot(x)] == 0) return -1;
        for (int i = 0; i < size; i++) if (values[(head + i) & (SIZE - 1)] == x) return i;
        return -1;
    }

    /** Codes whether x is recent and, if so, which; returns whether it was (else the caller codes x itself). */
    boolean encode(RangeEncoder rc, long x) {
        int i = find(x);
        rc.bit(m, HIT + (lastHit ? 1 : 0), i >= 0 ? 1 : 0);
        lastHit = i >= 0;
        if (i < 0) {
            push(x);
            return false;
        }
        int y = i + 1, nb = 32 - Integer.numberOfLeadingZeros(y);
        for (int j = 1; j < nb; j++) rc.bit(m, LENGTH + j - 1, 1);
        if (nb < LENGTH_BITS) rc.bit(m, LENGTH + nb - 1, 0);
        int node = 1;
        for (int j = nb - 2; j >= 0; j--) {
            int bit = (y >>> j) & 1;
            rc.bit(m, TREE + node, bit);
            node = (node << 1) | bit;
        }
        toFront(i, x);
        return true;
    }

    /** Decodes a hit: the index, or -1 when the value is new (then the caller decodes it and calls {@link #add}). */
    int decodeIndex(RangeDecoder rc) {
        boolean hit = rc.bit(m, HIT + (lastHit ? 1 : 0)) == 1;
        lastHit = hit;
        if (!hit) return -1;
        int nb = 1;
        while (nb < LENGTH_BITS && rc.bit(m, LENGTH + nb - 1) == 1) nb++;
        int node = 1;
        for (int j = 0; j < nb - 1; j++) node = (node << 1) | rc.bit(m, TREE + node);
        int i = node - 1;
        if (i >= size) throw new IllegalArgumentException("recent value " + i + " of only " + size);
        return i;
    }

    /** The value at a decoded index, moved to the front. */
    long take(int i) {
        long x = values[(head + i) & (SIZE - 1)];
        toFront(i, x);
        return x;
    }

    /** Puts a new value in front, dropping the oldest when full. */
    void add(long x) {
        int i = find(x); // only a corrupted stream codes a recent value as new; keep one copy
        if (i >= 0) toFront(i, x);
        else push(x);
    }

    private void push(long x) {
        head = (head - 1) & (SIZE - 1);
        if (size == SIZE) present[slot(values[head])]--; // the oldest drops out
        else size++;
        values[head] = x;
        present[slot(x)]++;
    }

    private static int slot(long x) {
        long h = x * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 56);
    }

    private void toFront(int i, long x) {
        for (int j = i; j > 0; j--) values[(head + j) & (SIZE - 1)] = values[(head + j - 1) & (SIZE - 1)];
        values[head] = x;
    }
}
