package io.spindle.sources.shdr;

import java.util.HashMap;

/**
 * Parses SHDR (the MTConnect adapter protocol) one text line at a time and reports typed items to a listener; it does
 * no I/O, so a file, a replay or a TCP stream can feed it alike.
 * <ul>
 *   <li>{@code timestamp|key|value|key|value...}: a numeric value is a sample of series {@code "<device>/<key>"}
 *       (device from a {@code device:key} prefix, else the reader's default); {@code UNAVAILABLE} and any other text
 *       are change-only items (a repeat of the series' last non-numeric value is dropped and counted).</li>
 *   <li>Conditions take five fields, {@code key|level|nativeCode|nativeSeverity|qualifier|message}. Without the
 *       device model a key is read as a condition when its level is NORMAL, WARNING, FAULT or UNAVAILABLE, four
 *       more fields follow, and the key ends in "cond"/"condition", or the native code is empty, or the native
 *       severity is empty or an integer and the qualifier is empty, HIGH or LOW.</li>
 *   <li>Time series {@code key|count|rate|v1 v2 ...} expand to count samples {@code 1/rate} seconds apart, the last
 *       at the line's timestamp (MTConnect stamps a time series with its last value), handed over in one
 *       {@link ShdrListener#samples} call.</li>
 *   <li>Vectors such as {@code p1LPathPos|x y z} are not numbers: they pass through as events, unsplit.</li>
 *   <li>{@code @ASSET@}-style commands are counted and skipped, with the body of a {@code --multiline--XXXX} block.
 *       Lines starting with '*' (PING, PONG, adapter settings) are protocol items.</li>
 *   <li>A line that cannot be read is reported as {@link ShdrItem.Malformed} with its number and reason, and nothing
 *       of it is emitted; reading goes on. A number too large for a double (e.g. {@code 1e400}) is reported the same
 *       way, for that data item only. A data line stamped earlier than the data line before it counts as a
 *       backward step and is still delivered.</li>
 * </ul>
 * A reader may outlive a connection: {@link #end()} closes what the input left open and the next line starts afresh,
 * while the change-only memory stays, so a reconnected adapter's re-sent current values are not delivered twice.
 * Not thread-safe.
 */
public final class ShdrReader {
    private static final String UNAVAILABLE = "UNAVAILABLE";
    private static final String MULTILINE = "--multiline--";
    private static final byte PAIR = 0, CONDITION = 1, TIME_SERIES = 2;

    private final String defaultDevice;
    private final ShdrListener listener;
    private final HashMap<String, Series> series = new HashMap<>();

    private String[] fields = new String[32];
    private int fieldCount;
    private int[] itemAt = new int[16];
    private byte[] itemKind = new byte[16];
    private int items;
    private long[] seriesT = new long[64];
    private double[] seriesV = new double[64];

    // An open multiline asset block: the marker that ends it and the command that opened it.
    private String blockEnd;
    private long blockLine, blockT;
    private String blockCommand, blockArgument;
    private int blockBody;

    private String currentLine;
    private long lastT = Long.MIN_VALUE;
    private boolean anyData;
    private long lines, blank, dataLines, samples, numericSeries, events, repeated, unavailable, conditions,
            assetCommands, assetBodyLines, protocolLines, malformed, backwardSteps;

    private static final class Series {
        final String name;
        String last; // last non-numeric value, null after a sample
        boolean numeric;

        Series(String name) {
            this.name = name;
        }
    }

    /** A reader naming series without a device prefix {@code "<defaultDevice>/<key>"}. */
    public ShdrReader(String defaultDevice, ShdrListener listener) {
        if (defaultDevice == null || defaultDevice.isBlank()) throw new IllegalArgumentException("defaultDevice must not be blank");
        this.defaultDevice = defaultDevice;
        this.listener = listener;
    }

    /** Reads one line (without its line terminator; a trailing '\r' is ignored). */
    public void line(String text) {
        lines++;
        if (!text.isEmpty() && text.charAt(text.length() - 1) == '\r') text = text.substring(0, text.length() - 1);
        if (blockEnd != null) {
            if (text.strip().equals(blockEnd)) {
                blockEnd = null;
                listener.item(new ShdrItem.Asset(blockLine, blockT, blockCommand, blockArgument, blockBody));
            } else {
                blockBody++;
                assetBodyLines++;
            }
            return;
        }
        if (text.isBlank()) {
            blank++;
            return;
        }
        if (text.charAt(0) == '*') {
            protocol(text);
            return;
        }
        currentLine = text;
        split(text);
        String stamp = fields[0];
        int at = stamp.indexOf('@'); // an optional "@duration" follows the timestamp
        long t = IsoInstant.parseNanos(stamp, 0, at < 0 ? stamp.length() : at);
        if (t == IsoInstant.INVALID) {
            malformed(text, "bad timestamp '" + stamp + "'");
            return;
        }
        if (fieldCount < 2 || (fieldCount == 2 && fields[1].isEmpty())) {
            malformed(text, "no data items after the timestamp");
            return;
        }
        String first = fields[1];
        if (first.length() > 2 && first.charAt(0) == '@' && first.charAt(first.length() - 1) == '@') {
            asset(t, first);
            return;
        }
        String problem = layout();
        if (problem != null) {
            malformed(text, problem);
            return;
        }
        dataLines++;
        if (anyData && t < lastT) backwardSteps++;
        anyData = true;
        lastT = t;
        for (int k = 0; k < items; k++) {
            int i = itemAt[k];
            switch (itemKind[k]) {
                case PAIR -> pair(t, fields[i], fields[i + 1]);
                case CONDITION -> condition(t, i);
                default -> timeSeries(t, i);
            }
        }
    }

