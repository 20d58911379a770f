package io.spindle.http;

import static io.spindle.http.TestData.S;
import static io.spindle.http.TestData.T0;
import static io.spindle.http.TestData.VIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.spindle.testkit.Fuzz;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Grafana's requests are outside input: mutated /query, /metrics and /metric-payload-options bodies over real HTTP
 * against a real server and store get 200 or a 4xx with a JSON error, never a 5xx, never a hang.
 */
class QueryFuzzTest {
    private static final String[] PATHS = {"/query", "/query", "/query", "/metrics", "/metric-payload-options", "/api/v1/points"};

    /** The dashboard's points query with the input spread over its parameters. */
    private static String pointsQuery(byte[] in) {
        String text = new String(in, StandardCharsets.UTF_8);
        String[] p = {"series", "from_ms", "to_ms", "max_points", "source"};
        StringBuilder b = new StringBuilder();
        int part = Math.max(1, text.length() / p.length);
        for (int k = 0; k < p.length; k++) {
            String v = text.substring(Math.min(text.length(), k * part), k == p.length - 1 ? text.length() : Math.min(text.length(), (k + 1) * part));
            b.append(k == 0 ? "" : "&").append(p[k]).append('=').append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    @Test
    void mutatedRequestsGetAnAnswerOrA4xxNeverA5xx() {
        TestServer s = TestServer.shared();
        long from = T0 + 60 * S, to = T0 + 600 * S;
        List<byte[]> seeds = Fuzz.utf8(
                Wire.query(from, to, 500, "[" + Wire.target(VIB, "A", "{}") + "]"),
                Wire.query(from, to, 2000, "[" + Wire.target(VIB, "A", "{\"consistent\":\"on\",\"source\":\"raw\"}") + ","
                        + Wire.target("press/temp", "B", "{\"format\":\"table\"}") + "]"),
                "{\"metric\":\"VIB\",\"payload\":{}}",
                "{\"metric\":\"sim/vib0\",\"payload\":{},\"name\":\"source\"}",
                "{\"range\":{\"from\":\"2023-11-14T22:13:20.000Z\",\"to\":\"2023-11-14T22:23:20.000Z\"},\"maxDataPoints\":50,"
                        + "\"targets\":[{\"target\":\"/sim/.*/\",\"refId\":\"A\",\"payload\":{}}],\"adhocFilters\":[{\"key\":\"device\",\"operator\":\"=\",\"value\":\"sim\"}]}");
        int[] i = {0};
        int[] ok = {0};
        Fuzz.Report r = Fuzz.run("grafana-query", seeds, e -> false, in -> {
            String path = PATHS[i[0]++ % PATHS.length];
            TestServer.Resp resp = path.startsWith("/api") ? s.get(path + "?" + pointsQuery(in)) : s.post(path, in);
            assertThat(resp.status()).as(path + " answered " + resp.body()).isLessThan(500);
            if (resp.status() >= 400) assertThat(resp.json().has("error")).as(resp.body()).isTrue();
            else ok[0]++;
        }, 1_500);
        assertThat(r.inputs()).isGreaterThanOrEqualTo(1_500);
        assertThat(ok[0]).as("some mutations are still valid requests").isPositive();
    }
}
