package io.spindle.http;

import static io.spindle.http.TestData.GAP2_FROM;
import static io.spindle.http.TestData.GAP2_TO;
import static io.spindle.http.TestData.MS;
import static io.spindle.http.TestData.S;
import static io.spindle.http.TestData.T0;
import static io.spindle.http.TestData.VIB;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Grafana JSON datasource endpoints over real HTTP against a real server and store. */
class GrafanaApiTest {
    static TestServer s;

    @BeforeAll
    static void server() {
        s = TestServer.shared();
    }

    @Test
    void rootAnswers200ForTheConnectionTest() {
        TestServer.Resp r = s.get("/");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("Spindle");
    }

    @Test
    void metricsListsSeriesFilteredByTheTypedTextWithPayloadOptionsAndTags() {
        JsonNode all = s.post("/metrics", "{}").json();
        assertThat(names(all, "value")).containsExactly("press/temp", "sim/short", "sim/vib0");
        JsonNode first = all.get(0);
        assertThat(first.get("label").asText()).isEqualTo("press/temp");
        assertThat(first.get("tags").get("device").asText()).isEqualTo("press");
        List<String> payloads = new ArrayList<>();
        for (JsonNode p : first.get("payloads")) {
            payloads.add(p.get("name").asText());
            assertThat(p.get("type").asText()).isEqualTo("select");
            assertThat(p.get("options").size()).isEqualTo(2);
        }
        assertThat(payloads).containsExactly("consistent", "source", "format");
        // the plugin sends what is typed as "metric" (and payload); an empty body is Grafana's {} too
        assertThat(names(s.post("/metrics", "{\"metric\":\"VIB\",\"payload\":{}}").json(), "value")).containsExactly("sim/vib0");
        assertThat(names(s.post("/metrics", "{\"target\":\"press\"}").json(), "value")).containsExactly("press/temp");
        assertThat(names(s.post("/metrics", "").json(), "value")).hasSize(3);
        assertThat(s.post("/metrics", "{\"metric\":\"nothing-like-it\"}").json().size()).isZero();
    }