    /**
     * Ends the input (or one connection of it): an unterminated multiline block is reported as malformed. Reading may
     * go on afterwards with a fresh input.
     */
    public void end() {
        if (blockEnd != null) {
            malformed++;
            listener.item(new ShdrItem.Malformed(blockLine, blockCommand + "|" + blockArgument,
                    "multiline block not closed by " + blockEnd + " before the end of the input"));
            blockEnd = null;
        }
    }

    /** Lines read so far (the number of the last line). */
    public long lineNumber() {
        return lines;
    }

    /** Counters so far. */
    public ShdrStats stats() {
        return new ShdrStats(lines, blank, dataLines, samples, numericSeries, events, repeated, unavailable, conditions,
                assetCommands, assetBodyLines, protocolLines, malformed, backwardSteps);
    }

    private void split(String text) {
        fieldCount = 0;
        int from = 0;
        while (true) {
            int bar = text.indexOf('|', from);
            String f = (bar < 0 ? text.substring(from) : text.substring(from, bar)).strip();
            if (fieldCount == fields.length) fields = java.util.Arrays.copyOf(fields, fieldCount * 2);
            fields[fieldCount++] = f;
            if (bar < 0) return;
            from = bar + 1;
        }
    }

    /** Groups fields[1..] into items; returns why the line is malformed, or null. */
    private String layout() {
        items = 0;
        int i = 1;
        while (i < fieldCount) {
            String key = fields[i];
            if (key.isEmpty()) return "empty data item name in field " + (i + 1);
            if (i + 1 >= fieldCount) return "data item '" + key + "' has no value (odd number of fields)";
            byte kind;
            int width;
            if (isCondition(i)) {
                kind = CONDITION;
                width = 6;
            } else if (looksLikeTimeSeries(i)) {
                String problem = checkTimeSeries(i);
                if (problem != null) return problem;
                kind = TIME_SERIES;
                width = 4;
            } else {
                kind = PAIR;
                width = 2;
            }
            if (items == itemAt.length) {
                itemAt = java.util.Arrays.copyOf(itemAt, items * 2);
                itemKind = java.util.Arrays.copyOf(itemKind, items * 2);
            }
            itemAt[items] = i;
            itemKind[items++] = kind;
            i += width;
        }
        return null;
    }

    private boolean isCondition(int i) {
        if (i + 5 >= fieldCount) return false;
        String level = fields[i + 1];
        boolean unavailableLevel = level.equals(UNAVAILABLE);
        if (!unavailableLevel && !level.equals("NORMAL") && !level.equals("WARNING") && !level.equals("FAULT")) return false;
        String key = fields[i].toLowerCase(java.util.Locale.ROOT);
        if (key.endsWith("cond") || key.endsWith("condition")) return true;
        // An empty native code cannot be read as a key, so only the condition reading is valid.
        if (fields[i + 2].isEmpty()) return true;
        String severity = fields[i + 3], qualifier = fields[i + 4];
        boolean severityLike = true;
        for (int c = 0; c < severity.length(); c++) severityLike &= severity.charAt(c) >= '0' && severity.charAt(c) <= '9';
        return severityLike && (qualifier.isEmpty() || qualifier.equals("HIGH") || qualifier.equals("LOW"));
    }

    private boolean looksLikeTimeSeries(int i) {
        if (i + 3 >= fieldCount) return false;
        String count = fields[i + 1], rate = fields[i + 2], values = fields[i + 3];
        if (count.isEmpty() || count.length() > 9) return false;
        for (int c = 0; c < count.length(); c++) if (count.charAt(c) < '0' || count.charAt(c) > '9') return false;
        if (!rate.isEmpty() && !isDecimal(rate, 0, rate.length())) return false;
        int end = tokenEnd(values, 0);
        return end > 0 && isDecimal(values, 0, end);
    }

    private String checkTimeSeries(int i) {
        String key = fields[i];
        int count = Integer.parseInt(fields[i + 1]);
        String rate = fields[i + 2];
        if (rate.isEmpty()) return "time series '" + key + "' has no sample rate";
        double hz = Double.parseDouble(rate);
        if (!(hz > 0) || Double.isInfinite(hz)) return "time series '" + key + "' has sample rate " + rate + " (must be > 0)";
        String values = fields[i + 3];
        int n = 0, p = 0;
        while ((p = tokenStart(values, p)) < values.length()) {
            int e = tokenEnd(values, p);
            if (!isDecimal(values, p, e)) return "time series '" + key + "' has a non-numeric value '" + values.substring(p, e) + "'";
            n++;
            p = e;
        }
        if (n != count) return "time series '" + key + "' declares " + count + " values but has " + n;
        return null;
    }

