package io.spindle.deploy;

import java.util.regex.Pattern;

/** Builds the document paths problems name: {@code a.b[2].c}, or {@code a["odd key"]} for keys that need quoting. */
final class Paths {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_-]+");

    private Paths() {
    }

    static String field(String path, String key) {
        if (PLAIN.matcher(key).matches()) return path.isEmpty() ? key : path + "." + key;
        return path + "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
    }

    static String index(String path, int i) {
        return path + "[" + i + "]";
    }

    /** A value quoted for a message, cut at 80 characters. */
    static String quote(String s) {
        if (s == null) return "null";
        return "'" + (s.length() > 80 ? s.substring(0, 80) + "..." : s) + "'";
    }
}
