package io.spindle.store;

import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;

/**
 * The embedded store: one SQLite file in WAL mode with {@code synchronous=NORMAL} (a commit survives a process
 * crash; an OS crash may lose the last commits, never corrupt the file). One writer connection takes the write lock
 * per commit ({@code BEGIN IMMEDIATE}); reads run on their own connections and see the last committed snapshot.
 */
public final class SqliteStore extends JdbcStore {
    private static final int TIER_BATCH = 4096;
    private final Path file;

    private SqliteStore(Path file, StoreConfig cfg, DbConn writer) {
        super(file.toString(), cfg, new StoreSql("", false), writer);
        this.file = file;
    }

    /** Opens (creating the directories and file if needed) the store in file. */
    public static SqliteStore open(Path file, StoreConfig cfg) {
        if (file == null) throw new StoreException("SQLite store: no file given");
        Path abs = file.toAbsolutePath().normalize();
        String where = abs.toString();
        if (Files.isDirectory(abs)) throw new StoreException(where + ": is a directory, not a store file");
        try {
            Path dir = abs.getParent();
            if (dir != null) Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StoreException(where + ": cannot create the directory: " + e, e);
        }
        DbConn w = null;
        try {
            w = connect(abs, cfg, false);
            String mode;
            try (Statement st = w.connection.createStatement(); ResultSet rs = st.executeQuery("PRAGMA journal_mode = WAL")) {
                mode = rs.next() ? rs.getString(1) : "?";
            }
            if (!"wal".equalsIgnoreCase(mode))
                throw new StoreException(where + ": cannot switch the database to WAL mode (journal_mode is " + mode + ")");
            SqliteSchema.createOrCheck(w, where);
            return new SqliteStore(abs, cfg, w);
        } catch (SQLException e) {
            if (w != null) w.close();
            throw new StoreException(where + ": cannot open the store: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (w != null) w.close();
            throw e;
        }
    }

    private static DbConn connect(Path file, StoreConfig cfg, boolean reader) throws SQLException {
        SQLiteConfig c = new SQLiteConfig();
        c.setBusyTimeout(cfg.busyTimeoutMillis());
        c.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        c.setCacheSize(reader ? -8_000 : -32_000); // KiB
        c.setJournalSizeLimit(64 << 20);
        c.setTempStore(SQLiteConfig.TempStore.MEMORY);
        DbConn conn = new DbConn(c.createConnection("jdbc:sqlite:" + file));
        if (reader) conn.exec("PRAGMA query_only = 1");
        return conn;
    }

    @Override
    DbConn openWriter() throws SQLException {
        return connect(file, cfg, false);
    }

    @Override
    DbConn openReader() throws SQLException {
        return connect(file, cfg, true);
    }

    @Override
    void beginWrite(DbConn c) throws SQLException {
        c.exec("BEGIN IMMEDIATE");
    }

    @Override
    void commitWrite(DbConn c) throws SQLException {
        c.exec("COMMIT");
    }

    @Override
    void rollbackWrite(DbConn c) throws SQLException {
        c.exec("ROLLBACK"); // fails harmlessly when the failure happened before BEGIN
    }

    @Override
    void beginRead(DbConn c) throws SQLException {
        c.exec("BEGIN");
    }

    @Override
    void endRead(DbConn c) throws SQLException {
        c.exec("COMMIT");
    }

    @Override
    void rollbackRead(DbConn c) throws SQLException {
        c.exec("ROLLBACK");
    }

    @Override
    void insertTierPoints(DbConn c, int series, int tier, long[] t, double[] v, int n, StatsDelta d) throws SQLException {
        // JDBC batches: the driver steps them in native code, several times faster than one executeUpdate per row
        PreparedStatement ps = c.prepare(sql.tierInsertRow);
        for (int from = 0; from < n; from += TIER_BATCH) {
            int to = Math.min(n, from + TIER_BATCH);
            ps.clearBatch();
            for (int i = from; i < to; i++) {
                ps.setInt(1, series);
                ps.setInt(2, tier);
                ps.setLong(3, t[i]);
                if (Double.isNaN(v[i])) ps.setNull(4, Types.DOUBLE);
                else ps.setDouble(4, v[i]);
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            if (counts.length != to - from) throw new SQLException("batch insert of points returned " + counts.length + " counts for " + (to - from) + " rows");
            for (int i = from; i < to; i++) if (counts[i - from] == 1) d.addRow(t[i]);
        }
    }
}
