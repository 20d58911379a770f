package io.spindle.http;

import static io.spindle.http.GrafanaApiTest.assertError;
import static io.spindle.http.TestData.GAP2_FROM;
import static io.spindle.http.TestData.GAP2_TO;
import static io.spindle.http.TestData.S;
import static io.spindle.http.TestData.T0;
import static io.spindle.http.TestData.VIB;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.store.SeriesStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dashboard API and the static files route over real HTTP. */
class DashboardApiTest {
    static TestServer s;

    @BeforeAll
    static void server() {
        s = TestServer.shared();
    }

    static long ms(long ns) {
        return ns / 1_000_000;
    }

    @Test
    void seriesListsWhatIsStoredAndTheTiers() {
        JsonNode r = s.get("/api/v1/series").json();
        JsonNode series = r.get("series");
        assertThat(series.size()).isEqualTo(3);
        JsonNode vib = series.get(2);
        assertThat(vib.get("name").asText()).isEqualTo(VIB);
        SeriesStore.SeriesInfo info = PlannerChecks.info(s.store, VIB);
        assertThat(vib.get("raw_count").asLong()).isEqualTo(info.rawCount()).isEqualTo(1_108_000);
        assertThat(Wire.ns(vib.get("raw_first_ms"))).isEqualTo(info.rawFirstNs());
        assertThat(Wire.ns(vib.get("raw_last_ms"))).isEqualTo(info.rawLastNs());
        assertThat(Wire.ns(vib.get("first_ms"))).isEqualTo(T0);
        assertThat(Wire.ns(vib.get("last_ms"))).isEqualTo(info.lastNs());
        assertThat(vib.get("tier_counts").size()).isEqualTo(4);
        for (int k = 0; k < 4; k++) assertThat(vib.get("tier_counts").get(k).asLong()).isEqualTo(info.tierCounts()[k]);
        JsonNode tiers = r.get("tiers");
        assertThat(tiers.size()).isEqualTo(4);
        assertThat(tiers.get(0).get("bucket_ms").asDouble()).isEqualTo(10.0);
        assertThat(tiers.get(3).get("bucket_ms").asDouble()).isEqualTo(10_000.0);
        assertThat(r.get("gap_buckets").asInt()).isEqualTo(3);
    }

    @Test
    void pointsFromTheTiersWithGapsAsNullsAndTheirOwnTimes() {
        long from = T0 + 600 * S, to = T0 + 900 * S;
        JsonNode r = s.get("/api/v1/points?series=sim/vib0&from_ms=" + ms(from) + "&to_ms=" + ms(to) + "&max_points=400").json();
        assertThat(r.get("series").asText()).isEqualTo(VIB);
        assertThat(r.get("source").asText()).isEqualTo("tiers");
        assertThat(r.get("points").asInt()).isEqualTo(400);
        assertThat(r.get("candidates").asInt()).isGreaterThan(400);
        assertThat(r.get("query_ms").asDouble()).isPositive();
        int tier = r.get("tier").asInt();
        assertThat(tier).isBetween(0, 3);
        JsonNode t = r.get("t_ms"), v = r.get("v");
        assertThat(t.size()).isEqualTo(v.size()).isEqualTo(401);
        List<long[]> pts = new ArrayList<>();
        int nulls = 0;
        for (int i = 0; i < t.size(); i++) {
            long ns = Wire.ns(t.get(i));
            if (i > 0) assertThat(ns).isGreaterThan(Wire.ns(t.get(i - 1)));
            if (v.get(i).isNull()) {
                nulls++;
                assertThat(Wire.ns(t.get(i - 1))).isLessThan(GAP2_FROM);
                assertThat(Wire.ns(t.get(i + 1))).isGreaterThanOrEqualTo(GAP2_TO);
            } else pts.add(new long[] {ns, Double.doubleToLongBits(v.get(i).doubleValue())});
        }
        assertThat(nulls).isEqualTo(1);
        Wire.allStored(s.store, VIB, tier, pts, from, to);
    }

