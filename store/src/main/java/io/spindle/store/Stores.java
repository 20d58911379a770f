package io.spindle.store;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;

/** Opens a store by URI: {@code sqlite:PATH}, a plain file path, or {@code jdbc:postgresql://...[?schema=NAME]}. */
public final class Stores {
    private Stores() {
    }

    /**
     * Opens the store at uri: {@code sqlite:/path/file.db}, {@code jdbc:sqlite:/path/file.db} or a plain path
     * (SQLite); {@code jdbc:postgresql://host[:port]/db?user=...} or {@code postgresql://...} (PostgreSQL; the
     * {@code schema} query parameter, else {@link StoreConfig#pgSchema()}, else "spindle", names the schema).
     */
    public static SeriesStore open(String uri, StoreConfig cfg) {
        if (cfg == null) cfg = StoreConfig.defaults();
        if (uri == null || uri.isBlank()) throw new StoreException("store URI is empty (expected sqlite:PATH, a file path, or jdbc:postgresql://...)");
        String u = uri.strip();
        String lower = u.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:postgresql:") || lower.startsWith("postgresql:") || lower.startsWith("postgres:")) {
            String jdbc = lower.startsWith("jdbc:") ? u : "jdbc:postgresql:" + u.substring(u.indexOf(':') + 1);
            String schema = JdbcUrls.param(jdbc, "schema");
            if (schema != null && schema.isEmpty())
                throw new StoreException(JdbcUrls.redact(jdbc) + ": the schema parameter is empty");
            return PostgresStore.open(JdbcUrls.without(jdbc, "schema"), schema, cfg);
        }
        String path;
        if (lower.startsWith("jdbc:sqlite:")) path = u.substring("jdbc:sqlite:".length());
        else if (lower.startsWith("sqlite:")) path = u.substring("sqlite:".length());
        else if (u.matches("[A-Za-z][A-Za-z0-9+.-]+:.*"))
            throw new StoreException("store URI '" + JdbcUrls.redact(u) + "': unknown scheme '" + u.substring(0, u.indexOf(':'))
                    + "' (expected sqlite:PATH, a file path, or jdbc:postgresql://...)");
        else path = u;
        if (path.startsWith("//")) path = path.substring(1); // sqlite:///abs/path
        if (path.isEmpty()) throw new StoreException("store URI '" + u + "': no file path after the scheme");
        if (path.equals(":memory:") || path.contains("mode=memory"))
            throw new StoreException("store URI '" + u + "': an in-memory SQLite database cannot be shared by the store's connections; give a file");
        try {
            return SqliteStore.open(Path.of(path), cfg);
        } catch (InvalidPathException e) {
            throw new StoreException("store URI '" + u + "': '" + path + "' is not a valid path: " + e.getReason(), e);
        }
    }
}
