package io.spindle.lattice;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;

/** The lattice's JSON: snake_case fields, unknown fields refused (a typo is an error, not a silent default). */
public final class Json {
    /** Shared, thread-safe mapper. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private Json() {
    }

    /** Serialises a value (records, maps, lists). */
    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialise " + value.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** Parses bytes as type; what names the input in the error ("link.put request"). */
    public static <T> T read(byte[] data, Class<T> type, String what) {
        try {
            T t = MAPPER.readValue(data, type);
            if (t == null) throw new IllegalArgumentException(what + ": empty JSON (null)");
            return t;
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " is not valid: " + describe(e), e);
        }
    }

    /** Parses bytes as a JSON tree. */
    public static JsonNode tree(byte[] data, String what) {
        try {
            return MAPPER.readTree(data);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " is not valid JSON: " + describe(e), e);
        }
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        int cut = m == null ? -1 : m.indexOf("\n at [Source");
        return cut > 0 ? m.substring(0, cut) : String.valueOf(m);
    }
}
