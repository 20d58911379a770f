package io.spindle.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The SQLite schema, versioned by {@code PRAGMA user_version} and marked by {@code PRAGMA application_id}, so a
 * store refuses a file written by a newer Spindle or one that is not a Spindle store at all.
 */
final class SqliteSchema {
    /** 'SPND': marks the file as a Spindle store. */
    static final int APPLICATION_ID = 0x53504E44;
    static final int VERSION = 1;

    private static final String[] CREATE = {
        "CREATE TABLE series (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)",
        "CREATE TABLE stats (series INTEGER NOT NULL, tier INTEGER NOT NULL, n INTEGER NOT NULL, bytes INTEGER NOT NULL,"
            + " first_t INTEGER, last_t INTEGER, max_last_t INTEGER, max_span INTEGER NOT NULL DEFAULT 0,"
            + " PRIMARY KEY (series, tier)) WITHOUT ROWID",
        // v NULL stands for NaN, which SQLite cannot keep in a REAL
        "CREATE TABLE points (series INTEGER NOT NULL, tier INTEGER NOT NULL, t INTEGER NOT NULL, v REAL,"
            + " PRIMARY KEY (series, tier, t)) WITHOUT ROWID",
        // a rowid table: chunk blobs are kilobytes, which WITHOUT ROWID tables store badly
        "CREATE TABLE raw_chunks (series INTEGER NOT NULL, first_t INTEGER NOT NULL, last_t INTEGER NOT NULL,"
            + " n INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (series, first_t))",
        "CREATE TABLE events (series INTEGER NOT NULL, t INTEGER NOT NULL, value TEXT NOT NULL, PRIMARY KEY (series, t))",
        "CREATE TABLE state (key TEXT PRIMARY KEY, value BLOB NOT NULL)",
    };

    private SqliteSchema() {
    }

    /** Creates the schema in an empty file, or checks that the file holds a store this build reads. */
    static void createOrCheck(DbConn c, String location) throws SQLException {
        c.exec("BEGIN IMMEDIATE");
        boolean done = false;
        try {
            int appId = pragmaInt(c, "application_id");
            int version = pragmaInt(c, "user_version");
            int objects;
            try (Statement st = c.connection.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM sqlite_master")) {
                rs.next();
                objects = rs.getInt(1);
            }
            if (appId == 0 && version == 0 && objects == 0) {
                for (String ddl : CREATE) c.exec(ddl);
                c.exec("PRAGMA application_id = " + APPLICATION_ID);
                c.exec("PRAGMA user_version = " + VERSION);
            } else if (appId != APPLICATION_ID) {
                throw new StoreException(location + ": not a Spindle store (SQLite application_id 0x"
                        + Integer.toHexString(appId) + ", " + objects + " schema objects); refusing to use it");
            } else if (version > VERSION) {
                throw new StoreException(location + ": store schema version " + version
                        + " is newer than this build reads (" + VERSION + "); open it with a newer Spindle");
            } else if (version < 1) {
                throw new StoreException(location + ": store schema version " + version + " is unknown");
            }
            c.exec("COMMIT");
            done = true;
        } finally {
            if (!done) {
                try {
                    c.exec("ROLLBACK");
                } catch (SQLException ignored) {
                    // the original failure is what matters
                }
            }
        }
    }

    static int pragmaInt(DbConn c, String pragma) throws SQLException {
        try (Statement st = c.connection.createStatement(); ResultSet rs = st.executeQuery("PRAGMA " + pragma)) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }
}
