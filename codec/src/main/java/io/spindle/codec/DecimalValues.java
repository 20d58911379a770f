package io.spindle.codec;

/**
 * Values that are decimals with a few digits (a control's 123.4): each is s / 10^d for a whole number s, computed
 * as the double division the decoder does, and equal to the value bit for bit. Then the s are a {@link ColumnCode}
 * of their differences. NaN, infinities, -0.0 and anything not exactly such a quotient make the batch use XOR.
 */
final class DecimalValues {
    /** Most fraction digits tried; 10^18 keeps s within a long for values up to 9.2. */
    static final int MAX_DIGITS = 18;
    private static final double[] POW10 = new double[MAX_DIGITS + 1];

    static {
        double p = 1;
        for (int d = 0; d <= MAX_DIGITS; d++, p *= 10) POW10[d] = p; // exact: 10^d = 2^d * 5^d and 5^d < 2^53
    }

    private DecimalValues() {
    }

    /** The value that s and d stand for: what the decoder computes. */
    static double value(long s, int d) {
        return (double) s / POW10[d];
    }

    private static boolean fits(double v, int d) {
        double x = v * POW10[d];
        if (!(Math.abs(x) < 9.2e18)) return false;
        long s = Math.round(x);
        return Double.doubleToRawLongBits(value(s, d)) == Double.doubleToRawLongBits(v);
    }

    /**
     * The fewest fraction digits d with which every value of v[from, to) is exactly s / 10^d, filling s[0, n);
     * -1 when there are none.
     */
    static int digits(double[] v, int from, int to, long[] s) {
        int d = 0;
        for (int i = from; i < to; i++) {
            double x = v[i];
            if (fits(x, d)) continue;
            do {
                if (++d > MAX_DIGITS) return -1;
            } while (!fits(x, d));
        }
        // a value checked at a smaller d is checked again at the final one: fitting is not monotone in d near 2^53
        double p = POW10[d];
        for (int i = from; i < to; i++) {
            long si = Math.round(v[i] * p);
            if (Double.doubleToRawLongBits(value(si, d)) != Double.doubleToRawLongBits(v[i])) return -1;
            s[i - from] = si;
        }
        return d;
    }
}
