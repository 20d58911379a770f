package io.spindle.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/** A JDBC connection with its prepared statements kept for reuse (SQLite does not cache them itself). */
final class DbConn implements AutoCloseable {
    final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    DbConn(Connection connection) {
        this.connection = connection;
    }

    /** The prepared statement for sql, prepared once per connection. */
    PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            statements.put(sql, ps);
        }
        return ps;
    }

    /** Runs one statement without parameters. */
    void exec(String sql) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
        }
    }

    /** True when the connection still answers (within 2 s). */
    boolean alive() {
        try {
            return !connection.isClosed() && connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        for (PreparedStatement ps : statements.values()) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        statements.clear();
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing left to do with a connection that cannot close
        }
    }
}
