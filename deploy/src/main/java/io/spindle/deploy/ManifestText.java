package io.spindle.deploy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.List;

/**
 * A manifest's text as a tree: JSON when it starts with '{', YAML otherwise. Duplicate keys, a second document
 * and syntax errors are one problem each, with line and column.
 */
final class ManifestText {
    /** Deeper nesting than any manifest needs: refused before it can exhaust the stack. */
    private static final StreamReadConstraints LIMITS = StreamReadConstraints.builder().maxNestingDepth(64)
            .maxStringLength(1 << 20).build();
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder().streamReadConstraints(LIMITS)
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder().streamReadConstraints(LIMITS)
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    private ManifestText() {
    }

    /** True when the text is JSON rather than YAML. */
    static boolean isJson(String text) {
        return text.stripLeading().startsWith("{");
    }

    /** The tree, or null with one problem added. */
    static JsonNode parse(String text, List<Problem> out) {
        boolean json = isJson(text);
        String format = json ? "JSON" : "YAML";
        try (JsonParser p = json ? JSON.createParser(text) : new NoAliases((YAMLParser) YAML.createParser(text))) {
            JsonNode root = (json ? JSON : YAML).readTree(p);
            if (root == null || root.isMissingNode() || root.isNull()) {
                out.add(new Problem("", "the document is empty"));
                return null;
            }
            if (p.nextToken() != null) {
                JsonLocation at = p.currentTokenLocation();
                out.add(new Problem("", format + " has more than one document (the second starts at line "
                        + at.getLineNr() + "): put one application in a file"));
                return null;
            }
            return root;
        } catch (JsonProcessingException e) {
            out.add(new Problem("", malformed(format, e)));
            return null;
        } catch (IOException | RuntimeException e) { // snakeyaml's own limits (aliases, depth) surface as runtime errors
            out.add(new Problem("", "malformed " + format + ": " + firstLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())));
            return null;
        }
    }

    /**
     * Refuses YAML aliases: Jackson reads {@code *name} as the string "name", which would silently misread the
     * manifest (and expanding them is how alias bombs work).
     */
    private static final class NoAliases extends JsonParserDelegate {
        private final YAMLParser yaml;

        NoAliases(YAMLParser yaml) {
            super(yaml);
            this.yaml = yaml;
        }

        @Override
        public JsonToken nextToken() throws IOException {
            JsonToken t = super.nextToken();
            if (yaml.isCurrentAlias())
                throw new JsonParseException(this, "alias *" + yaml.getText() + " is not supported: write the value out");
            return t;
        }

        @Override
        public JsonToken nextValue() throws IOException {
            JsonToken t = nextToken();
            return t == JsonToken.FIELD_NAME ? nextToken() : t;
        }

        @Override
        public String nextFieldName() throws IOException {
            return nextToken() == JsonToken.FIELD_NAME ? currentName() : null;
        }

        @Override
        public boolean nextFieldName(SerializableString name) throws IOException {
            return nextToken() == JsonToken.FIELD_NAME && name.getValue().equals(currentName());
        }

        @Override
        public String nextTextValue() throws IOException {
            return nextToken() == JsonToken.VALUE_STRING ? getText() : null;
        }
    }

    private static String malformed(String format, JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at != null && at.getLineNr() > 0 ? " at line " + at.getLineNr() + ", column " + at.getColumnNr() : "";
        return "malformed " + format + where + ": " + firstLine(e.getOriginalMessage());
    }

    private static String firstLine(String s) {
        if (s == null) return "unreadable";
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
