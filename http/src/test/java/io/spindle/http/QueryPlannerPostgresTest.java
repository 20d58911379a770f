package io.spindle.http;

import static io.spindle.http.TestData.S;
import static io.spindle.http.TestData.T0;
import static io.spindle.http.TestData.VIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.spindle.downsample.tier.TierPlan;
import io.spindle.http.QueryPlanner.Source;
import io.spindle.store.SeriesStore;
import io.spindle.store.SeriesStore.SeriesInfo;
import io.spindle.store.StoreConfig;
import io.spindle.store.Stores;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The planner and the Grafana API over PostgreSQL: {@code SPINDLE_PG_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}), in a schema of its own dropped after. Skipped
 * with the reason when nothing answers there, except under CI ({@code CI=true}), where that is a failure.
 */
class QueryPlannerPostgresTest {
    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
    static String schema;
    static SeriesStore store;

    static String url() {
        String u = System.getenv("SPINDLE_PG_URL");
        return u == null || u.isBlank() ? DEFAULT_URL : u;
    }

    @BeforeAll
    static void open() {
        Properties p = new Properties();
        p.setProperty("connectTimeout", "3");
        try (Connection c = DriverManager.getConnection(url(), p)) {
            c.isValid(3);
        } catch (SQLException e) {
            String why = "PostgreSQL at " + url().replaceAll("password=[^&]*", "password=***") + " does not answer (" + e.getMessage()
                    + "); set SPINDLE_PG_URL or start PostgreSQL (scripts/test does)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail("CI=true: " + why);
            Assumptions.abort("skipped: " + why);
        }
        byte[] b = new byte[6];
        new SecureRandom().nextBytes(b);
        schema = "spindle_test_http_" + HexFormat.of().formatHex(b);
        store = Stores.open(url(), StoreConfig.defaults().withPgSchema(schema));
        TestData.vib(store);
    }

    @AfterAll
    static void drop() throws SQLException {
        if (store != null) store.close();
        if (schema == null) return;
        try (Connection c = DriverManager.getConnection(url()); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
        }
    }

    @Test
    void consistentSubsetsBoundsAndStoredPointsOnPostgres() {
        QueryPlanner planner = new QueryPlanner(store, TestData.TIERS);
        SeriesInfo vib = PlannerChecks.info(store, VIB);
        long from = T0 + 60 * S, to = T0 + 360 * S;
        TierPlan p50 = planner.plan(vib, from, to, 50, true, Source.TIERS);
        TierPlan p5000 = planner.plan(vib, from, to, 5000, true, Source.TIERS);
        assertThat(p50.consistent()).isTrue();
        assertThat(p5000.consistent()).isTrue();
        assertThat(p50.size()).isPositive().isLessThanOrEqualTo(50);
        assertThat(p5000.size()).isGreaterThan(500).isLessThanOrEqualTo(5000);
        PlannerChecks.subset(p50, p5000);
        PlannerChecks.allStored(store, VIB, p50, from, to);
        PlannerChecks.allStored(store, VIB, p5000, from, to);
        for (int m : new int[] {1, 50, 500, 2000, 5000}) {
            TierPlan p = planner.plan(vib, T0, TestData.VIB_END, m, false, Source.TIERS);
            assertThat(p.size()).isEqualTo(m);
            PlannerChecks.allStored(store, VIB, p, T0, TestData.VIB_END);
        }
        TierPlan gap = planner.plan(vib, T0 + 600 * S, T0 + 900 * S, 300, false, Source.TIERS);
        assertThat(PlannerChecks.breaks(gap)).isEqualTo(1);
        TierPlan raw = planner.plan(vib, T0 + 100 * S, T0 + 101 * S, 500, false, Source.TIERS);
        assertThat(raw.tier()).isEqualTo(SeriesStore.RAW);
        PlannerChecks.allStored(store, VIB, raw, T0 + 100 * S, T0 + 101 * S);
    }

    @Test
    void grafanaQueryOverHttpOnPostgres() {
        try (HttpServer server = HttpServer.start(HttpOptions.loopback(0), store, TestData.TIERS, new Metrics())) {
            TestServer client = TestServer.shared();
            long from = T0 + 600 * S, to = T0 + 900 * S;
            TestServer.Resp r = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + "query"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(Wire.query(from, to, 500, "[" + Wire.target(VIB, "A", "{}") + "]"))));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            var ts = r.json().get(0);
            var pts = Wire.points(ts, from, to + TestData.MS, 500);
            assertThat(pts).hasSize(500);
            assertThat(Wire.nulls(ts)).isEqualTo(1);
            Wire.allStored(store, VIB, ts.get("meta").get("custom").get("tier").asInt(), pts, from, to + TestData.MS);
            assertThat(client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + "readyz")).GET()).status()).isEqualTo(200);
        }
    }
}
