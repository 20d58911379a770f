package io.spindle.codec;

/**
 * Chooses the buckets of a column from the histogram of its zigzag values' bit lengths. A value costs its bucket's
 * selector plus the bucket's width. Selectors form one of four complete prefix codes (shapes): A '0' '10' '110' '111',
 * B '00' '01' '10' '11', C '0' '10' '11', D '0' '1'; the search picks the widths and the shape that make the column
 * smallest, the most used bucket getting the shortest selector.
 */
final class Buckets {
    static final int SHAPE_A = 0, SHAPE_B = 1, SHAPE_C = 2, SHAPE_D = 3;
    /** Slots per shape. */
    static final int[] SLOTS = {4, 4, 3, 2};
    /** Selector length and code by shape and slot. */
    static final int[][] SELECTOR_BITS = {{1, 2, 3, 3}, {2, 2, 2, 2}, {1, 2, 2}, {1, 1}};
    static final int[][] SELECTOR_CODE = {{0b0, 0b10, 0b110, 0b111}, {0b00, 0b01, 0b10, 0b11}, {0b0, 0b10, 0b11}, {0b0, 0b1}};
    /** Past this many distinct bit lengths the search keeps the most frequent ones (and the longest). */
    private static final int MAX_CANDIDATES = 16;

    private final long[] cum = new long[65];
    private final int[] cand = new int[65];
    private final int[] w = new int[4];
    private final long[] c = new long[4];
    private final int[] rank = new int[4];
    private long bestCost;
    private int bestShape;
    private final int[] best = new int[4];

    /** The shape chosen by the last {@link #choose}. */
    int shape() {
        return bestShape;
    }

    /** Fills widthBySlot (slots of {@link #shape()}) for hist (65 counts); returns the bits of the codes. */
    long choose(long[] hist, int[] widthBySlot) {
        int m = 0;
        long run = 0;
        for (int b = 0; b <= 64; b++) {
            run += hist[b];
            cum[b] = run;
            if (hist[b] != 0) cand[m++] = b;
        }
        if (m == 0) {
            bestShape = SHAPE_D;
            widthBySlot[0] = widthBySlot[1] = 0;
            return 0;
        }
        if (m > MAX_CANDIDATES) m = keepFrequent(hist, m);
        int top = cand[m - 1];
        bestCost = Long.MAX_VALUE;
        w[0] = top;
        eval(1);
        for (int a = 0; a < m - 1; a++) {
            w[0] = cand[a];
            w[1] = top;
            eval(2);
            for (int b = a + 1; b < m - 1; b++) {
                w[1] = cand[b];
                w[2] = top;
                eval(3);
                for (int d = b + 1; d < m - 1; d++) {
                    w[2] = cand[d];
                    w[3] = top;
                    eval(4);
                }
            }
        }
        System.arraycopy(best, 0, widthBySlot, 0, SLOTS[bestShape]);
        return bestCost;
    }

    /** Keeps the longest length and the MAX_CANDIDATES-1 most frequent others, ascending; returns how many. */
    private int keepFrequent(long[] hist, int m) {
        int top = cand[m - 1];
        long kept = 0; // bit b set: length b (< 64, as top is the only one that can be 64) is kept
        for (int k = 0; k < MAX_CANDIDATES - 1; k++) {
            int pick = -1;
            for (int i = 0; i < m - 1; i++) {
                int b = cand[i];
                if (((kept >>> b) & 1) == 0 && (pick < 0 || hist[b] > hist[pick])) pick = b;
            }
            kept |= 1L << pick;
        }
        int n = 0;
        for (int b = 0; b < 64; b++) if (((kept >>> b) & 1) != 0) cand[n++] = b;
        cand[n++] = top;
        return n;
    }

    /** Scores buckets w[0, k) (ascending, the last the longest length) under the shapes that have k slots. */
    private void eval(int k) {
        long prev = 0;
        for (int j = 0; j < k; j++) {
            c[j] = cum[w[j]] - prev;
            prev = cum[w[j]];
            rank[j] = j;
        }
        // buckets by count, descending (insertion sort of at most four)
        for (int i = 1; i < k; i++) {
            int r = rank[i];
            int j = i - 1;
            while (j >= 0 && c[rank[j]] < c[r]) {
                rank[j + 1] = rank[j];
                j--;
            }
            rank[j + 1] = r;
        }
        switch (k) {
            case 1, 2 -> score(SHAPE_D, k);
            case 3 -> score(SHAPE_C, k);
            default -> {
                score(SHAPE_A, k);
                score(SHAPE_B, k);
            }
        }
    }

    private void score(int shape, int k) {
        int[] sel = SELECTOR_BITS[shape];
        long cost = 0;
        for (int s = 0; s < k; s++) cost += c[rank[s]] * (sel[s] + w[rank[s]]);
        if (cost < bestCost) {
            bestCost = cost;
            bestShape = shape;
            for (int s = 0; s < SLOTS[shape]; s++) best[s] = w[rank[Math.min(s, k - 1)]];
        }
    }
}
