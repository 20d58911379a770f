package io.spindle.codec;

/**
 * Values that are a ratio of whole numbers printed to a fixed number of significant digits: a .NET adapter's
 * 83.3333333333333 (5000/60 to 15 digits) or 4716.66666666667 (283000/60). Their decimals need 11 to 13 fraction
 * digits and differ in every one of them, but each is m / D rounded to sig significant digits for a small D and a
 * whole m, and the m's change like any counter. The rounding is half up in magnitude, on the exact ratio, and the
 * double is the one nearest to the rounded decimal.
 */
final class RationalValues {
    /** Largest denominator searched. */
    static final int MAX_DENOMINATOR = 1000;
    /** Most significant digits (10^15 < 2^53: every rounded decimal is exact before the one division). */
    static final int MAX_SIGNIFICANT = 15;
    /** Largest |m|. */
    static final long MAX_NUMERATOR = 1L << 62;
    private static final long[] POW10 = new long[19];
    private static final double[] POW10D = new double[23];

    static {
        long p = 1;
        for (int i = 0; i < POW10.length; i++, p *= 10) POW10[i] = p;
        double q = 1;
        for (int i = 0; i < POW10D.length; i++, q *= 10) POW10D[i] = q; // exact up to 10^22
    }

    private RationalValues() {
    }

    /** m / d (|m| < MAX_NUMERATOR, 1 <= d <= MAX_DENOMINATOR) to sig (1-15) significant digits, as a double. */
    static double value(long m, long d, int sig) {
        if (m == 0) return 0.0;
        long a = Math.abs(m);
        long lo = POW10[sig - 1] * d, hi = POW10[sig] * d; // at most 10^18
        long s;
        int k = 0; // the decimal is s / 10^k
        if (a >= hi) {
            long div = 10;
            k = -1;
            while (a / div >= hi) {
                div *= 10;
                k--;
            }
            long q = div * d; // <= a / 10^(sig-1): no overflow
            s = a / q;
            if (2 * (a % q) >= q) s++;
        } else {
            long x = a;
            while (x < lo) {
                x *= 10;
                k++;
            }
            s = x / d;
            if (2 * (x % d) >= d) s++;
        }
        double v = k >= 0 ? s / POW10D[k] : s * POW10D[-k];
        return m < 0 ? -v : v;
    }

    /**
     * The denominator D (1..MAX_DENOMINATOR) for which every value of v[from, to) is value(m, D, sig) for a whole m,
     * filling m[0, n); -1 when there is none.
     */
    static long denominator(double[] v, int from, int to, int sig, long[] m) {
        long d = 1;
        for (int i = from; i < to; i++) {
            double x = v[i];
            if (d > 1 && fits(x, d, sig)) continue;
            long q = smallest(x, sig);
            if (q < 0) return -1;
            d = lcm(d, q);
            if (d > MAX_DENOMINATOR) return -1;
        }
        for (int i = from; i < to; i++) {
            double x = v[i];
            long mi = Math.round(x * d);
            if (Math.abs(mi) >= MAX_NUMERATOR || Double.doubleToRawLongBits(value(mi, d, sig)) != Double.doubleToRawLongBits(x)) return -1;
            m[i - from] = mi;
        }
        return d;
    }

    private static boolean fits(double x, long d, int sig) {
        double y = x * d;
        if (!(Math.abs(y) < MAX_NUMERATOR)) return false;
        return Double.doubleToRawLongBits(value(Math.round(y), d, sig)) == Double.doubleToRawLongBits(x);
    }

    /** The smallest denominator that gives x, from the convergents of its continued fraction; -1 if none does. */
    private static long smallest(double x, int sig) {
        if (!(Math.abs(x) < MAX_NUMERATOR) || Double.doubleToRawLongBits(x) == Long.MIN_VALUE) return -1; // NaN, infinities, -0.0
        double r = Math.abs(x);
        long h1 = 1, h2 = 0, k1 = 0, k2 = 1;
        for (int term = 0; term < 40; term++) {
            double a = Math.floor(r);
            if (a > MAX_NUMERATOR) return -1;
            long ai = (long) a;
            if (ai > 0 && (h1 > (MAX_NUMERATOR - h2) / ai || k1 > (MAX_DENOMINATOR - k2) / ai)) return -1;
            long h = ai * h1 + h2, k = ai * k1 + k2;
            if (k > MAX_DENOMINATOR || h < 0 || h >= MAX_NUMERATOR) return -1;
            if (Double.doubleToRawLongBits(value(x < 0 ? -h : h, k, sig)) == Double.doubleToRawLongBits(x)) return k;
            double f = r - a;
            if (f <= 0) return -1;
            r = 1 / f;
            h2 = h1;
            h1 = h;
            k2 = k1;
            k1 = k;
        }
        return -1;
    }

    private static long lcm(long a, long b) {
        long x = a, y = b;
        while (y != 0) {
            long t = x % y;
            x = y;
            y = t;
        }
        return a / x * b;
    }
}
