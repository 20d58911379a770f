package io.spindle.store;

import java.util.ArrayList;
import java.util.List;

/** JDBC URL helpers: credentials out of messages, and our own query parameters out of what the driver sees. */
final class JdbcUrls {
    private JdbcUrls() {
    }

    /** url without a password or user (in the authority or the query), for messages and {@code location()}. */
    static String redact(String url) {
        String s = url.replaceAll("//[^/@?#]*@", "//");
        int q = s.indexOf('?');
        if (q < 0) return s;
        List<String> kept = new ArrayList<>();
        for (String kv : s.substring(q + 1).split("&")) {
            String k = kv.contains("=") ? kv.substring(0, kv.indexOf('=')) : kv;
            if (!k.equalsIgnoreCase("password") && !k.equalsIgnoreCase("user") && !k.isEmpty()) kept.add(kv);
        }
        return s.substring(0, q) + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
    }

    /** The value of query parameter key in url, or null. */
    static String param(String url, String key) {
        int q = url.indexOf('?');
        if (q < 0) return null;
        for (String kv : url.substring(q + 1).split("&")) {
            int eq = kv.indexOf('=');
            String k = eq < 0 ? kv : kv.substring(0, eq);
            if (k.equals(key)) return eq < 0 ? "" : java.net.URLDecoder.decode(kv.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
        }
        return null;
    }

    /** url without query parameter key (every occurrence). */
    static String without(String url, String key) {
        int q = url.indexOf('?');
        if (q < 0) return url;
        List<String> kept = new ArrayList<>();
        for (String kv : url.substring(q + 1).split("&")) {
            int eq = kv.indexOf('=');
            String k = eq < 0 ? kv : kv.substring(0, eq);
            if (!k.equals(key) && !kv.isEmpty()) kept.add(kv);
        }
        return url.substring(0, q) + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
    }
}