    @Test
    void rawSourceAndConsistentAndDefaults() {
        long from = T0 + 100 * S, to = from + 3 * S;
        JsonNode raw = s.get("/api/v1/points?series=sim/vib0&from_ms=" + ms(from) + "&to_ms=" + ms(to) + "&max_points=100000&source=raw").json();
        assertThat(raw.get("source").asText()).isEqualTo("raw");
        assertThat(raw.get("tier").asInt()).isEqualTo(-1);
        assertThat(raw.get("points").asInt()).isEqualTo(3000);
        JsonNode lttb = s.get("/api/v1/points?series=sim/vib0&from_ms=" + ms(from) + "&to_ms=" + ms(to) + "&max_points=300&source=raw").json();
        assertThat(lttb.get("points").asInt()).isEqualTo(300);
        assertThat(lttb.get("candidates").asInt()).isEqualTo(3000);
        // fractional milliseconds are exact: [from + 0.5 ms, ...) starts at the next 1 kHz sample
        JsonNode frac = s.get("/api/v1/points?series=sim/vib0&from_ms=" + ms(from) + ".5&to_ms=" + ms(to) + "&max_points=100000&source=raw").json();
        assertThat(frac.get("points").asInt()).isEqualTo(2999);
        long wf = T0 + 60 * S, wt = T0 + 360 * S;
        Set<Long> small = pointTimes(s.get("/api/v1/points?series=sim/vib0&from_ms=" + ms(wf) + "&to_ms=" + ms(wt) + "&max_points=50&consistent=true").json());
        Set<Long> big = pointTimes(s.get("/api/v1/points?series=sim/vib0&from_ms=" + ms(wf) + "&to_ms=" + ms(wt) + "&max_points=5000&consistent=true").json());
        assertThat(small.size()).isBetween(10, 50);
        assertThat(big.size()).isGreaterThan(500);
        assertThat(big).containsAll(small);
        JsonNode whole = s.get("/api/v1/points?series=press/temp").json(); // whole extent, 1,000 points
        assertThat(whole.get("points").asInt()).isEqualTo(DashboardApi.DEFAULT_MAX_POINTS);
        assertThat(Wire.ns(whole.get("t_ms").get(0))).isEqualTo(T0);
    }

    /** Times of the real points of a /api/v1/points answer (not of its gap markers). */
    private static Set<Long> pointTimes(JsonNode r) {
        Set<Long> out = new HashSet<>();
        for (int i = 0; i < r.get("t_ms").size(); i++) if (!r.get("v").get(i).isNull()) out.add(Wire.ns(r.get("t_ms").get(i)));
        return out;
    }

    @Test
    void badParametersGet400AndUnknownSeries404() {
        assertError(s.get("/api/v1/points?series=sim/nope"), 404, "unknown series 'sim/nope'");
        assertError(s.get("/api/v1/points"), 400, "missing parameter series");
        assertError(s.get("/api/v1/points?series=sim/vib0&max_points=0"), 400, "max_points 0 is outside 1..100000");
        assertError(s.get("/api/v1/points?series=sim/vib0&max_points=10000000"), 400, "max_points 10000000 is outside");
        assertError(s.get("/api/v1/points?series=sim/vib0&max_points=lots"), 400, "max_points 'lots' is not a whole number");
        assertError(s.get("/api/v1/points?series=sim/vib0&from_ms=2000&to_ms=1000"), 400, "to_ms (1000) is before from_ms (2000)");
        assertError(s.get("/api/v1/points?series=sim/vib0&from_ms=yesterday"), 400, "from_ms 'yesterday' is not a number");
        assertError(s.get("/api/v1/points?series=sim/vib0&from_ms=1e400"), 400, "outside the range of epoch nanoseconds");
        assertError(s.get("/api/v1/points?series=sim/vib0&source=disk"), 400, "source 'disk' must be tiers or raw");
        assertError(s.get("/api/v1/points?series=sim/vib0&consistent=maybe"), 400, "consistent 'maybe' must be true or false");
    }

    @Test
    void uiRedirectsToItsFolderAndServesTheBundledFiles(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("ui"));
        Files.writeString(dir.resolve("index.html"), "<!doctype html><html><head><title>spindle test ui</title><script src=\"app.js\"></script></head></html>");
        Files.writeString(dir.resolve("app.js"), "console.log('spindle test ui');");
        Files.writeString(tmp.resolve("secret.txt"), "not served");
        try (HttpServer ui = HttpServer.start(HttpOptions.loopback(0), s.store, TestData.TIERS, new Metrics(), "file:" + dir)) {
            TestServer.Resp redirect = s.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(ui.url() + "ui")).GET());
            assertThat(redirect.status()).isEqualTo(302);
            assertThat(redirect.raw().headers().firstValue("location").orElse("")).endsWith("/ui/");
            TestServer.Resp index = s.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(ui.url() + "ui/")).GET());
            assertThat(index.status()).isEqualTo(200);
            assertThat(index.body()).contains("spindle test ui");
            TestServer.Resp js = s.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(ui.url() + "ui/app.js")).GET());
            assertThat(js.status()).isEqualTo(200);
            assertThat(js.raw().headers().firstValue("content-type").orElse("")).contains("javascript");
            TestServer.Resp escape = s.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(ui.url() + "ui/%2e%2e/secret.txt")).GET());
            assertThat(escape.body()).doesNotContain("not served");
        }
        // without the files, /ui says why
        try (HttpServer none = HttpServer.start(HttpOptions.loopback(0), s.store, TestData.TIERS, new Metrics(), "io/spindle/http/no-such-ui")) {
            assertError(s.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(none.url() + "ui")).GET()), 404, "dashboard is not part of this build");
        }
    }
}
