package io.spindle.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Opening stores by URI, and the errors for URIs that name no store. */
class StoresTest {
    @TempDir
    Path dir;

    @Test
    void sqliteUrisAndPlainPathsOpenTheSameFile() {
        Path f = dir.resolve("a/b.db");
        try (SeriesStore s = Stores.open("sqlite:" + f, null)) {
            assertThat(s).isInstanceOf(SqliteStore.class);
            s.batch().points("x", 0, new long[]{1}, new double[]{2}, 0, 1).commit();
        }
        for (String uri : new String[]{f.toString(), "jdbc:sqlite:" + f, "sqlite://" + f, " SQLITE:" + f + " "}) {
            try (SeriesStore s = Stores.open(uri, StoreConfig.defaults())) {
                assertThat(s.location()).as(uri).isEqualTo(f.toString());
                assertThat(s.count("x", 0, 0, 10)).isEqualTo(1);
            }
        }
    }

    @Test
    void uriErrorsSayWhatIsWrong() {
        assertThatThrownBy(() -> Stores.open(null, null)).isInstanceOf(StoreException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> Stores.open("  ", null)).hasMessageContaining("empty");
        assertThatThrownBy(() -> Stores.open("mysql://localhost/db", null)).isInstanceOf(StoreException.class)
                .hasMessageContaining("unknown scheme 'mysql'");
        assertThatThrownBy(() -> Stores.open("sqlite:", null)).hasMessageContaining("no file path");
        assertThatThrownBy(() -> Stores.open("sqlite::memory:", null)).hasMessageContaining("in-memory");
        assertThatThrownBy(() -> Stores.open("sqlite:" + dir, null)).hasMessageContaining("is a directory");
        assertThatThrownBy(() -> Stores.open("jdbc:postgresql://127.0.0.1:1/x?user=u&password=hunter2&schema=", null))
                .hasMessageContaining("schema parameter is empty").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> Stores.open("jdbc:postgresql://127.0.0.1:1/x?user=u&password=hunter2", null))
                .isInstanceOf(StoreException.class).hasMessageContaining("127.0.0.1:1").hasMessageNotContaining("hunter2");
    }

    @Test
    void postgresUrisTakeTheSchemaFromTheQuery() {
        PostgresTestDatabase.requireReachable();
        String schema = PostgresTestDatabase.newSchemaName();
        String url = PostgresTestDatabase.url();
        try {
            try (SeriesStore s = Stores.open(url + (url.contains("?") ? "&" : "?") + "schema=" + schema, null)) {
                assertThat(s).isInstanceOf(PostgresStore.class);
                assertThat(s.location()).endsWith("schema " + schema).doesNotContain("schema=");
                s.batch().event("e", 1, "x").commit();
            }
            // postgresql:// without jdbc:, schema from the config
            try (SeriesStore s = Stores.open(url.substring("jdbc:".length()), StoreConfig.defaults().withPgSchema(schema))) {
                assertThat(s.events("e", 0, 10, 10)).hasSize(1);
            }
        } finally {
            PostgresTestDatabase.dropSchema(schema);
        }
    }

    @Test
    void configRefusesNonsense() {
        StoreConfig d = StoreConfig.defaults();
        assertThatThrownBy(() -> d.withRawMaxBytesPerSeries(-1)).hasMessageContaining("rawMaxBytesPerSeries -1");
        assertThatThrownBy(() -> d.withRawChunkMaxSamples(0)).hasMessageContaining("rawChunkMaxSamples 0");
        assertThatThrownBy(() -> d.withPartitionSpanNanos(1000)).hasMessageContaining("shorter than one second");
        assertThatThrownBy(() -> d.withPgSchema("Robert'); DROP TABLE students;--")).hasMessageContaining("not a lower-case SQL identifier");
        assertThatThrownBy(() -> d.withReadConnections(0)).hasMessageContaining("readConnections 0");
    }

    @Test
    void redactionDropsCredentialsWherevertheyAre() {
        assertThat(JdbcUrls.redact("jdbc:postgresql://bob:pw@db:5432/x?user=bob&password=pw&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/x?ssl=true");
        assertThat(JdbcUrls.without("jdbc:postgresql://h/x?a=1&schema=s&b=2", "schema")).isEqualTo("jdbc:postgresql://h/x?a=1&b=2");
        assertThat(JdbcUrls.param("jdbc:postgresql://h/x?a=1&schema=my_s", "schema")).isEqualTo("my_s");
    }
}
