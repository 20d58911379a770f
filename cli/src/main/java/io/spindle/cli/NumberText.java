package io.spindle.cli;

import java.nio.charset.StandardCharsets;

/**
 * Decimal text to double and back, exactly: parsing is correctly rounded; formatting writes the shortest digits that
 * read back to the same double (Double.toString's digits) in ECMAScript's Number.toString layout ("0", "100",
 * "29.357995947822218", "1e-7"), the layout of the reference LTTB's golden files. Negative zero is kept as "-0".
 */
final class NumberText {
    private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13,
            1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    private NumberText() {
    }

    /**
     * Parses ASCII b[from, to): optional sign, digits with an optional point, optional exponent, or NaN/Infinity.
     * Throws NumberFormatException for anything else (hex, suffixes like "1d", empty).
     */
    static double parse(byte[] b, int from, int to) {
        int i = from;
        boolean neg = false;
        if (i < to && (b[i] == '+' || b[i] == '-')) {
            neg = b[i] == '-';
            i++;
        }
        long m = 0;
        int sig = 0, exp10 = 0;
        boolean anyDigit = false;
        for (; i < to && b[i] >= '0' && b[i] <= '9'; i++) {
            anyDigit = true;
            int d = b[i] - '0';
            if (sig > 0 || d != 0) {
                if (sig < 18) m = m * 10 + d;
                else exp10++;
                sig++;
            }
        }
        if (i < to && b[i] == '.') {
            for (i++; i < to && b[i] >= '0' && b[i] <= '9'; i++) {
                anyDigit = true;
                int d = b[i] - '0';
                if (sig > 0 || d != 0) {
                    if (sig < 18) {
                        m = m * 10 + d;
                        exp10--;
                    }
                    sig++;
                } else {
                    exp10--;
                }
            }
        }
        if (!anyDigit) return special(b, from, to);
        if (i < to && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            boolean eneg = false;
            if (i < to && (b[i] == '+' || b[i] == '-')) {
                eneg = b[i] == '-';
                i++;
            }
            int e = 0, start = i;
            for (; i < to && b[i] >= '0' && b[i] <= '9'; i++) if (e < 100_000) e = e * 10 + (b[i] - '0');
            if (i == start) throw new NumberFormatException();
            exp10 += eneg ? -e : e;
        }
        if (i != to) throw new NumberFormatException();
        if (m == 0) return neg ? -0.0 : 0.0;
        // Clinger's fast path: an exact mantissa below 2^53 times an exact power of ten is one correctly rounded op.
        if (sig <= 15 && exp10 >= -22 && exp10 <= 22) {
            double v = exp10 >= 0 ? m * POW10[exp10] : m / POW10[-exp10];
            return neg ? -v : v;
        }
        return Double.parseDouble(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
    }

    private static double special(byte[] b, int from, int to) {
        String s = new String(b, from, to - from, StandardCharsets.ISO_8859_1);
        return switch (s) {
            case "NaN" -> Double.NaN;
            case "Infinity", "+Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> throw new NumberFormatException();
        };
    }

    /** Appends v in the shortest round-tripping form, ECMAScript layout. */
    static StringBuilder append(StringBuilder sb, double v) {
        if (Double.isNaN(v)) return sb.append("NaN");
        if (Double.isInfinite(v)) return sb.append(v > 0 ? "Infinity" : "-Infinity");
        if (v == 0) return sb.append(Double.doubleToRawLongBits(v) < 0 ? "-0" : "0");
        if (v < 0) sb.append('-');
        String s = Double.toString(Math.abs(v)); // "123.456", "1.0E10", "1.234E-5": shortest digits since JDK 19
        int ePos = s.indexOf('E');
        int mantEnd = ePos < 0 ? s.length() : ePos;
        int exp = ePos < 0 ? 0 : Integer.parseInt(s, ePos + 1, s.length(), 10);
        int dot = s.indexOf('.');
        // digits = mantissa without the point; value = 0.digits * 10^n
        char[] d = new char[mantEnd];
        int k = 0, n = dot + exp;
        for (int i = 0; i < mantEnd; i++) {
            char c = s.charAt(i);
            if (c == '.') continue;
            if (k == 0 && c == '0') {
                n--;
                continue;
            }
            d[k++] = c;
        }
        while (k > 0 && d[k - 1] == '0') k--;
        if (k == 2 && Math.abs(v) < Double.MIN_NORMAL) {
            // Only deep subnormals have a one-digit form that Double.toString passes over for a closer two-digit one.
            k = oneDigit(Math.abs(v), d, n);
            if (k == 1 && d[0] == '0') { // 9x rounded up to 10
                d[0] = '1';
                n++;
            }
        }
        if (k <= n && n <= 21) {
            sb.append(d, 0, k);
            for (int i = k; i < n; i++) sb.append('0');
        } else if (0 < n && n <= 21) {
            sb.append(d, 0, n).append('.').append(d, n, k - n);
        } else if (-6 < n && n <= 0) {
            sb.append("0.");
            for (int i = n; i < 0; i++) sb.append('0');
            sb.append(d, 0, k);
        } else {
            sb.append(d[0]);
            if (k > 1) sb.append('.').append(d, 1, k - 1);
            int e = n - 1;
            sb.append('e').append(e >= 0 ? '+' : '-').append(Math.abs(e));
        }
        return sb;
    }

    /** Replaces two digits d[0..2) by the closest one-digit decimal that reads back to a, if any; returns the length. */
    private static int oneDigit(double a, char[] d, int n) {
        java.math.BigDecimal exact = new java.math.BigDecimal(a);
        int best = -1;
        java.math.BigDecimal bestDist = null;
        for (int c = d[0] - '0'; c <= d[0] - '0' + 1; c++) {
            java.math.BigDecimal cand = java.math.BigDecimal.valueOf(c).scaleByPowerOfTen(n - 1);
            if (cand.doubleValue() != a) continue;
            java.math.BigDecimal dist = cand.subtract(exact).abs();
            if (bestDist == null || dist.compareTo(bestDist) < 0) {
                best = c;
                bestDist = dist;
            }
        }
        if (best < 0) return 2;
        d[0] = (char) ('0' + best % 10);
        return 1;
    }

    static String format(double v) {
        return append(new StringBuilder(24), v).toString();
    }
}
