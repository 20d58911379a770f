package io.spindle.cli;

import java.util.Arrays;

/** A growable series of (epoch-ns time, value) samples in two primitive columns. */
final class SampleColumns {
    long[] t = new long[256];
    double[] v = new double[256];
    int n;

    void add(long time, double value) {
        if (n == t.length) {
            int cap = (int) Math.min(Integer.MAX_VALUE - 8L, n * 2L);
            if (cap == n) throw new IllegalStateException("series too long (" + n + " samples)");
            t = Arrays.copyOf(t, cap);
            v = Arrays.copyOf(v, cap);
        }
        t[n] = time;
        v[n++] = value;
    }

    /** Sorts by time, keeping arrival order among equal times (a bottom-up merge sort). */
    void sortByTime() {
        boolean sorted = true;
        for (int i = 1; i < n && sorted; i++) sorted = t[i - 1] <= t[i];
        if (sorted) return;
        long[] ta = t, tb = new long[t.length];
        double[] va = v, vb = new double[v.length];
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(lo + width, n), hi = Math.min(lo + 2 * width, n);
                int i = lo, j = mid, k = lo;
                while (i < mid && j < hi) {
                    if (ta[j] < ta[i]) {
                        tb[k] = ta[j];
                        vb[k++] = va[j++];
                    } else {
                        tb[k] = ta[i];
                        vb[k++] = va[i++];
                    }
                }
                while (i < mid) {
                    tb[k] = ta[i];
                    vb[k++] = va[i++];
                }
                while (j < hi) {
                    tb[k] = ta[j];
                    vb[k++] = va[j++];
                }
            }
            long[] ts = ta;
            ta = tb;
            tb = ts;
            double[] vs = va;
            va = vb;
            vb = vs;
        }
        t = ta;
        v = va;
    }
}
