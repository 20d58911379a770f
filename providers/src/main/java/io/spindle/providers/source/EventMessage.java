package io.spindle.providers.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;

/**
 * A change-only, non-numeric value of a series as it travels on {@code <events-prefix>.<series>}: UTF-8 JSON
 * {@code {"series": s, "t": epoch-ns, "value": text}}. Events are rare (state changes), so readability wins over size.
 */
public record EventMessage(String series, long tNanos, String value) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The message body. */
    public byte[] encode() {
        var o = MAPPER.createObjectNode();
        o.put("series", series);
        o.put("t", tNanos);
        o.put("value", value);
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Decodes a body; IllegalArgumentException naming what is wrong. */
    public static EventMessage decode(byte[] body) {
        JsonNode n;
        try {
            n = MAPPER.readTree(body);
        } catch (Exception e) {
            throw new IllegalArgumentException("event is not JSON: " + e.getMessage());
        }
        if (n == null || !n.isObject()) throw new IllegalArgumentException("event is not a JSON object");
        JsonNode s = n.get("series"), t = n.get("t"), v = n.get("value");
        if (s == null || !s.isTextual() || s.asText().isEmpty()) throw new IllegalArgumentException("event has no series");
        if (t == null || !t.canConvertToLong()) throw new IllegalArgumentException("event of " + s.asText() + " has no integer t");
        if (v == null || !v.isTextual()) throw new IllegalArgumentException("event of " + s.asText() + " has no text value");
        return new EventMessage(s.asText(), t.asLong(), v.asText());
    }
}
