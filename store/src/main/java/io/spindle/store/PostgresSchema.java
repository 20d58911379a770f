package io.spindle.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The PostgreSQL schema: the tables of {@link StoreSql} in a schema of their own, points, raw chunks and events
 * partitioned by time range (partitions made on demand by {@link PostgresPartitions}), and a meta table holding the
 * schema version and the partition span, which is fixed when the schema is created.
 */
final class PostgresSchema {
    static final int VERSION = 1;

    private PostgresSchema() {
    }

    /** Creates the schema and its tables when absent, else checks them; returns the partition span in use. */
    static long createOrCheck(DbConn c, String schema, StoreConfig cfg, String location) throws SQLException {
        String p = quote(schema) + ".";
        boolean done = false;
        try {
            // one creator at a time, whatever other host opens the same schema now
            PreparedStatement lock = c.connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))");
            lock.setString(1, "spindle.schema." + schema);
            lock.execute();
            lock.close();
            c.exec("CREATE SCHEMA IF NOT EXISTS " + quote(schema));
            long span;
            if (!exists(c, p + "meta")) {
                if (exists(c, p + "points") || exists(c, p + "series"))
                    throw new StoreException(location + ": schema '" + schema + "' has Spindle-like tables but no meta table; refusing to use it");
                span = cfg.partitionSpanNanos();
                c.exec("CREATE TABLE " + p + "meta (key text PRIMARY KEY, value text NOT NULL)");
                c.exec("INSERT INTO " + p + "meta VALUES ('schema_version', '" + VERSION + "'), ('partition_span_ns', '" + span + "')");
                c.exec("CREATE TABLE " + p + "series (id serial PRIMARY KEY, name text NOT NULL UNIQUE)");
                c.exec("CREATE TABLE " + p + "stats (series int NOT NULL, tier smallint NOT NULL, n bigint NOT NULL,"
                        + " bytes bigint NOT NULL, first_t bigint, last_t bigint, max_last_t bigint, max_span bigint NOT NULL DEFAULT 0,"
                        + " PRIMARY KEY (series, tier))");
                c.exec("CREATE TABLE " + p + "points (series int NOT NULL, tier smallint NOT NULL, t bigint NOT NULL,"
                        + " v double precision NOT NULL, PRIMARY KEY (series, tier, t)) PARTITION BY RANGE (t)");
                c.exec("CREATE TABLE " + p + "raw_chunks (series int NOT NULL, first_t bigint NOT NULL, last_t bigint NOT NULL,"
                        + " n int NOT NULL, data bytea NOT NULL, PRIMARY KEY (series, first_t)) PARTITION BY RANGE (first_t)");
                // chunks are already compressed: keep TOAST from trying again
                c.exec("ALTER TABLE " + p + "raw_chunks ALTER COLUMN data SET STORAGE EXTERNAL");
                c.exec("CREATE TABLE " + p + "events (series int NOT NULL, t bigint NOT NULL, value text NOT NULL,"
                        + " PRIMARY KEY (series, t)) PARTITION BY RANGE (t)");
                c.exec("CREATE TABLE " + p + "state (key text PRIMARY KEY, value bytea NOT NULL)");
            } else {
                String version = meta(c, p, "schema_version");
                int v;
                try {
                    v = Integer.parseInt(version == null ? "" : version.trim());
                } catch (NumberFormatException e) {
                    throw new StoreException(location + ": schema '" + schema + "' has an unreadable schema_version '" + version + "'");
                }
                if (v > VERSION)
                    throw new StoreException(location + ": schema '" + schema + "' has store schema version " + v
                            + ", newer than this build reads (" + VERSION + "); open it with a newer Spindle");
                if (v < 1) throw new StoreException(location + ": schema '" + schema + "' has unknown schema version " + v);
                String s = meta(c, p, "partition_span_ns");
                try {
                    span = Long.parseLong(s == null ? "" : s.trim());
                } catch (NumberFormatException e) {
                    throw new StoreException(location + ": schema '" + schema + "' has an unreadable partition_span_ns '" + s + "'");
                }
                if (span < 1_000_000_000L)
                    throw new StoreException(location + ": schema '" + schema + "' has partition_span_ns " + span + ", below one second");
            }
            c.connection.commit();
            done = true;
            return span;
        } finally {
            if (!done) {
                try {
                    c.connection.rollback();
                } catch (SQLException ignored) {
                    // the original failure is what matters
                }
            }
        }
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static boolean exists(DbConn c, String qualified) throws SQLException {
        try (PreparedStatement ps = c.connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, qualified);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static String meta(DbConn c, String p, String key) throws SQLException {
        try (PreparedStatement ps = c.connection.prepareStatement("SELECT value FROM " + p + "meta WHERE key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
