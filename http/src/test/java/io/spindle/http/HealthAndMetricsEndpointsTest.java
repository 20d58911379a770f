package io.spindle.http;

import static io.spindle.http.TestData.S;
import static io.spindle.http.TestData.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.store.StoreConfig;
import io.spindle.store.Stores;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /healthz, /readyz and Prometheus GET /metrics over real HTTP. */
class HealthAndMetricsEndpointsTest {
    @Test
    void healthzAndReadyzWhileTheStoreAnswers() {
        TestServer s = TestServer.shared();
        assertThat(s.get("/healthz").status()).isEqualTo(200);
        assertThat(s.get("/healthz").json().get("status").asText()).isEqualTo("up");
        TestServer.Resp ready = s.get("/readyz");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().get("status").asText()).isEqualTo("ready");
    }

    @Test
    void readyzSays503WithTheReasonOnceTheStoreIsClosed(@TempDir Path dir) {
        var store = Stores.open("sqlite:" + dir.resolve("r.db"), StoreConfig.defaults());
        try (HttpServer server = HttpServer.start(HttpOptions.loopback(0), store, TestData.TIERS, new Metrics())) {
            TestServer client = TestServer.shared();
            var get = (java.util.function.Function<String, TestServer.Resp>) p ->
                    client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + p)).GET());
            assertThat(get.apply("readyz").status()).isEqualTo(200);
            store.close();
            TestServer.Resp r = get.apply("readyz");
            assertThat(r.status()).isEqualTo(503);
            JsonNode j = r.json();
            assertThat(j.get("status").asText()).isEqualTo("not ready");
            assertThat(j.get("reason").asText()).contains("closed");
            assertThat(get.apply("healthz").status()).isEqualTo(200); // the process is still up
            // a query on the closed store is a 503 naming the store, not a 500
            TestServer.Resp q = get.apply("api/v1/series");
            assertThat(q.status()).isEqualTo(503);
            assertThat(q.json().get("error").asText()).startsWith("store unavailable").contains("closed");
        }
    }

    @Test
    void metricsExposesQueryTimeStatusCountsAndStoreCounters() {
        TestServer s = TestServer.shared();
        s.metrics.counter("spindle_samples_in_total", "Samples accepted by the sources", () -> 123);
        s.post("/query", Wire.query(T0, T0 + 60 * S, 500, "[" + Wire.target(TestData.VIB, "A", "{}") + "]"));
        s.post("/query", "{not json");
        s.get("/no/such/page");
        TestServer.Resp r = s.get("/metrics");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.raw().headers().firstValue("content-type").orElse("")).startsWith("text/plain; version=0.0.4");
        Map<String, Double> m = PrometheusTextCheck.parse(r.body());
        assertThat(m.get("spindle_samples_in_total")).isEqualTo(123.0);
        assertThat(m.get("spindle_http_request_duration_seconds_count{endpoint=\"/query\",method=\"POST\"}")).isGreaterThanOrEqualTo(2.0);
        assertThat(m.get("spindle_http_request_duration_seconds_sum{endpoint=\"/query\",method=\"POST\"}")).isPositive();
        assertThat(m.get("spindle_http_responses_total{code=\"200\",endpoint=\"/query\",method=\"POST\"}")).isGreaterThanOrEqualTo(1.0);
        assertThat(m.get("spindle_http_responses_total{code=\"400\",endpoint=\"/query\",method=\"POST\"}")).isGreaterThanOrEqualTo(1.0);
        assertThat(m.get("spindle_http_responses_total{code=\"404\",endpoint=\"other\",method=\"GET\"}")).isGreaterThanOrEqualTo(1.0);
        assertThat(m.get("spindle_store_rows_written_total")).isGreaterThan(1_000_000.0);
        assertThat(m.get("spindle_query_points_returned_total")).isGreaterThanOrEqualTo(500.0);
        assertThat(m).containsKey("spindle_store_commit_seconds{quantile=\"0.99\"}");
        assertThat(m.keySet()).anyMatch(k -> k.startsWith("spindle_query_plans_total{level="));
    }
}
