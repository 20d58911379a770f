package io.spindle.cli;

/** An x,y series in primitive columns (the arrays may be longer than n), and where x first went backwards. */
final class XySeries {
    final double[] x;
    final double[] y;
    final int n;
    /** Input line where x first decreased, or -1 when x never decreases. */
    final long firstDecreaseLine;

    XySeries(double[] x, double[] y, int n, long firstDecreaseLine) {
        this.x = x;
        this.y = y;
        this.n = n;
        this.firstDecreaseLine = firstDecreaseLine;
    }
}