    @Test
    void metricPayloadOptionsListsAnOptionsValues() {
        JsonNode r = s.post("/metric-payload-options", "{\"metric\":\"sim/vib0\",\"payload\":{},\"name\":\"source\"}").json();
        assertThat(names(r, "value")).containsExactly("tiers", "raw");
        assertThat(names(r, "label")).containsExactly("tiers", "raw");
        TestServer.Resp bad = s.post("/metric-payload-options", "{\"metric\":\"sim/vib0\",\"name\":\"colour\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").asText()).contains("'colour'").contains("consistent");
        assertThat(s.post("/metric-payload-options", "{\"metric\":\"sim/vib0\"}").json().get("error").asText()).contains("missing field name");
    }

    @Test
    void queryAnswersTimeSeriesOfAtMostMaxDataPointsRealSamples() {
        long from = T0 + 60 * S, to = T0 + 600 * S;
        for (int m : new int[] {1, 50, 500, 2000, 5000}) {
            TestServer.Resp r = s.post("/query", Wire.query(from, to, m, "[" + Wire.target(VIB, "A", "{}") + "]"));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.raw().headers().firstValue("content-type").orElse("")).startsWith("application/json");
            JsonNode arr = r.json();
            assertThat(arr.size()).isEqualTo(1);
            JsonNode ts = arr.get(0);
            assertThat(ts.get("target").asText()).isEqualTo(VIB);
            assertThat(ts.get("refId").asText()).isEqualTo("A");
            List<long[]> pts = Wire.points(ts, from, to + MS, m);
            assertThat(pts).hasSize(m); // there are more samples than any of these M
            JsonNode custom = ts.get("meta").get("custom");
            assertThat(custom.get("points").asInt()).isEqualTo(m);
            Wire.allStored(s.store, VIB, custom.get("tier").asInt(), pts, from, to + MS);
        }
    }

    @Test
    void gapsComeBackAsNullsBetweenTheirNeighbours() {
        long from = T0 + 600 * S, to = T0 + 900 * S;
        JsonNode ts = s.post("/query", Wire.query(from, to, 1000, "[" + Wire.target(VIB, "A", "{}") + "]")).json().get(0);
        assertThat(Wire.nulls(ts)).isEqualTo(1);
        JsonNode dps = ts.get("datapoints");
        for (int i = 0; i < dps.size(); i++) {
            if (!dps.get(i).get(0).isNull()) continue;
            long before = Wire.ns(dps.get(i - 1).get(1)), at = Wire.ns(dps.get(i).get(1)), after = Wire.ns(dps.get(i + 1).get(1));
            assertThat(before).isLessThan(GAP2_FROM);
            assertThat(after).isGreaterThanOrEqualTo(GAP2_TO);
            assertThat(at).isStrictlyBetween(before, after);
        }
        assertThat(ts.get("meta").get("custom").get("gaps").asInt()).isEqualTo(1);
    }

    @Test
    void consistentPayloadMakesThe50PointViewASubsetOfThe5000PointView() {
        long from = T0 + 60 * S, to = T0 + 360 * S;
        List<long[]> small = null, big = null;
        for (String consistent : new String[] {"true", "\"true\""}) { // code mode sends JSON, builder mode strings
            String target = "[" + Wire.target(VIB, "A", "{\"consistent\":" + consistent + "}") + "]";
            JsonNode a = s.post("/query", Wire.query(from, to, 50, target)).json().get(0);
            JsonNode b = s.post("/query", Wire.query(from, to, 5000, target)).json().get(0);
            assertThat(a.get("meta").get("custom").get("consistent").asBoolean()).isTrue();
            assertThat(b.get("meta").get("custom").get("consistent").asBoolean()).isTrue();
            small = Wire.points(a, from, to + MS, 50);
            big = Wire.points(b, from, to + MS, 5000);
        }
        Set<Long> bigTimes = new HashSet<>();
        for (long[] p : big) bigTimes.add(p[0]);
        assertThat(small).isNotEmpty();
        for (long[] p : small) assertThat(bigTimes).contains(p[0]);
        // without consistency the 50 points are LTTB picks, typically not all in the 5000-point view's tier
        JsonNode lttb = s.post("/query", Wire.query(from, to, 50, "[" + Wire.target(VIB, "A", "{}") + "]")).json().get(0);
        assertThat(lttb.get("meta").get("custom").get("consistent").asBoolean()).isFalse();
    }

    @Test
    void consistentFallbackCarriesANotice() {
        JsonNode ts = s.post("/query", Wire.query(T0, TestData.VIB_END, 20, "[" + Wire.target(VIB, "A", "{\"consistent\":true}") + "]")).json().get(0);
        assertThat(Wire.points(ts, T0, TestData.VIB_END + MS, 20)).hasSize(20);
        assertThat(ts.get("meta").get("notices").get(0).get("text").asText()).contains("consistent view not possible");
    }

    @Test
    void tableFormatAnswersColumnsAndRowsWithGapRows() {
        long from = T0 + 600 * S, to = T0 + 900 * S;
        JsonNode t = s.post("/query", Wire.query(from, to, 300, "[" + Wire.target(VIB, "B", "{\"format\":\"table\"}") + "]")).json().get(0);
        assertThat(t.get("type").asText()).isEqualTo("table");
        assertThat(t.get("refId").asText()).isEqualTo("B");
        assertThat(t.get("columns").get(0).get("text").asText()).isEqualTo("Time");
        assertThat(t.get("columns").get(0).get("type").asText()).isEqualTo("time");
        assertThat(t.get("columns").get(1).get("text").asText()).isEqualTo(VIB);
        assertThat(t.get("columns").get(1).get("type").asText()).isEqualTo("number");
        int nulls = 0, rows = 0;
        for (JsonNode row : t.get("rows")) {
            assertThat(row.size()).isEqualTo(2);
            if (row.get(1).isNull()) nulls++;
            else rows++;
        }
        assertThat(nulls).isEqualTo(1);
        assertThat(rows).isEqualTo(300);
    }

    @Test
    void targetsExpandGrafanaMultiValueVariablesAndAdHocFiltersSelectDevices() {
        long from = T0 + 60 * S, to = T0 + 120 * S;
        JsonNode two = s.post("/query", Wire.query(from, to, 100, "[" + Wire.target("(sim/vib0|press/temp)", "A", "{}") + "]")).json();
        assertThat(names(two, "target")).containsExactly("sim/vib0", "press/temp");
        JsonNode escaped = s.post("/query", Wire.query(from, to, 100, "[" + Wire.target("sim\\/vib0", "A", "{}") + "]")).json();
        assertThat(names(escaped, "target")).containsExactly("sim/vib0");
        String body = Wire.query(from, to, 100, "[" + Wire.target("(sim/vib0|press/temp)", "A", "{}") + "]")
                .replace("\"adhocFilters\":[]", "\"adhocFilters\":[{\"key\":\"device\",\"operator\":\"=\",\"value\":\"press\"}]");
        assertThat(names(s.post("/query", body).json(), "target")).containsExactly("press/temp");
        String hidden = Wire.query(from, to, 100, "[" + Wire.target(VIB, "A", "{}").replace("{\"refId\"", "{\"hide\":true,\"refId\"") + ","
                + Wire.target("press/temp", "B", "{}") + "]");
        assertThat(names(s.post("/query", hidden).json(), "target")).containsExactly("press/temp");
    }

    @Test
    void rawSourceAndDerivedMaxDataPoints() {
        long from = T0 + 100 * S, to = T0 + 102 * S;
        JsonNode raw = s.post("/query", Wire.query(from, to, 100_000, "[" + Wire.target(VIB, "A", "{\"source\":\"raw\"}") + "]")).json().get(0);
        assertThat(raw.get("meta").get("custom").get("tier").asInt()).isEqualTo(-1);
        assertThat(Wire.points(raw, from, to + MS, 100_000)).hasSize(2001); // [from, to] inclusive at 1 kHz
        String noMax = Wire.query(from, to, 1, "[" + Wire.target(VIB, "A", "{}") + "]").replace("\"maxDataPoints\":1,", "");
        JsonNode derived = s.post("/query", noMax).json().get(0); // 2 s / 100 ms = 20 points
        assertThat(Wire.points(derived, from, to + MS, 20)).hasSize(20);
    }

    @Test
    void badRequestsGet400WithAClearMessage() {
        String ok = "[" + Wire.target(VIB, "A", "{}") + "]";
        long from = T0, to = T0 + 60 * S;
        assertError(s.post("/query", "{\"range\": {"), 400, "not valid JSON");
        assertError(s.post("/query", "{} trailing"), 400, "not valid JSON");
        assertError(s.post("/query", "{\"targets\":[],\"targets\":[]}"), 400, "Duplicate field 'targets'");
        assertError(s.post("/query", "[1,2]"), 400, "must be a JSON object");
        assertError(s.post("/query", ""), 400, "body is empty");
        assertError(s.post("/query", Wire.query(from, to, 100, "[" + Wire.target("sim/nope", "A", "{}") + "]")), 400, "unknown series 'sim/nope' in targets[0].target");
        assertError(s.post("/query", Wire.query(to, from, 100, ok)), 400, "range.to");
        assertError(s.post("/query", Wire.query(from, to, 0, ok)), 400, "maxDataPoints is 0, outside 1..100000");
        assertError(s.post("/query", Wire.query(from, to, 10_000_000, ok)), 400, "maxDataPoints is 10000000, outside 1..100000");
        assertError(s.post("/query", Wire.query(from, to, 100, ok).replace("\"maxDataPoints\":100", "\"maxDataPoints\":10.5")), 400, "whole number");
        assertError(s.post("/query", "{\"targets\":[],\"maxDataPoints\":10}"), 400, "missing field range");
        assertError(s.post("/query", "{\"range\":{\"from\":\"2024-01-01T00:00:00Z\"},\"targets\":[],\"maxDataPoints\":10}"), 400, "missing field range.to");
        assertError(s.post("/query", "{\"range\":{\"from\":\"2024-01-01T00:00:00Z\",\"to\":\"yesterday\"},\"targets\":[],\"maxDataPoints\":10}"), 400, "range.to 'yesterday' is not an ISO-8601 time");
        assertError(s.post("/query", Wire.query(from, to, 100, ok).replace("\"targets\":", "\"targetz\":")), 400, "missing field targets");
        assertError(s.post("/query", Wire.query(from, to, 100, "[{\"refId\":\"A\"}]")), 400, "missing field targets[0].target");
        assertError(s.post("/query", Wire.query(from, to, 100, "[" + Wire.target(VIB, "A", "{\"colour\":1}") + "]")), 400, "unknown option 'colour'");
        assertError(s.post("/query", Wire.query(from, to, 100, "[" + Wire.target(VIB, "A", "{\"source\":\"disk\"}") + "]")), 400, "targets[0].payload.source must be one of [tiers, raw]");
        assertError(s.post("/query", Wire.query(from, to, 100, ok).replace("\"adhocFilters\":[]", "\"adhocFilters\":[{\"key\":\"device\",\"operator\":\"=~\",\"value\":\"s.*\"}]")), 400, "operator '=~' is not supported");
        byte[] big = new byte[2 << 20];
        java.util.Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        big[big.length - 1] = '}';
        assertError(s.post("/query", big), 413, "at most 1048576 bytes");
        // the same without a Content-Length (chunked): read up to the bound, then refused
        assertError(s.send(java.net.http.HttpRequest.newBuilder(s.uri("/query"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)))), 413, "larger than that");
        // the server is still fine after all that
        assertThat(s.post("/query", Wire.query(from, to, 100, ok)).status()).isEqualTo(200);
    }

    @Test
    void concurrentQueriesAllAnswerTheSame() throws Exception {
        long from = T0 + 60 * S, to = T0 + 600 * S;
        String body = Wire.query(from, to, 2000, "[" + Wire.target(VIB, "A", "{}") + "," + Wire.target("press/temp", "B", "{}") + "]");
        String expected = s.post("/query", body).body().replaceAll("\"query_ms\":[0-9.]+", "");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<TestServer.Resp>> fs = new ArrayList<>();
            for (int i = 0; i < 40; i++) fs.add(pool.submit(() -> s.post("/query", body)));
            for (var f : fs) {
                TestServer.Resp r = f.get(60, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body().replaceAll("\"query_ms\":[0-9.]+", "")).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void variableListsSeriesOrDevices() {
        assertThat(names(s.post("/variable", "{\"payload\":{\"target\":\"devices\"},\"range\":{}}").json(), "__value")).containsExactly("press", "sim");
        assertThat(names(s.post("/variable", "{\"payload\":{\"target\":\"series\"}}").json(), "__text")).containsExactly("press/temp", "sim/short", "sim/vib0");
        assertThat(names(s.post("/variable", "{\"payload\":{\"target\":\"series:sim\"}}").json(), "__value")).containsExactly("sim/short", "sim/vib0");
        assertThat(names(s.post("/variable", "{\"payload\":{\"target\":\"series:(press|sim)\"}}").json(), "__value")).hasSize(3);
        assertThat(names(s.post("/variable", "{\"payload\":{\"target\":\"series\",\"device\":\"press\"}}").json(), "__value")).containsExactly("press/temp");
        assertError(s.post("/variable", "{\"payload\":{\"target\":\"machines\"}}"), 400, "variable query 'machines' is not known");
    }

    @Test
    void tagKeysAndValuesOfferTheDeviceTag() {
        JsonNode keys = s.post("/tag-keys", "{}").json();
        assertThat(keys.get(0).get("text").asText()).isEqualTo("device");
        assertThat(keys.get(0).get("type").asText()).isEqualTo("string");
        assertThat(s.post("/tag-keys", "").status()).isEqualTo(200);
        assertThat(names(s.post("/tag-values", "{\"key\":\"device\"}").json(), "text")).containsExactly("press", "sim");
        assertError(s.post("/tag-values", "{\"key\":\"colour\"}"), 400, "key 'colour' is not a tag");
        assertError(s.post("/tag-values", "{}"), 400, "missing field key");
    }

    static void assertError(TestServer.Resp r, int status, String text) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json().get("error").asText()).contains(text);
    }

    static List<String> names(JsonNode arr, String field) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : arr) out.add(n.get(field).asText());
        return out;
    }
}