    private void pair(long t, String key, String value) {
        Series s = series(key);
        if (value.equals(UNAVAILABLE)) {
            if (UNAVAILABLE.equals(s.last)) {
                repeated++;
                return;
            }
            s.last = UNAVAILABLE;
            unavailable++;
            listener.item(new ShdrItem.Unavailable(s.name, t));
        } else if (isDecimal(value, 0, value.length())) {
            double v = Double.parseDouble(value);
            if (Double.isInfinite(v)) {
                malformed(currentLine, "data item '" + key + "' has value '" + value + "' beyond the range of a double");
                return;
            }
            emitSample(s, t, v);
        } else {
            if (value.equals(s.last)) {
                repeated++;
                return;
            }
            s.last = value;
            events++;
            listener.item(new ShdrItem.Event(s.name, t, value));
        }
    }

    private void condition(long t, int i) {
        conditions++;
        listener.item(new ShdrItem.Condition(series(fields[i]).name, t, fields[i + 1], fields[i + 2], fields[i + 3],
                fields[i + 4], fields[i + 5]));
    }

    private void timeSeries(long t, int i) {
        int count = Integer.parseInt(fields[i + 1]);
        double stepNanos = 1e9 / Double.parseDouble(fields[i + 2]);
        String values = fields[i + 3];
        if (count > seriesT.length) {
            seriesT = new long[Math.max(count, seriesT.length * 2)];
            seriesV = new double[seriesT.length];
        }
        int p = 0;
        for (int k = 0; k < count; k++) {
            p = tokenStart(values, p);
            int e = tokenEnd(values, p);
            double v = Double.parseDouble(values.substring(p, e));
            if (Double.isInfinite(v)) {
                malformed(currentLine, "time series '" + fields[i] + "' has value '" + values.substring(p, e)
                        + "' beyond the range of a double");
                return;
            }
            seriesT[k] = t - Math.round((count - 1 - k) * stepNanos);
            seriesV[k] = v;
            p = e;
        }
        if (count == 0) return;
        Series s = series(fields[i]);
        markNumeric(s);
        samples += count;
        listener.samples(s.name, seriesT, seriesV, count);
    }

    private void emitSample(Series s, long t, double v) {
        markNumeric(s);
        samples++;
        listener.sample(s.name, t, v);
    }

    private void markNumeric(Series s) {
        if (!s.numeric) {
            s.numeric = true;
            numericSeries++;
        }
        s.last = null;
    }

    private Series series(String key) {
        Series s = series.get(key);
        if (s == null) {
            int colon = key.indexOf(':');
            String name = colon > 0 && colon < key.length() - 1
                    ? key.substring(0, colon) + "/" + key.substring(colon + 1)
                    : defaultDevice + "/" + key;
            s = new Series(name);
            series.put(key, s);
        }
        return s;
    }

    private void asset(long t, String command) {
        assetCommands++;
        String argument = fieldCount > 2 ? fields[2] : "";
        String last = fields[fieldCount - 1];
        if (fieldCount > 2 && last.startsWith(MULTILINE) && last.length() > MULTILINE.length()) {
            blockEnd = last;
            blockLine = lines;
            blockT = t;
            blockCommand = command;
            blockArgument = argument;
            blockBody = 0;
            return;
        }
        listener.item(new ShdrItem.Asset(lines, t, command, argument, 0));
    }

    private void protocol(String text) {
        protocolLines++;
        String body = text.substring(1).strip();
        String name, value;
        if (body.startsWith("PING") || body.startsWith("PONG")) {
            name = body.substring(0, 4);
            value = body.substring(4).strip();
        } else {
            int colon = body.indexOf(':');
            name = colon < 0 ? body : body.substring(0, colon).strip();
            value = colon < 0 ? "" : body.substring(colon + 1).strip();
        }
        listener.item(new ShdrItem.Protocol(lines, name, value));
    }

    private void malformed(String text, String reason) {
        malformed++;
        listener.item(new ShdrItem.Malformed(lines, text, reason));
    }

    private static int tokenStart(String s, int p) {
        while (p < s.length() && Character.isWhitespace(s.charAt(p))) p++;
        return p;
    }

    private static int tokenEnd(String s, int p) {
        while (p < s.length() && !Character.isWhitespace(s.charAt(p))) p++;
        return p;
    }

    /** A plain decimal number: optional sign, digits with an optional point, optional exponent. */
    static boolean isDecimal(String s, int from, int to) {
        int i = from;
        if (i < to && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
        int digits = 0;
        while (i < to && isDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (i < to && s.charAt(i) == '.') {
            i++;
            while (i < to && isDigit(s.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) return false;
        if (i < to && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < to && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
            int exp = 0;
            while (i < to && isDigit(s.charAt(i))) {
                i++;
                exp++;
            }
            if (exp == 0) return false;
        }
        return i == to;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
