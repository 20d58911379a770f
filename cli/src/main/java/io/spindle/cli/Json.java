package io.spindle.cli;

/** The few JSON pieces the commands print: strings and numbers (non-finite numbers become null). */
final class Json {
    private Json() {
    }

    static StringBuilder string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"');
    }

    static StringBuilder number(StringBuilder sb, double v) {
        return Double.isFinite(v) ? NumberText.append(sb, v) : sb.append("null");
    }

    /** Appends {@code "key":} and returns sb for the value. */
    static StringBuilder key(StringBuilder sb, String key) {
        return string(sb, key).append(':');
    }
}
