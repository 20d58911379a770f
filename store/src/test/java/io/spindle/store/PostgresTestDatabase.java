package io.spindle.store;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Properties;

/**
 * The PostgreSQL the tests use: {@code SPINDLE_PG_URL} (default {@value #DEFAULT_URL}). When nothing answers there,
 * the tests are skipped with the reason, except under CI ({@code CI=true}), where {@code scripts/test} starts
 * PostgreSQL and its absence is a failure.
 */
final class PostgresTestDatabase {
    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

    private PostgresTestDatabase() {
    }

    static String url() {
        String u = System.getenv("SPINDLE_PG_URL");
        return u == null || u.isBlank() ? DEFAULT_URL : u;
    }

    /** Skips (or, under CI, fails) the calling test class when the database does not answer. */
    static void requireReachable() {
        Properties p = new Properties();
        p.setProperty("connectTimeout", "3");
        try (Connection c = DriverManager.getConnection(url(), p)) {
            c.isValid(3);
        } catch (SQLException e) {
            String why = "PostgreSQL at " + JdbcUrls.redact(url()) + " does not answer (" + e.getMessage()
                    + "); set SPINDLE_PG_URL or start PostgreSQL (scripts/test does)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail("CI=true: " + why);
            Assumptions.abort("skipped: " + why);
        }
    }

    /** A fresh schema name, spindle_test_<random>. */
    static String newSchemaName() {
        byte[] b = new byte[6];
        new SecureRandom().nextBytes(b);
        return "spindle_test_" + HexFormat.of().formatHex(b);
    }

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(url());
    }

    static void dropSchema(String schema) {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + PostgresSchema.quote(schema) + " CASCADE");
        } catch (SQLException e) {
            throw new AssertionError("dropping test schema " + schema + ": " + e.getMessage(), e);
        }
    }
}
