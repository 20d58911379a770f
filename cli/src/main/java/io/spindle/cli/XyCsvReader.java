package io.spindle.cli;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads {@code x,y} lines (no header) into growable primitive columns with one pass over a byte buffer: no String per
 * line, no boxing. Blank lines, CR LF endings and spaces or tabs around fields are fine; anything else fails with
 * {@code <source>:<line>: <reason> ("<line text>")}. In the timed mode ({@link #readTimed}) x must be an integer (epoch
 * nanoseconds, read exactly into a long, not through a double).
 */
final class XyCsvReader {
    private static final int MAX_SHOWN = 120;

    private final InputStream in;
    private final String source;
    private final boolean integerX;
    private byte[] buf = new byte[1 << 16];
    private double[] xs;
    private long[] ts;
    private double[] ys = new double[1 << 12];
    private int n;
    private long line;
    private long firstDecrease = -1;

    private XyCsvReader(InputStream in, String source, boolean integerX) {
        this.in = in;
        this.source = source;
        this.integerX = integerX;
        if (integerX) ts = new long[1 << 12];
        else xs = new double[1 << 12];
    }

    /** Reads the whole stream; source names it in error messages (a file name or "stdin"). */
    static XySeries read(InputStream in, String source) throws IOException {
        XyCsvReader r = new XyCsvReader(in, source, false);
        r.readAll();
        return new XySeries(r.xs, r.ys, r.n, r.firstDecrease);
    }

    /** Reads the whole stream with x as integer nanoseconds; a non-integer x fails naming the line. */
    static TimedSeries readTimed(InputStream in, String source) throws IOException {
        XyCsvReader r = new XyCsvReader(in, source, true);
        r.readAll();
        return new TimedSeries(r.ts, r.ys, r.n, r.firstDecrease);
    }

    private void readAll() throws IOException {
        int start = 0, end = 0, scan = 0;
        while (true) {
            int nl = -1;
            for (int i = scan; i < end; i++) {
                if (buf[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            if (nl >= 0) {
                parseLine(start, nl);
                start = scan = nl + 1;
                continue;
            }
            // No complete line left: keep the partial one, make room, read more.
            if (start > 0) {
                System.arraycopy(buf, start, buf, 0, end - start);
                end -= start;
                start = 0;
            }
            if (end == buf.length) buf = Arrays.copyOf(buf, buf.length * 2);
            scan = end;
            int got = in.read(buf, end, buf.length - end);
            if (got < 0) {
                if (end > start) parseLine(start, end);
                return;
            }
            end += got;
        }
    }

    private void parseLine(int from, int to) {
        line++;
        while (from < to && isSpace(buf[from])) from++;
        while (to > from && isSpace(buf[to - 1])) to--;
        if (from == to) return;
        int comma = -1;
        for (int i = from; i < to; i++) {
            if (buf[i] == ',') {
                if (comma >= 0) throw fail(from, to, "extra column (expected exactly x,y)");
                comma = i;
            }
        }
        if (comma < 0) throw fail(from, to, "missing column (expected x,y)");
        if (integerX) {
            long t = integerField(from, comma, from, to);
            double y = field(comma + 1, to, from, to, "y");
            if (n == ys.length) grow();
            if (firstDecrease < 0 && n > 0 && t < ts[n - 1]) firstDecrease = line;
            ts[n] = t;
            ys[n++] = y;
            return;
        }
        double x = field(from, comma, from, to, "x");
        double y = field(comma + 1, to, from, to, "y");
        if (n == ys.length) grow();
        if (firstDecrease < 0 && n > 0 && x < xs[n - 1]) firstDecrease = line;
        xs[n] = x;
        ys[n++] = y;
    }

    private void grow() {
        if (n == Integer.MAX_VALUE - 8) throw new CliFailure(source + ":" + line, "too many points (more than " + n + ")");
        int cap = (int) Math.min(Integer.MAX_VALUE - 8L, n * 2L);
        if (integerX) ts = Arrays.copyOf(ts, cap);
        else xs = Arrays.copyOf(xs, cap);
        ys = Arrays.copyOf(ys, cap);
    }

    /**
     * An integer x: plain digits with an optional sign on the fast path; other spellings of an integer ("100.0",
     * "1e9", "1.7E18") are read exactly; fractions, NaN, infinities and values beyond int64 fail.
     */
    private long integerField(int from, int to, int lineFrom, int lineTo) {
        while (from < to && isSpace(buf[from])) from++;
        while (to > from && isSpace(buf[to - 1])) to--;
        if (from == to) throw fail(lineFrom, lineTo, "empty x value");
        int i = from;
        boolean neg = false;
        if (buf[i] == '+' || buf[i] == '-') {
            neg = buf[i] == '-';
            i++;
        }
        if (i < to && to - i <= 18) {
            long v = 0;
            int j = i;
            for (; j < to && buf[j] >= '0' && buf[j] <= '9'; j++) v = v * 10 + (buf[j] - '0');
            if (j == to) return neg ? -v : v;
        }
        String text = new String(buf, from, to - from, StandardCharsets.UTF_8);
        try {
            NumberText.parse(buf, from, to);
        } catch (NumberFormatException e) {
            throw fail(lineFrom, lineTo, "non-numeric x value '" + shorten(text) + "'");
        }
        BigDecimal d;
        try {
            d = new BigDecimal(text.startsWith("+") ? text.substring(1) : text);
        } catch (NumberFormatException | ArithmeticException e) { // NaN, Infinity, absurd exponents
            throw fail(lineFrom, lineTo, "x value '" + shorten(text) + "' is not an integer (x is integer nanoseconds here)");
        }
        if (d.signum() != 0 && d.stripTrailingZeros().scale() > 0)
            throw fail(lineFrom, lineTo, "x value '" + shorten(text) + "' is not an integer (x is integer nanoseconds here)");
        try {
            return d.longValueExact();
        } catch (ArithmeticException e) {
            throw fail(lineFrom, lineTo, "x value '" + shorten(text) + "' is outside the int64 range of nanoseconds");
        }
    }

    private double field(int from, int to, int lineFrom, int lineTo, String name) {
        while (from < to && isSpace(buf[from])) from++;
        while (to > from && isSpace(buf[to - 1])) to--;
        if (from == to) throw fail(lineFrom, lineTo, "empty " + name + " value");
        try {
            return NumberText.parse(buf, from, to);
        } catch (NumberFormatException e) {
            String text = new String(buf, from, to - from, StandardCharsets.UTF_8);
            throw fail(lineFrom, lineTo, "non-numeric " + name + " value '" + shorten(text) + "'");
        }
    }

    private CliFailure fail(int from, int to, String reason) {
        String text = new String(buf, from, to - from, StandardCharsets.UTF_8);
        return new CliFailure(source + ":" + line, reason + " (\"" + shorten(text) + "\")");
    }

    private static String shorten(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_SHOWN + 3));
        for (int i = 0; i < s.length() && b.length() < MAX_SHOWN; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        if (s.length() > MAX_SHOWN) b.append("...");
        return b.toString();
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\r';
    }
}
