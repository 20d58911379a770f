package io.spindle.store;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The contract on SQLite files, plus what only SQLite has: the file itself, WAL, locks held by other processes. */
class SqliteStoreTest extends SeriesStoreContract {
    @TempDir
    Path dir;
    private Path file;

    @BeforeEach
    void location() {
        file = dir.resolve("sub/dir/store.db");
    }

    @Override
    SeriesStore openAt(StoreConfig cfg) {
        return SqliteStore.open(file, cfg);
    }

    private Connection adminConnection() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA busy_timeout = 10000");
        }
        return c;
    }

    @Override
    void admin(String sql, Object... params) {
        try (Connection c = adminConnection(); PreparedStatement ps = c.prepareStatement(sql.replace("{p}", ""))) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            ps.execute();
        } catch (SQLException e) {
            throw new AssertionError(sql + ": " + e.getMessage(), e);
        }
    }

    @Override
    long adminLong(String sql) {
        try (Connection c = adminConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql.replace("{p}", ""))) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new AssertionError(sql + ": " + e.getMessage(), e);
        }
    }

    @Override
    void installPoisonTrigger() {
        admin("CREATE TRIGGER poison BEFORE INSERT ON events WHEN NEW.value = 'poison' "
                + "BEGIN SELECT RAISE(ABORT, 'forced failure for the test'); END");
    }

    @Override
    void dropPoisonTrigger() {
        admin("DROP TRIGGER poison");
    }

    @Test
    void createsDirectoriesAndUsesWalWithNormalSync() {
        try (SeriesStore s = open()) {
            assertThat(file).exists();
            assertThat(s.location()).isEqualTo(file.toAbsolutePath().toString());
            s.batch().points("a", 0, new long[]{1}, new double[]{1}, 0, 1).commit();
            assertThat(Files.exists(Path.of(file + "-wal"))).isTrue();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            ResultSet rs = st.executeQuery("PRAGMA journal_mode");
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("wal");
            rs = st.executeQuery("PRAGMA user_version");
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(SqliteSchema.VERSION);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aNewerSchemaIsRefusedWithAClearMessage() {
        open().close();
        admin("PRAGMA user_version = 7");
        assertThatThrownBy(() -> open()).isInstanceOf(StoreException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("schema version 7").hasMessageContaining("newer");
    }

    @Test
    void aFileThatIsNotAStoreIsRefusedAndLeftAlone() throws Exception {
        Files.createDirectories(file.getParent());
        admin("CREATE TABLE customers (id INTEGER)");
        assertThatThrownBy(() -> open()).isInstanceOf(StoreException.class).hasMessageContaining("not a Spindle store");
        assertThat(adminLong("SELECT count(*) FROM sqlite_master")).isEqualTo(1);

        Path garbage = dir.resolve("garbage.db");
        Files.write(garbage, "this is not a database file at all, just some text that is long enough".repeat(100).getBytes());
        assertThatThrownBy(() -> SqliteStore.open(garbage, config())).isInstanceOf(StoreException.class)
                .hasMessageContaining(garbage.toString()).hasMessageContaining("not a database");
        assertThatThrownBy(() -> SqliteStore.open(dir, config())).isInstanceOf(StoreException.class).hasMessageContaining("is a directory");
    }

    @Test
    void aCommitBlockedByAnotherProcessLockFailsCleanlyAndTheNextOneSucceeds() throws Exception {
        SeriesStore s = open(config().withBusyTimeoutMillis(200));
        s.batch().points("a", 0, new long[]{1}, new double[]{1}, 0, 1).state("k", new byte[]{1}).commit();
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = other.createStatement()) {
            st.execute("BEGIN EXCLUSIVE");
            WriteBatch b = s.batch().points("a", 0, new long[]{2}, new double[]{2}, 0, 1).state("k", new byte[]{2});
            assertThatThrownBy(b::commit).isInstanceOf(StoreException.class)
                    .hasMessageContaining(file.toString()).hasMessageContaining("locked");
            // reads go on while the other process holds the write lock
            assertThat(s.count("a", 0, 0, 10)).isEqualTo(1);
            assertThat(s.state("k")).containsExactly(1);
            st.execute("ROLLBACK");
            b.commit();
        }
        assertThat(s.count("a", 0, 0, 10)).isEqualTo(2);
        assertThat(s.state("k")).containsExactly(2);
        assertThat(s.stats().failedCommits()).isEqualTo(1);
    }
}
