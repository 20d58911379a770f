package io.spindle.http;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;

/** A response body written as JSON into memory, with epoch-ns times written as exact decimal epoch milliseconds. */
final class JsonOut {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(8192);
    private final char[] num = new char[40];
    final JsonGenerator g;

    JsonOut() {
        try {
            g = JsonBody.MAPPER.getFactory().createGenerator(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes epoch ns as epoch milliseconds with up to six decimals ("1700000000000.123456"), exactly, without allocating. */
    void timeMs(long ns) throws IOException {
        if (ns == Long.MIN_VALUE) {
            g.writeNumber(new BigDecimal(ns).movePointLeft(6));
            return;
        }
        boolean neg = ns < 0;
        long a = neg ? -ns : ns;
        long ms = a / 1_000_000L;
        int rem = (int) (a % 1_000_000L);
        int p = 0;
        if (neg) num[p++] = '-';
        int start = p;
        do {
            num[p++] = (char) ('0' + ms % 10);
            ms /= 10;
        } while (ms > 0);
        for (int i = start, j = p - 1; i < j; i++, j--) {
            char c = num[i];
            num[i] = num[j];
            num[j] = c;
        }
        if (rem != 0) {
            num[p++] = '.';
            for (int d = 100_000; rem != 0; d /= 10) {
                num[p++] = (char) ('0' + rem / d);
                rem %= d;
            }
        }
        g.writeNumber(num, 0, p);
    }

    /** Writes a sample value; a non-finite one (never produced by the planner) as null. */
    void value(double v) throws IOException {
        if (Double.isFinite(v)) g.writeNumber(v);
        else g.writeNull();
    }

    /** The finished document. */
    byte[] finish() throws IOException {
        g.close();
        return bytes.toByteArray();
    }
}
