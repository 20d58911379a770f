package io.spindle.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Reading typed fields out of a parsed request, each failure a 400 naming the field (as a JSON path) and the reason. */
final class Fields {
    private static final BigDecimal NANOS_PER_MS = BigDecimal.valueOf(1_000_000);
    private static final BigDecimal MIN_NS = BigDecimal.valueOf(Long.MIN_VALUE), MAX_NS = BigDecimal.valueOf(Long.MAX_VALUE);

    private Fields() {
    }

    static String kind(JsonNode n) {
        return n == null || n.isMissingNode() ? "nothing" : n.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    static JsonNode required(ObjectNode o, String field, String path) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) throw ApiError.badRequest("missing field " + path);
        return n;
    }

    static ObjectNode object(ObjectNode o, String field, String path) {
        JsonNode n = required(o, field, path);
        if (!(n instanceof ObjectNode x)) throw ApiError.badRequest(path + " must be an object, got " + kind(n));
        return x;
    }

    static ArrayNode array(ObjectNode o, String field, String path) {
        JsonNode n = required(o, field, path);
        if (!(n instanceof ArrayNode x)) throw ApiError.badRequest(path + " must be an array, got " + kind(n));
        return x;
    }

    /** A string field, or null when absent. */
    static String optText(ObjectNode o, String field, String path) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isTextual()) throw ApiError.badRequest(path + " must be a string, got " + kind(n));
        return n.textValue();
    }

    /** An integer field within [min, max], or null when absent. */
    static Long optLong(ObjectNode o, String field, String path, long min, long max) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isNumber()) throw ApiError.badRequest(path + " must be a number, got " + kind(n));
        BigDecimal d = n.decimalValue();
        if (d.signum() != 0 && d.stripTrailingZeros().scale() > 0) throw ApiError.badRequest(path + " must be a whole number, got " + n);
        if (d.compareTo(BigDecimal.valueOf(min)) < 0 || d.compareTo(BigDecimal.valueOf(max)) > 0)
            throw ApiError.badRequest(path + " is " + n + ", outside " + min + ".." + max);
        return d.longValueExact();
    }

    /** A boolean option given as JSON true/false or as the strings "true"/"false" (Grafana's builder sends strings). */
    static boolean flag(JsonNode n, String path) {
        if (n.isBoolean()) return n.booleanValue();
        if (n.isTextual()) {
            String s = n.textValue().strip().toLowerCase(Locale.ROOT);
            if (s.equals("true")) return true;
            if (s.equals("false") || s.isEmpty()) return false;
        }
        throw ApiError.badRequest(path + " must be true or false, got " + n);
    }

    /** A time as epoch ns: an ISO-8601 string ("2024-05-01T10:00:00.123Z", offsets allowed) or epoch milliseconds (fractions allowed). */
    static long timeNs(JsonNode n, String path) {
        if (n == null || n.isNull()) throw ApiError.badRequest("missing field " + path);
        if (n.isNumber()) return msToNs(n.decimalValue(), path);
        if (!n.isTextual()) throw ApiError.badRequest(path + " must be an ISO-8601 time or epoch milliseconds, got " + kind(n));
        String s = n.textValue().strip();
        Instant i;
        try {
            i = Instant.parse(s);
        } catch (DateTimeParseException e) {
            try {
                i = OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e2) {
                throw ApiError.badRequest(path + " '" + s + "' is not an ISO-8601 time (like 2024-05-01T10:00:00.000Z)");
            }
        }
        try {
            return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
        } catch (ArithmeticException e) {
            throw ApiError.badRequest(path + " '" + s + "' is outside the years 1677..2262 that epoch nanoseconds hold");
        }
    }

    /** Epoch milliseconds (possibly fractional) as epoch ns, exactly; 400 when out of range. */
    static long msToNs(BigDecimal ms, String path) {
        BigDecimal ns = ms.multiply(NANOS_PER_MS);
        if (ns.compareTo(MIN_NS) < 0 || ns.compareTo(MAX_NS) > 0)
            throw ApiError.badRequest(path + " " + ms + " ms is outside the range of epoch nanoseconds");
        return ns.setScale(0, java.math.RoundingMode.FLOOR).longValueExact();
    }

    /** A query parameter as epoch ns from decimal epoch milliseconds. */
    static long msParamToNs(String value, String name) {
        BigDecimal d;
        try {
            d = new BigDecimal(value.strip());
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("parameter " + name + " '" + value + "' is not a number of epoch milliseconds");
        }
        return msToNs(d, "parameter " + name);
    }
}
