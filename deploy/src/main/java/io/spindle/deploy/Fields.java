package io.spindle.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields of one object of the document: each read names its path, wrong types and missing required fields
 * become problems, and {@link #finish()} reports every field nobody read as unknown.
 */
final class Fields {
    /** Fields wadm users write that Spindle spells differently: the hint for each. */
    private static final Map<String, String> HINTS = Map.of(
            "replicas", "use instances",
            "source_config", "use source: {config: [...]}",
            "target_config", "use target: {name: ..., config: [...]}",
            "contract", "a capability is named by its image alone",
            "link_name", "use the link trait's name");

    private final JsonNode node;
    private final String path;
    private final List<Problem> out;
    private final Set<String> read = new HashSet<>();

    private Fields(JsonNode node, String path, List<Problem> out) {
        this.node = node;
        this.path = path;
        this.out = out;
    }

    /** The fields of node at path, or null (with a problem) when node is not an object. */
    static Fields of(JsonNode node, String path, List<Problem> out) {
        if (node == null || !node.isObject()) {
            out.add(new Problem(path, "expected an object, found " + kind(node)));
            return null;
        }
        return new Fields(node, path, out);
    }

    /** The object's keys in document order. */
    List<String> keys() {
        List<String> l = new ArrayList<>();
        node.fieldNames().forEachRemaining(l::add);
        return l;
    }

    String path() {
        return path;
    }

    String pathOf(String key) {
        return Paths.field(path, key);
    }

    /** The raw value of key (marked read), or null when absent; a required absent key is a problem. */
    JsonNode get(String key, boolean required) {
        read.add(key);
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            if (required) out.add(new Problem(pathOf(key), "is required" + (v != null ? " (found null)" : "")));
            return null;
        }
        return v;
    }

    String string(String key, boolean required) {
        JsonNode v = get(key, required);
        if (v == null) return null;
        if (!v.isTextual()) {
            out.add(new Problem(pathOf(key), "expected a string, found " + kind(v) + quoteHint(v)));
            return null;
        }
        if (v.asText().isBlank()) {
            out.add(new Problem(pathOf(key), "is empty"));
            return null;
        }
        return v.asText();
    }

    /** An integer, or defaultValue when absent or wrong (a wrong one is a problem). */
    long integer(String key, boolean required, long defaultValue) {
        JsonNode v = get(key, required);
        if (v == null) return defaultValue;
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            out.add(new Problem(pathOf(key), "expected an integer, found " + kind(v)
                    + (v.isTextual() ? " " + Paths.quote(v.asText()) : v.isNumber() ? " " + v.asText() : "")));
            return defaultValue;
        }
        return v.asLong();
    }

    /** A map of strings to strings (empty when absent). */
    Map<String, String> stringMap(String key, boolean required) {
        JsonNode v = get(key, required);
        Map<String, String> m = new LinkedHashMap<>();
        if (v == null) return m;
        if (!v.isObject()) {
            out.add(new Problem(pathOf(key), "expected an object of strings, found " + kind(v)));
            return m;
        }
        for (var e : v.properties()) {
            JsonNode x = e.getValue();
            if (!x.isTextual()) {
                out.add(new Problem(Paths.field(pathOf(key), e.getKey()), "expected a string, found " + kind(x) + quoteHint(x)));
            } else {
                m.put(e.getKey(), x.asText());
            }
        }
        return m;
    }

    /** The elements of an array with their paths (empty when absent or not an array). */
    List<Element> array(String key, boolean required) {
        JsonNode v = get(key, required);
        List<Element> l = new ArrayList<>();
        if (v == null) return l;
        if (!v.isArray()) {
            out.add(new Problem(pathOf(key), "expected a list, found " + kind(v)));
            return l;
        }
        for (int i = 0; i < v.size(); i++) l.add(new Element(v.get(i), Paths.index(pathOf(key), i)));
        return l;
    }

    /** The nested object at key, or null (a problem when present but not an object, or required and absent). */
    Fields object(String key, boolean required) {
        JsonNode v = get(key, required);
        return v == null ? null : of(v, pathOf(key), out);
    }

    /** Reports every field not read. */
    void finish() {
        for (var e : node.properties()) {
            if (read.contains(e.getKey())) continue;
            String hint = HINTS.get(e.getKey());
            out.add(new Problem(pathOf(e.getKey()), "unknown field" + (hint != null ? " (" + hint + ")" : "")
                    + (read.isEmpty() ? "" : "; known here: " + String.join(", ", read.stream().sorted().toList()))));
        }
    }

    /** One element of a list. */
    record Element(JsonNode node, String path) {
    }

    static String kind(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) return "nothing";
        if (v.isObject()) return "an object";
        if (v.isArray()) return "a list";
        if (v.isTextual()) return "a string";
        if (v.isBoolean()) return "a boolean";
        if (v.isNumber()) return "a number";
        return v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }

    private static String quoteHint(JsonNode v) {
        return v.isNumber() || v.isBoolean() ? " (quote it: '" + v.asText() + "')" : "";
    }
}
