package io.spindle.cli;

/** A series with integer (nanosecond) times in primitive columns (the arrays may be longer than n). */
final class TimedSeries {
    final long[] t;
    final double[] y;
    final int n;
    /** Input line where t first decreased, or -1 when t never decreases. */
    final long firstDecreaseLine;

    TimedSeries(long[] t, double[] y, int n, long firstDecreaseLine) {
        this.t = t;
        this.y = y;
        this.n = n;
        this.firstDecreaseLine = firstDecreaseLine;
    }
}
