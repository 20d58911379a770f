package io.spindle.sources.shdr;

import java.time.DateTimeException;
import java.time.LocalDate;

/** ISO-8601 timestamps as SHDR adapters write them, to epoch nanoseconds without allocating, and back. */
public final class IsoInstant {
    /** Returned for text that is not a timestamp. */
    public static final long INVALID = Long.MIN_VALUE;

    private IsoInstant() {
    }

    /**
     * Parses {@code YYYY-MM-DDTHH:MM:SS[.fraction][Z|±HH:MM]} in s[from, to); no zone means UTC, digits past the
     * ninth fractional digit are dropped. Returns {@link #INVALID} for anything else.
     */
    public static long parseNanos(String s, int from, int to) {
        if (to - from < 19) return INVALID;
        int year = digits(s, from, 4), month = digits(s, from + 5, 2), day = digits(s, from + 8, 2);
        int hour = digits(s, from + 11, 2), minute = digits(s, from + 14, 2), second = digits(s, from + 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return INVALID;
        if (s.charAt(from + 4) != '-' || s.charAt(from + 7) != '-' || s.charAt(from + 13) != ':'
                || s.charAt(from + 16) != ':') return INVALID;
        char sep = s.charAt(from + 10);
        if (sep != 'T' && sep != 't' && sep != ' ') return INVALID;
        if (hour > 23 || minute > 59 || second > 59) return INVALID;
        int i = from + 19;
        long nanos = 0;
        if (i < to && s.charAt(i) == '.') {
            i++;
            int start = i;
            long scale = 100_000_000L;
            while (i < to && isDigit(s.charAt(i))) {
                if (scale > 0) nanos += (s.charAt(i) - '0') * scale;
                scale /= 10;
                i++;
            }
            if (i == start) return INVALID;
        }
        long offsetSeconds = 0;
        if (i < to) {
            char z = s.charAt(i);
            if ((z == 'Z' || z == 'z') && i + 1 == to) {
                i++;
            } else if ((z == '+' || z == '-') && to - i == 6 && s.charAt(i + 3) == ':') {
                int oh = digits(s, i + 1, 2), om = digits(s, i + 4, 2);
                if (oh < 0 || om < 0 || oh > 23 || om > 59) return INVALID;
                offsetSeconds = (z == '+' ? 1 : -1) * (oh * 3600L + om * 60L);
                i = to;
            } else {
                return INVALID;
            }
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return INVALID;
        }
        long seconds = epochDay * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
        try { // epoch nanoseconds in a long reach from 1677 to 2262
            if (seconds < 0 && nanos > 0) { // borrow a second so the product stays in range near the lower bound
                seconds++;
                nanos -= 1_000_000_000L;
            }
            return Math.addExact(Math.multiplyExact(seconds, 1_000_000_000L), nanos);
        } catch (ArithmeticException e) {
            return INVALID;
        }
    }

    /**
     * Appends epochNanos as {@code YYYY-MM-DDTHH:MM:SS.fffffffZ} in UTC: seven fractional digits (the adapters' usual
     * 100 ns resolution) when they are exact, else nine; {@link #parseNanos} reads it back to the same value.
     */
    public static StringBuilder format(long epochNanos, StringBuilder out) {
        long seconds = Math.floorDiv(epochNanos, 1_000_000_000L);
        int nanos = (int) Math.floorMod(epochNanos, 1_000_000_000L);
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400L));
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        pad(out, date.getYear(), 4).append('-');
        pad(out, date.getMonthValue(), 2).append('-');
        pad(out, date.getDayOfMonth(), 2).append('T');
        pad(out, secondOfDay / 3600, 2).append(':');
        pad(out, secondOfDay / 60 % 60, 2).append(':');
        pad(out, secondOfDay % 60, 2).append('.');
        if (nanos % 100 == 0) pad(out, nanos / 100, 7);
        else pad(out, nanos, 9);
        return out.append('Z');
    }

    private static StringBuilder pad(StringBuilder out, int value, int width) {
        int div = 1;
        for (int i = 1; i < width; i++) div *= 10;
        for (; div > 0; div /= 10) out.append((char) ('0' + value / div % 10));
        return out;
    }

    private static int digits(String s, int at, int count) {
        int v = 0;
        for (int i = at; i < at + count; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
