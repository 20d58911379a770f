package io.spindle.codec;

/** The median of a scratch range, found in place without allocating (quickselect, heapsort when it degrades). */
final class Select {
    private Select() {
    }

    /** The lower median of a[0, n) (n >= 1); reorders a. */
    static long median(long[] a, int n) {
        int k = (n - 1) >>> 1;
        int lo = 0, hi = n - 1;
        int budget = 2 * (32 - Integer.numberOfLeadingZeros(n)) + 8;
        while (lo < hi) {
            if (budget-- == 0) {
                heapsort(a, lo, hi + 1);
                return a[k];
            }
            int mid = (lo + hi) >>> 1;
            long x = a[lo], y = a[mid], z = a[hi];
            long pivot = Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
            int i = lo, j = hi;
            while (i <= j) {
                while (a[i] < pivot) i++;
                while (a[j] > pivot) j--;
                if (i <= j) {
                    long t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            if (k <= j) hi = j;
            else if (k >= i) lo = i;
            else return a[k];
        }
        return a[k];
    }

    /** Sorts a[from, to) ascending in place (heapsort: no allocation, n log n on any input). */
    static void heapsort(long[] a, int from, int to) {
        int n = to - from;
        for (int i = n / 2 - 1; i >= 0; i--) sift(a, from, i, n);
        for (int end = n - 1; end > 0; end--) {
            long t = a[from];
            a[from] = a[from + end];
            a[from + end] = t;
            sift(a, from, 0, end);
        }
    }

    private static void sift(long[] a, int from, int i, int n) {
        while (true) {
            int c = 2 * i + 1;
            if (c >= n) return;
            if (c + 1 < n && a[from + c + 1] > a[from + c]) c++;
            if (a[from + i] >= a[from + c]) return;
            long t = a[from + i];
            a[from + i] = a[from + c];
            a[from + c] = t;
            i = c;
        }
    }
}
