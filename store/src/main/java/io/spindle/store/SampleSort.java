package io.spindle.store;

/**
 * Puts (time, value) columns in strictly increasing time order, keeping the first-added value of each time (the
 * store's "first write wins" inside one batch). Already-sorted input, the common case, costs one pass.
 */
final class SampleSort {
    private static final int INSERTION_MAX = 24;

    private SampleSort() {
    }

    /**
     * Sorts t/v[from, to) stably by time and drops later repeats of a time; the result is t/v[from, from + n), n
     * returned. tmpT/tmpV are scratch of at least to - from entries, used only when the input is out of order.
     */
    static int sortUnique(long[] t, double[] v, int from, int to, ScratchColumns tmp) {
        boolean sorted = true, strict = true;
        for (int i = from + 1; i < to; i++) {
            if (t[i] <= t[i - 1]) {
                strict = false;
                if (t[i] < t[i - 1]) {
                    sorted = false;
                    break;
                }
            }
        }
        if (strict) return to - from;
        if (!sorted) {
            tmp.ensure(to - from);
            mergeSort(t, v, from, to, tmp.t, tmp.v);
        }
        return unique(t, v, from, to);
    }

    /** Drops later repeats of each time from sorted t/v[from, to); returns the new length. */
    private static int unique(long[] t, double[] v, int from, int to) {
        if (to - from < 2) return to - from;
        int w = from + 1;
        for (int i = from + 1; i < to; i++) {
            if (t[i] != t[w - 1]) {
                t[w] = t[i];
                v[w] = v[i];
                w++;
            }
        }
        return w - from;
    }

    /** Stable top-down merge sort of t/v[from, to); tmp holds to - from entries, indexed from 0. */
    private static void mergeSort(long[] t, double[] v, int from, int to, long[] tt, double[] tv) {
        int n = to - from;
        if (n <= INSERTION_MAX) {
            insertionSort(t, v, from, to);
            return;
        }
        int mid = from + (n >>> 1);
        mergeSort(t, v, from, mid, tt, tv);
        mergeSort(t, v, mid, to, tt, tv);
        if (t[mid - 1] <= t[mid]) return;
        int left = mid - from;
        System.arraycopy(t, from, tt, 0, left);
        System.arraycopy(v, from, tv, 0, left);
        int i = 0, j = mid, k = from;
        while (i < left && j < to) {
            if (t[j] < tt[i]) { // strict: equal times keep the left (earlier-added) one first
                t[k] = t[j];
                v[k++] = v[j++];
            } else {
                t[k] = tt[i];
                v[k++] = tv[i++];
            }
        }
        while (i < left) {
            t[k] = tt[i];
            v[k++] = tv[i++];
        }
    }

    private static void insertionSort(long[] t, double[] v, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            long ti = t[i];
            double vi = v[i];
            int j = i - 1;
            while (j >= from && t[j] > ti) {
                t[j + 1] = t[j];
                v[j + 1] = v[j];
                j--;
            }
            t[j + 1] = ti;
            v[j + 1] = vi;
        }
    }
}
