package io.spindle.downsample;

/** Argument checks shared by the batch selectors, so that bad input fails with a message naming the input. */
final class Inputs {
    private Inputs() {
    }

    static void series(double[] x, double[] y, int n) {
        if (x == null) throw new IllegalArgumentException("x must not be null");
        if (y == null) throw new IllegalArgumentException("y must not be null");
        if (n < 0) throw new IllegalArgumentException("n must be >= 0, got " + n);
        if (n > x.length) throw new IllegalArgumentException("n = " + n + " exceeds x.length = " + x.length);
        if (n > y.length) throw new IllegalArgumentException("n = " + n + " exceeds y.length = " + y.length);
    }

    static void sameLength(double[] x, double[] y) {
        if (x == null) throw new IllegalArgumentException("x must not be null");
        if (y == null) throw new IllegalArgumentException("y must not be null");
        if (x.length != y.length) {
            throw new IllegalArgumentException("x and y differ in length: " + x.length + " vs " + y.length);
        }
    }

    static void threshold(int threshold) {
        if (threshold < 0) throw new IllegalArgumentException("threshold must be >= 0, got " + threshold);
    }

    static void out(int[] out, int need) {
        if (out == null) throw new IllegalArgumentException("out must not be null");
        if (out.length < need) {
            throw new IllegalArgumentException("out has length " + out.length + " but the selection may hold "
                    + need + " indices (size it with Algorithm.maxOutput)");
        }
    }

    /** Threshold 0 or at least n keeps everything; below n at most max(threshold, 2) because first and last stay. */
    static int maxOutput(int n, int threshold) {
        if (n < 0) throw new IllegalArgumentException("n must be >= 0, got " + n);
        threshold(threshold);
        return threshold == 0 || threshold >= n ? n : Math.max(threshold, 2);
    }

    /** Writes 0..n-1: the "keep everything" answer. */
    static int all(int n, int[] out) {
        for (int i = 0; i < n; i++) out[i] = i;
        return n;
    }

    /** Writes the first and last index (n >= 1). */
    static int ends(int n, int[] out) {
        out[0] = 0;
        if (n == 1) return 1;
        out[1] = n - 1;
        return 2;
    }
}
