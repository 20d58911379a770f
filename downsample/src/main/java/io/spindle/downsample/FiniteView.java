package io.spindle.downsample;

/**
 * The finite points of a series, compacted, with the map back to the original indices. Every batch selector skips a
 * point whose x or y is NaN or infinite and runs on the finite subsequence. The selectors' kernels notice non-finite
 * values during their own pass over the data (and answer -1); only then is this copy made and the kernel run again,
 * so all-finite input pays no extra scan and no allocation.
 */
final class FiniteView {
    final double[] x;
    final double[] y;
    final int n;
    private final int[] index;

    private FiniteView(double[] x, double[] y, int n, int[] index) {
        this.x = x;
        this.y = y;
        this.n = n;
        this.index = index;
    }

    /** A selector's pass over x,y[0..n): the kept indices into out and their count, or -1 on a non-finite value. */
    @FunctionalInterface
    interface Kernel {
        int run(double[] x, double[] y, int n, int threshold, int[] out);
    }

    /**
     * The common shape of every batch selector: check the arguments, run the kernel on the series as it is, and only
     * if it met a NaN or infinity run it again on the finite points, mapping the indices back.
     */
    static int select(double[] x, double[] y, int n, int threshold, int[] out, Kernel kernel) {
        Inputs.series(x, y, n);
        Inputs.out(out, Inputs.maxOutput(n, threshold));
        int k = kernel.run(x, y, n, threshold, out);
        if (k >= 0) return k;
        FiniteView v = of(x, y, n);
        return v.toOriginal(out, kernel.run(v.x, v.y, v.n, threshold, out));
    }

    /** Whether x[i] and y[i] are finite for every i in [0, n): a count that C2 vectorises, unlike a test-and-branch. */
    static boolean allFinite(double[] x, double[] y, int n) {
        long finite = 0;
        for (int i = 0; i < n; i++) finite += (long) ((x[i] - x[i]) + (y[i] - y[i]) + 1.0); // (long) NaN is 0
        return finite == n;
    }

    static FiniteView of(double[] x, double[] y, int n) {
        int m = 0;
        for (int i = 0; i < n; i++) if (Double.isFinite(x[i]) && Double.isFinite(y[i])) m++;
        double[] fx = new double[m], fy = new double[m];
        int[] index = new int[m];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                fx[k] = x[i];
                fy[k] = y[i];
                index[k++] = i;
            }
        }
        return new FiniteView(fx, fy, m, index);
    }

    /** Rewrites out[0..count) from indices into this view to indices into the original arrays; returns count. */
    int toOriginal(int[] out, int count) {
        for (int i = 0; i < count; i++) out[i] = index[out[i]];
        return count;
    }
}
