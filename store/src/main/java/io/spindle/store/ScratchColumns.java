package io.spindle.store;

import java.util.Arrays;

/** Reusable (time, value) columns that grow as needed; owned by one thread at a time. */
final class ScratchColumns {
    long[] t;
    double[] v;

    ScratchColumns(int capacity) {
        t = new long[capacity];
        v = new double[capacity];
    }

    /** Makes room for n entries (contents are not kept). */
    void ensure(int n) {
        if (t.length < n) {
            int cap = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(n, t.length * 3L / 2));
            t = new long[cap];
            v = new double[cap];
        }
    }

    /** Makes room for n entries, keeping the contents. */
    void growKeeping(int n) {
        if (t.length < n) {
            int cap = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(n, t.length * 3L / 2));
            t = Arrays.copyOf(t, cap);
            v = Arrays.copyOf(v, cap);
        }
    }
}
