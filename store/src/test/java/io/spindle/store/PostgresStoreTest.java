package io.spindle.store;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract on a real PostgreSQL, each test in a schema of its own ({@code spindle_test_<random>}, dropped
 * after), plus what only PostgreSQL has: partitions made on demand, a writer connection killed by the server.
 */
class PostgresStoreTest extends SeriesStoreContract {
    private static final List<String> schemas = new ArrayList<>();
    private String schema;

    @BeforeAll
    static void database() {
        PostgresTestDatabase.requireReachable();
    }

    @BeforeEach
    void location() {
        schema = PostgresTestDatabase.newSchemaName();
        schemas.add(schema);
    }

    @AfterEach
    void dropSchema() {
        closeStores();
        PostgresTestDatabase.dropSchema(schema);
    }

    @AfterAll
    static void dropLeftovers() {
        for (String s : schemas) PostgresTestDatabase.dropSchema(s);
    }

    @Override
    StoreConfig config() {
        return super.config().withPgSchema(schema);
    }

    @Override
    SeriesStore openAt(StoreConfig cfg) {
        return PostgresStore.open(PostgresTestDatabase.url(), schema, cfg);
    }

    private String sql(String s) {
        return s.replace("{p}", PostgresSchema.quote(schema) + ".");
    }

    @Override
    void admin(String sql, Object... params) {
        try (Connection c = PostgresTestDatabase.connect(); PreparedStatement ps = c.prepareStatement(sql(sql))) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            ps.execute();
        } catch (SQLException e) {
            throw new AssertionError(sql + ": " + e.getMessage(), e);
        }
    }

    @Override
    long adminLong(String sql) {
        try (Connection c = PostgresTestDatabase.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql(sql))) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new AssertionError(sql + ": " + e.getMessage(), e);
        }
    }

    @Override
    void installPoisonTrigger() {
        admin("CREATE FUNCTION {p}poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "IF NEW.value = 'poison' THEN RAISE EXCEPTION 'forced failure for the test'; END IF; RETURN NEW; END $$");
        admin("CREATE TRIGGER poison BEFORE INSERT ON {p}events FOR EACH ROW EXECUTE FUNCTION {p}poison()");
    }

    @Override
    void dropPoisonTrigger() {
        admin("DROP TRIGGER poison ON {p}events");
    }

    private long partitionsOf(String table) {
        return adminLong("SELECT count(*) FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent "
                + "JOIN pg_namespace n ON n.oid = p.relnamespace WHERE n.nspname = '" + schema + "' AND p.relname = '" + table + "'");
    }

    @Test
    void partitionsAreCreatedOnDemandAndReadsSpanThem() {
        long hour = 3600 * SEC;
        SeriesStore s = open(config().withPartitionSpanNanos(hour).withRawChunkMaxSamples(500));
        long base = 1_700_000_000L * SEC - (1_700_000_000L * SEC) % hour;
        // 5 hours at one point a minute (tier 0) and one sample a second (raw), an event every 30 minutes
        long[] t0 = times(base, 60 * SEC, 300);
        long[] raw = times(base, SEC, 5 * 3600);
        WriteBatch b = s.batch().points("p", 0, t0, values(300, 0), 0, 300).points("p", RAW, raw, values(raw.length, 0), 0, raw.length);
        for (int i = 0; i < 10; i++) b.event("p.mode", base + i * 1800 * SEC, "m" + i);
        b.commit();
        assertThat(partitionsOf("points")).isEqualTo(5);
        assertThat(partitionsOf("raw_chunks")).isEqualTo(5);
        assertThat(partitionsOf("events")).isEqualTo(5);
        assertThat(s.count("p", 0, Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(300);
        assertThat(s.count("p", 0, base + hour / 2, base + 3 * hour + hour / 2)).isEqualTo(180);
        assertThat(s.count("p", RAW, base + hour / 2, base + 3 * hour + hour / 2)).isEqualTo(3 * 3600);
        long[] to = new long[5000];
        double[] vo = new double[5000];
        assertThat(s.read("p", RAW, base + hour - 2 * SEC, base + 2 * hour, 5000, to, vo)).isEqualTo(3602);
        assertThat(to[0]).isEqualTo(base + hour - 2 * SEC);
        assertThat(s.events("p.mode", base + hour, base + 3 * hour, 100)).hasSize(4);
        // rows went to the partitions their times belong to
        assertThat(adminLong("SELECT count(*) FROM {p}points_p" + (base / hour + 2))).isEqualTo(60);
        // a later batch in known partitions creates none; one an hour later creates one per table it touches
        s.batch().points("p", 0, new long[]{base + 10}, new double[]{1}, 0, 1).commit();
        assertThat(partitionsOf("points")).isEqualTo(5);
        s.batch().points("p", 0, new long[]{base + 5 * hour}, new double[]{1}, 0, 1).commit();
        assertThat(partitionsOf("points")).isEqualTo(6);
        assertThat(partitionsOf("raw_chunks")).isEqualTo(5);
        // the span is the schema's: a reopen with another span keeps using hours
        s.close();
        SeriesStore again = open(config());
        again.batch().points("p", 0, new long[]{base + 7 * hour}, new double[]{1}, 0, 1).commit();
        assertThat(partitionsOf("points")).isEqualTo(7);
    }

    @Test
    void aWriterConnectionKilledByTheServerFailsOneCommitAndTheNextReconnects() {
        SeriesStore s = open();
        s.batch().points("a", 0, new long[]{1}, new double[]{1}, 0, 1).state("k", new byte[]{1}).commit();
        assertThat(s.count("a", 0, 0, 10)).isEqualTo(1); // a read connection now waits in the pool
        assertThat(adminLong("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'spindle " + schema + "'")).isEqualTo(2);
        admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ? AND pid <> pg_backend_pid()",
                "spindle " + schema);
        WriteBatch b = s.batch().points("a", 0, new long[]{2}, new double[]{2}, 0, 1).state("k", new byte[]{2});
        assertThatThrownBy(b::commit).isInstanceOf(StoreException.class).hasMessageContaining(s.location());
        // the readers were killed too: a read finds its pooled connection dead and retries on a new one
        assertThat(s.state("k")).containsExactly(1);
        assertThat(s.count("a", 0, 0, 10)).isEqualTo(1);
        b.commit();
        assertThat(s.state("k")).containsExactly(2);
        assertThat(s.count("a", 0, 0, 10)).isEqualTo(2);
        assertThat(s.stats().failedCommits()).isEqualTo(1);
    }

    @Test
    void aNewerSchemaIsRefusedWithAClearMessage() {
        open().close();
        admin("UPDATE {p}meta SET value = '9' WHERE key = 'schema_version'");
        assertThatThrownBy(() -> open()).isInstanceOf(StoreException.class)
                .hasMessageContaining(schema).hasMessageContaining("schema version 9").hasMessageContaining("newer");
    }

    @Test
    void locationHidesCredentialsAndAnUnreachableServerIsAClearError() {
        SeriesStore s = open();
        assertThat(s.location()).contains(schema).doesNotContain("user=");
        assertThatThrownBy(() -> PostgresStore.open("jdbc:postgresql://127.0.0.1:1/postgres?user=u&password=secret", schema, config()))
                .isInstanceOf(StoreException.class).hasMessageContaining("127.0.0.1:1").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> PostgresStore.open(PostgresTestDatabase.url(), "Bad-Name", config()))
                .isInstanceOf(StoreException.class).hasMessageContaining("Bad-Name");
    }
}
