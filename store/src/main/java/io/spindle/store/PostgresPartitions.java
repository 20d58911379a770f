package io.spindle.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Time partitions of the PostgreSQL tables: partition k of a table holds times [k * span, (k + 1) * span), named
 * {@code <table>_p<k>} ({@code _pm<k>} for negative k). They are created before the transaction of a batch that needs
 * them, in a short transaction of their own: creating a partition locks its parent table, which would otherwise
 * stall readers for the whole commit. Partitions known to exist are remembered.
 */
final class PostgresPartitions {
    static final String[] TABLES = {"points", "raw_chunks", "events"};

    private final String schema;
    private final long span;
    private final List<Set<Long>> known = new ArrayList<>();

    PostgresPartitions(String schema, long span) {
        this.schema = schema;
        this.span = span;
        for (int i = 0; i < TABLES.length; i++) known.add(new HashSet<>());
    }

    /** One empty set per table, for {@link #missing} to fill. */
    static List<Set<Long>> emptySets() {
        List<Set<Long>> sets = new ArrayList<>();
        for (int i = 0; i < TABLES.length; i++) sets.add(new HashSet<>());
        return sets;
    }

    /** The partition number of time t. */
    long partitionOf(long t) {
        return Math.floorDiv(t, span);
    }

    /** Collects into out the partitions of t[from, to) that are not known to exist yet. */
    void missing(int table, long[] t, int from, int to, Set<Long> out) {
        Set<Long> k = known.get(table);
        long prev = Long.MIN_VALUE;
        boolean havePrev = false;
        for (int i = from; i < to; i++) {
            long p = Math.floorDiv(t[i], span);
            if (havePrev && p == prev) continue; // consecutive samples almost always share a partition
            prev = p;
            havePrev = true;
            if (!k.contains(p)) out.add(p);
        }
    }

    /** Whether partition p of table is known to exist. */
    boolean known(int table, long p) {
        return known.get(table).contains(p);
    }

    /** Creates the partitions needed[table] (in one transaction, committed here) and remembers them. */
    void create(DbConn c, List<Set<Long>> needed) throws SQLException {
        boolean any = false;
        for (Set<Long> s : needed) any |= !s.isEmpty();
        if (!any) return;
        boolean done = false;
        try {
            try (PreparedStatement lock = c.connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                lock.setString(1, "spindle.partitions." + schema);
                lock.execute();
            }
            for (int table = 0; table < TABLES.length; table++) {
                for (long p : needed.get(table)) c.exec(ddl(TABLES[table], p));
            }
            c.connection.commit();
            done = true;
        } finally {
            if (!done) {
                try {
                    c.connection.rollback();
                } catch (SQLException ignored) {
                    // the original failure is reported
                }
            }
        }
        for (int table = 0; table < TABLES.length; table++) known.get(table).addAll(needed.get(table));
    }

    private String ddl(String table, long p) {
        String name = table + (p < 0 ? "_pm" + -p : "_p" + p);
        String lo, hi;
        try {
            lo = Long.toString(Math.multiplyExact(p, span));
        } catch (ArithmeticException e) {
            lo = "MINVALUE";
        }
        try {
            hi = Long.toString(Math.multiplyExact(p + 1, span));
        } catch (ArithmeticException e) {
            hi = "MAXVALUE";
        }
        String s = PostgresSchema.quote(schema);
        return "CREATE TABLE IF NOT EXISTS " + s + "." + PostgresSchema.quote(name) + " PARTITION OF " + s + "." + table
                + " FOR VALUES FROM (" + lo + ") TO (" + hi + ")";
    }
}
