package io.spindle.store;

import org.postgresql.PGConnection;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * The scale-out store: PostgreSQL, with its tables in one schema, points, raw chunks and events partitioned by time
 * range. A commit creates the partitions it needs first, then writes in one transaction: tier points as one
 * {@code INSERT ... SELECT FROM unnest(arrays) ON CONFLICT DO NOTHING} per series and tier, chunks and events as JDBC
 * batches. Several hosts may write one schema; writers of the same series' raw ring serialise on its stats row.
 */
public final class PostgresStore extends JdbcStore {
    private final String url;
    private final Properties props;
    private final PostgresPartitions partitions;
    private final String tierInsert;

    private PostgresStore(String url, Properties props, String schema, long span, String location, StoreConfig cfg, DbConn writer) {
        super(location, cfg, new StoreSql(PostgresSchema.quote(schema) + ".", true), writer);
        this.url = url;
        this.props = props;
        this.partitions = new PostgresPartitions(schema, span);
        this.tierInsert = "WITH ins AS (INSERT INTO " + PostgresSchema.quote(schema) + ".points (series, tier, t, v)"
                + " SELECT ?, ?, x.t, x.v FROM unnest(?::bigint[], ?::double precision[]) AS x(t, v)"
                + " ON CONFLICT DO NOTHING RETURNING t) SELECT count(*), min(t), max(t) FROM ins";
    }

    /**
     * Opens the store in schema (created with its tables if absent; null: the config's, else "spindle") of the
     * database at jdbcUrl ({@code jdbc:postgresql://host:port/db?user=...}).
     */
    public static PostgresStore open(String jdbcUrl, String schema, StoreConfig cfg) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:"))
            throw new StoreException("PostgreSQL store: '" + jdbcUrl + "' is not a jdbc:postgresql: URL");
        // batch update counts tell duplicates apart; the driver's rewriting would replace them by "no info"
        jdbcUrl = JdbcUrls.without(jdbcUrl, "reWriteBatchedInserts");
        String s = schema != null ? schema : cfg.pgSchema() != null ? cfg.pgSchema() : StoreConfig.DEFAULT_PG_SCHEMA;
        String where = JdbcUrls.redact(jdbcUrl) + " schema " + s;
        if (!s.matches("[a-z_][a-z0-9_]{0,62}"))
            throw new StoreException(where + ": schema name is not a lower-case SQL identifier ([a-z_][a-z0-9_]{0,62})");
        Properties props = new Properties();
        props.setProperty("connectTimeout", "10");
        props.setProperty("ApplicationName", "spindle " + s);
        DbConn w = null;
        try {
            w = connect(jdbcUrl, props, false);
            long span = PostgresSchema.createOrCheck(w, s, cfg, where);
            return new PostgresStore(jdbcUrl, props, s, span, where, cfg, w);
        } catch (SQLException e) {
            if (w != null) w.close();
            throw new StoreException(where + ": cannot open the store: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (w != null) w.close();
            throw e;
        }
    }

    private static DbConn connect(String url, Properties props, boolean reader) throws SQLException {
        Connection c = DriverManager.getConnection(url, props);
        try {
            c.setAutoCommit(false); // also what lets the driver stream result sets with a fetch size
            if (reader) {
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ); // one snapshot per read
                c.setReadOnly(true);
            }
            return new DbConn(c);
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    @Override
    DbConn openWriter() throws SQLException {
        return connect(url, props, false);
    }

    @Override
    DbConn openReader() throws SQLException {
        return connect(url, props, true);
    }

    @Override
    void beginWrite(DbConn c) {
        // a transaction starts with the first statement (autocommit is off)
    }

    @Override
    void commitWrite(DbConn c) throws SQLException {
        c.connection.commit();
    }

    @Override
    void rollbackWrite(DbConn c) throws SQLException {
        c.connection.rollback();
    }

    @Override
    void beginRead(DbConn c) {
        // as beginWrite
    }

    @Override
    void endRead(DbConn c) throws SQLException {
        c.connection.commit();
    }

    @Override
    void rollbackRead(DbConn c) throws SQLException {
        c.connection.rollback();
    }

    @Override
    void beforeWrite(DbConn c, BufferedBatch b) throws SQLException {
        List<Set<Long>> needed = PostgresPartitions.emptySets();
        partitions.missing(0, b.tier.t, 0, b.tierLen, needed.get(0));
        // raw chunks are partitioned by their first time, which is one of the batch's raw times
        partitions.missing(1, b.raw.t, 0, b.rawLen, needed.get(1));
        for (BufferedBatch.PendingEvent e : b.events) {
            long p = partitions.partitionOf(e.t());
            if (!partitions.known(2, p)) needed.get(2).add(p);
        }
        partitions.create(c, needed);
    }

    @Override
    void insertTierPoints(DbConn c, int series, int tier, long[] t, double[] v, int n, StatsDelta d) throws SQLException {
        if (n == 0) return;
        PreparedStatement ps = c.prepare(tierInsert);
        // the driver's own createArrayOf takes primitive arrays: no boxing of the columns
        PGConnection pg = c.connection.unwrap(PGConnection.class);
        Array ta = pg.createArrayOf("bigint", Arrays.copyOf(t, n));
        Array va = pg.createArrayOf("float8", Arrays.copyOf(v, n));
        try {
            ps.setInt(1, series);
            ps.setInt(2, tier);
            ps.setArray(3, ta);
            ps.setArray(4, va);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long count = rs.getLong(1);
                if (count > 0) d.addRows(count, rs.getLong(2), rs.getLong(3));
            }
        } finally {
            ta.free();
            va.free();
        }
    }
}
