package io.spindle.sources.mqtt;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Reads plain JSON payloads of the configured topics, in two shapes:
 * <ul>
 *   <li>{@code {"v": <value>, "t": <time>}} ("t" optional; no other keys): series = the topic;</li>
 *   <li>{@code {"<key>": <value>, ..., "timestamp": <time>}} ("timestamp" optional): series = topic/key, nested
 *       objects flattened with '/' (topic/outer/inner).</li>
 * </ul>
 * Values: numbers become samples, booleans samples 0/1, strings change-only events, arrays events of their JSON text,
 * null a stale mark. Times: epoch milliseconds (fractions kept to the nanosecond) or ISO-8601 with an offset; without
 * one, the time of receipt.
 */
final class JsonTopicHandler {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS) // exact fractional millisecond times
        .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
        .build();
    private static final BigDecimal MIN_MS = BigDecimal.valueOf(Long.MIN_VALUE / 1_000_000L);
    private static final BigDecimal MAX_MS = BigDecimal.valueOf(Long.MAX_VALUE / 1_000_000L);

    private final Emitter out;
    private final LongSupplier wallMillis;
    private final Set<String> numericSeries = new HashSet<>();

    JsonTopicHandler(Emitter out, LongSupplier wallMillis) {
        this.out = out;
        this.wallMillis = wallMillis;
    }

    /** The broker connection is gone: the numeric series seen so far are stale until their topics publish again. */
    void connectionLost(long tNanos) {
        for (String series : numericSeries) out.stale(series, tNanos);
        numericSeries.clear();
    }

    /** Handles one message of a JSON topic. */
    void onMessage(String topic, byte[] bytes) {
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            out.reject(topic, "malformed JSON (" + bytes.length + " bytes): " + e.getOriginalMessage());
            return;
        } catch (java.io.IOException e) {
            out.reject(topic, "unreadable JSON: " + e.getMessage());
            return;
        }
        if (root == null || root.isMissingNode()) {
            out.reject(topic, "empty payload: expected a JSON object");
            return;
        }
        if (!root.isObject()) {
            out.reject(topic, "payload must be a JSON object, got " + root.getNodeType());
            return;
        }
        if (root.has("v") && onlyKeys(root, "v", "t")) {
            long t;
            try {
                t = time(root.get("t"));
            } catch (IllegalArgumentException e) {
                out.reject(topic, "\"t\": " + e.getMessage());
                return;
            }
            JsonNode v = root.get("v");
            if (v.isObject()) {
                out.reject(topic, "\"v\" must be a number, boolean, string, array or null, got an object");
                return;
            }
            value(topic, topic, v, t);
            return;
        }
        long t;
        try {
            t = time(root.get("timestamp"));
        } catch (IllegalArgumentException e) {
            out.reject(topic, "\"timestamp\": " + e.getMessage());
            return;
        }
        fields(topic, topic, root, t);
    }

    private void fields(String topic, String prefix, JsonNode object, long t) {
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            if (prefix.equals(topic) && e.getKey().equals("timestamp")) continue;
            String series = prefix + '/' + e.getKey();
            if (e.getValue().isObject()) fields(topic, series, e.getValue(), t);
            else value(topic, series, e.getValue(), t);
        }
    }

    private void value(String topic, String series, JsonNode v, long t) {
        if (v.isNumber()) {
            double d = v.doubleValue();
            if (!Double.isFinite(d)) {
                out.reject(topic, series + ": " + v.asText() + " is beyond the range of a double");
                return;
            }
            sample(series, t, d);
        } else if (v.isBoolean()) {
            sample(series, t, v.booleanValue() ? 1 : 0);
        } else if (v.isTextual()) {
            out.event(series, t, v.textValue());
        } else if (v.isNull()) {
            out.stale(series, t);
        } else if (v.isArray()) {
            out.event(series, t, v.toString());
        } else {
            out.reject(topic, series + ": unsupported JSON value " + v.getNodeType());
        }
    }

    private void sample(String series, long t, double v) {
        out.sample(series, t, v);
        numericSeries.add(series);
    }

    /** Epoch nanoseconds of a time field, the time of receipt when absent. */
    private long time(JsonNode node) {
        if (node == null) return wallMillis.getAsLong() * 1_000_000L;
        if (node.isNumber()) {
            BigDecimal ms = node.decimalValue();
            if (ms.compareTo(MIN_MS) < 0 || ms.compareTo(MAX_MS) > 0) {
                throw new IllegalArgumentException(node.asText() + " ms is outside the range of epoch nanoseconds");
            }
            try {
                return ms.movePointRight(6).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(node.asText() + " ms is outside the range of epoch nanoseconds");
            }
        }
        if (node.isTextual()) {
            Instant i;
            try {
                i = OffsetDateTime.parse(node.textValue()).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + node.textValue()
                    + "' is not ISO-8601 with an offset (e.g. 2024-05-01T12:00:00.250Z)");
            }
            try {
                return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("'" + node.textValue() + "' is outside the range of epoch nanoseconds");
            }
        }
        throw new IllegalArgumentException("must be epoch milliseconds or an ISO-8601 string, got " + node.getNodeType());
    }

    private static boolean onlyKeys(JsonNode object, String a, String b) {
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            String k = e.getKey();
            if (!k.equals(a) && !k.equals(b)) return false;
        }
        return true;
    }
}
