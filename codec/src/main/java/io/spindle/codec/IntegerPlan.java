package io.spindle.codec;

import java.util.Arrays;

/**
 * Values of a version-3 batch that are whole numbers s in disguise: decimals s / 10^d ({@link DecimalValues}) or
 * ratios s / D to a number of significant digits ({@link RationalValues}). The plan finds the s, their greatest
 * common step g (s = first + g * u, for values that move in steps of 5 or 50), and the predictor of u that suits them;
 * the header carries what the decoder needs to turn each u back into the value.
 */
final class IntegerPlan {
    /** Predictors of u: the previous u; the previous plus a constant step (the median difference: counters); plus
     * the previous difference; plus the previous difference scaled by this time step over the previous one (a steady
     * feed between irregular samples). */
    static final int PREVIOUS = 0, STEP = 1, LINEAR = 2, SCALED = 3;
    static final int PREDICTORS = 4;
    private static final int HAS_GCD = 0x80;

    boolean rational;
    /** Fraction digits (decimal) or significant digits (rational). */
    int digits;
    long denominator = 1, first, gcd = 1, step;
    int predictor;
    /** The planned integers (encoder). */
    long[] u = new long[0];

    private long[] scratch = new long[0];
    private final long[] estimate = new long[PREDICTORS];

    /** Plans v[from, to) (n >= 1) as decimals: false when they are not. */
    boolean planDecimal(long[] t, double[] v, int from, int to) {
        grow(to - from);
        rational = false;
        denominator = 1;
        digits = DecimalValues.digits(v, from, to, u);
        return digits >= 0 && finish(t, from, to - from);
    }

    /** Plans v[from, to) (n >= 1) as ratios to 15 significant digits: false when they are not. */
    boolean planRational(long[] t, double[] v, int from, int to) {
        grow(to - from);
        rational = true;
        digits = RationalValues.MAX_SIGNIFICANT;
        denominator = RationalValues.denominator(v, from, to, digits, u);
        return denominator > 0 && finish(t, from, to - from);
    }

    /** The value of a scaled integer s. */
    double value(long s) {
        return rational ? RationalValues.value(s, denominator, digits) : DecimalValues.value(s, digits);
    }

    /** Whether s is a scaled integer the decoder may turn into a value. */
    boolean valid(long s) {
        return !rational || (s > -RationalValues.MAX_NUMERATOR && s < RationalValues.MAX_NUMERATOR);
    }

    // u[0, n) holds the scaled integers: keep the first, divide the rest's distance from it by their gcd
    private boolean finish(long[] t, int from, int n) {
        first = u[0];
        long g = 0;
        for (int i = 1; i < n && g != 1; i++) {
            long d = u[i] - first;
            if (((u[i] ^ first) & (u[i] ^ d)) < 0 || d == Long.MIN_VALUE) { // the difference overflows: no common step
                g = 1;
                break;
            }
            if (g == 0 || d % g != 0) g = gcd(g, Math.abs(d)); // one division while g keeps dividing
        }
        gcd = g <= 1 ? 1 : g;
        for (int i = 0; i < n; i++) u[i] = (u[i] - first) / gcd;
        predictor = PREVIOUS;
        step = 0;
        if (n < 3) return true;
        for (int i = 1; i < n; i++) scratch[i - 1] = u[i] - u[i - 1];
        long median = Select.median(scratch, n - 1);
        Arrays.fill(estimate, 0);
        long dPrev = 0, dtPrev = 0;
        for (int i = 1; i < n; i++) {
            long s = u[i], prev = u[i - 1];
            long dt = t[from + i] - t[from + i - 1];
            if (s != prev && (i < 2 || s != u[i - 2])) { // what the recent values are likely to code anyway
                estimate[PREVIOUS] += cost(s - prev);
                estimate[STEP] += cost(s - prev - median);
                estimate[LINEAR] += cost(s - prev - dPrev);
                estimate[SCALED] += cost(s - prev - ColumnCode.scaled(dPrev, dtPrev, dt));
            }
            dPrev = s - prev;
            dtPrev = dt;
        }
        estimate[STEP] += 8L * ByteCursor.zigzagBytes(median);
        for (int p = 1; p < PREDICTORS; p++) if (estimate[p] < estimate[predictor]) predictor = p;
        if (predictor == STEP) step = median;
        return true;
    }

    private static int cost(long d) {
        return 2 * ColumnCode.bitLength(d < 0 ? -d : d) + 1;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /** The prediction of the next u from the previous one, the previous difference and the time steps. */
    long predict(long prev, long dPrev, long dtPrev, long dt) {
        return prev + switch (predictor) {
            case PREVIOUS -> 0;
            case STEP -> step;
            case LINEAR -> dPrev;
            default -> ColumnCode.scaled(dPrev, dtPrev, dt);
        };
    }

    /** Writes the header: byte digits | predictor << 5 | 0x80 with a gcd; [varint D]; zigzag first; [varint gcd]; [zigzag step]. */
    int writeHeader(byte[] b, int p) {
        b[p++] = (byte) (digits | predictor << 5 | (gcd > 1 ? HAS_GCD : 0));
        if (rational) p = ByteCursor.writeVarint(b, p, denominator);
        p = ByteCursor.writeZigzag(b, p, first);
        if (gcd > 1) p = ByteCursor.writeVarint(b, p, gcd);
        if (predictor == STEP) p = ByteCursor.writeZigzag(b, p, step);
        return p;
    }

    void readHeader(ByteCursor in, boolean rational) {
        this.rational = rational;
        int h = in.u8("value header");
        digits = h & 31;
        predictor = (h >>> 5) & 3;
        if (rational) {
            if (digits < 1 || digits > RationalValues.MAX_SIGNIFICANT)
                throw new IllegalArgumentException("bad significant digits " + digits + " (1-" + RationalValues.MAX_SIGNIFICANT + ")");
            denominator = in.varint("denominator");
            if (denominator < 1 || denominator > RationalValues.MAX_DENOMINATOR)
                throw new IllegalArgumentException("bad denominator " + Long.toUnsignedString(denominator) + " (1-" + RationalValues.MAX_DENOMINATOR + ")");
        } else {
            denominator = 1;
            if (digits > DecimalValues.MAX_DIGITS)
                throw new IllegalArgumentException("bad decimal digits " + digits + " (at most " + DecimalValues.MAX_DIGITS + ")");
        }
        first = in.zigzag("first scaled value");
        if (!valid(first)) throw new IllegalArgumentException("first scaled value " + first + " is out of range");
        gcd = (h & HAS_GCD) != 0 ? in.varint("value step") : 1;
        if ((h & HAS_GCD) != 0 && gcd < 2) throw new IllegalArgumentException("bad value step " + Long.toUnsignedString(gcd) + " (at least 2)");
        step = predictor == STEP ? in.zigzag("predictor step") : 0;
    }

    private void grow(int n) {
        if (u.length < n) {
            u = new long[Math.max(n, u.length * 3 / 2)];
            scratch = new long[u.length];
        }
    }
}
