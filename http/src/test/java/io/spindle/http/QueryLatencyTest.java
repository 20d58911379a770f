package io.spindle.http;

import static io.spindle.http.TestData.S;
import static io.spindle.http.TestData.T0;
import static io.spindle.http.TestData.VIB;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * /query latency over real HTTP on the filled test store (1.1 M raw samples of one series, its four tiers) for
 * maxDataPoints 50, 500, 2,000 and 5,000 over one minute, ten minutes and the whole range; prints p50/p99 per M.
 * The bound asserted is loose (the machine is shared); the printed numbers are the measurement.
 */
class QueryLatencyTest {
    @Test
    void queryLatencyPerMaxDataPoints() {
        TestServer s = TestServer.shared();
        long[][] ranges = {{T0 + 300 * S, T0 + 360 * S}, {T0 + 400 * S, T0 + 1000 * S}, {T0, TestData.VIB_END}};
        String target = "[" + Wire.target(VIB, "A", "{}") + "]";
        for (int warm = 0; warm < 20; warm++) s.post("/query", Wire.query(ranges[warm % 3][0], ranges[warm % 3][1], 2000, target));
        StringBuilder report = new StringBuilder("query latency over HTTP (SQLite, 1.1 M raw samples, ranges 1 min / 10 min / 20 min):");
        for (int m : new int[] {50, 500, 2000, 5000}) {
            int rounds = 10;
            double[] ms = new double[rounds * ranges.length];
            int k = 0;
            for (int i = 0; i < rounds; i++)
                for (long[] r : ranges) {
                    long t0 = System.nanoTime();
                    TestServer.Resp resp = s.post("/query", Wire.query(r[0], r[1], m, target));
                    ms[k++] = (System.nanoTime() - t0) / 1e6;
                    assertThat(resp.status()).isEqualTo(200);
                }
            Arrays.sort(ms);
            double p50 = ms[ms.length / 2], p99 = ms[(int) Math.ceil(ms.length * 0.99) - 1];
            report.append(String.format(" M%d p50 %.1f ms p99 %.1f ms;", m, p50, p99));
            assertThat(p99).as("p99 at M %d", m).isLessThan(1000);
        }
        System.out.println(report);
    }
}
