package io.spindle.http;

import java.util.Arrays;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** A Prometheus histogram: observations counted into fixed upper bounds, plus their sum. Thread-safe, lock-free. */
public final class Histogram {
    /** Bounds in seconds suited to request and query latency, 0.5 ms .. 10 s. */
    public static final double[] LATENCY_SECONDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final double[] bounds;
    private final LongAdder[] counts; // counts[i]: observations in (bounds[i-1], bounds[i]]; the last one is +Inf
    private final DoubleAdder sum = new DoubleAdder();

    Histogram(double[] upperBounds) {
        this.bounds = checked(upperBounds);
        this.counts = new LongAdder[bounds.length + 1];
        for (int i = 0; i < counts.length; i++) counts[i] = new LongAdder();
    }

    static double[] checked(double[] upperBounds) {
        if (upperBounds == null || upperBounds.length == 0)
            throw new IllegalArgumentException("a histogram needs at least one finite upper bound");
        double[] b = upperBounds.clone();
        for (int i = 0; i < b.length; i++) {
            if (!Double.isFinite(b[i])) throw new IllegalArgumentException("histogram bound " + b[i] + " is not finite (+Inf is implicit)");
            if (i > 0 && b[i] <= b[i - 1])
                throw new IllegalArgumentException("histogram bounds must increase: " + b[i - 1] + " then " + b[i]);
        }
        return b;
    }

    /** Counts one observation; NaN is ignored (it belongs to no bucket). */
    public void observe(double value) {
        if (Double.isNaN(value)) return;
        int i = Arrays.binarySearch(bounds, value);
        if (i < 0) i = -i - 1; // first bound >= value (le is inclusive)
        counts[i].increment();
        sum.add(value);
    }

    /** Counts a duration given in nanoseconds, as seconds. */
    public void observeNanos(long nanos) {
        observe(nanos / 1e9);
    }

    /** Observations so far. */
    public long count() {
        long n = 0;
        for (LongAdder c : counts) n += c.sum();
        return n;
    }

    /** Sum of the observations so far. */
    public double sum() {
        return sum.sum();
    }

    double[] bounds() {
        return bounds;
    }

    /** Cumulative counts per bound, the last being +Inf (so it equals the count the same scrape reports). */
    long[] cumulative() {
        long[] c = new long[counts.length];
        long run = 0;
        for (int i = 0; i < counts.length; i++) c[i] = run += counts[i].sum();
        return c;
    }
}
