package io.spindle.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.store.SeriesStore;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Building Grafana requests as the plugin sends them, and checking the answers against the store. */
final class Wire {
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Wire() {
    }

    /** Grafana's range time: ISO-8601 with milliseconds, UTC. */
    static String iso(long ns) {
        return ISO.format(Instant.ofEpochSecond(0, ns));
    }

    /** A /query body like the plugin's, for [from, to] (ns, whole ms) with the given targets JSON. */
    static String query(long fromNs, long toNs, int maxDataPoints, String targets) {
        return """
                {"app":"dashboard","requestId":"Q100","timezone":"browser","panelId":2,"dashboardUID":"spindle",
                 "range":{"from":"%s","to":"%s","raw":{"from":"now-6h","to":"now"}},
                 "timeInfo":"","interval":"100ms","intervalMs":100,"maxDataPoints":%d,
                 "targets":%s,"scopedVars":{},"startTime":1700000000000,"rangeRaw":{"from":"now-6h","to":"now"},
                 "adhocFilters":[],"filters":[]}""".formatted(iso(fromNs), iso(toNs), maxDataPoints, targets);
    }

    static String target(String name, String refId, String payload) {
        return "{\"refId\":\"" + refId + "\",\"datasource\":{\"type\":\"simpod-json-datasource\",\"uid\":\"spindle\"},"
                + "\"editorMode\":\"code\",\"target\":\"" + name.replace("\\", "\\\\") + "\",\"payload\":" + payload + "}";
    }

    static long ns(JsonNode ms) {
        return ms.decimalValue().multiply(BigDecimal.valueOf(1_000_000)).longValueExact();
    }

    /** A time series answer's real points (not the gap markers) as [t ns, v bits] pairs, checked for shape and order. */
    static List<long[]> points(JsonNode series, long fromNs, long toExclusive, int maxPoints) {
        JsonNode dps = series.get("datapoints");
        assertThat(dps.isArray()).isTrue();
        List<long[]> out = new ArrayList<>();
        long prev = Long.MIN_VALUE;
        boolean prevNull = true; // a series never starts with a gap marker
        for (JsonNode dp : dps) {
            assertThat(dp.size()).as("[value, time] pair %s", dp).isEqualTo(2);
            long t = ns(dp.get(1));
            assertThat(t).as("times ascend").isGreaterThan(prev);
            assertThat(t).isBetween(fromNs, toExclusive - 1);
            if (dp.get(0).isNull()) {
                assertThat(prevNull).as("gap marker %s follows a point", dp).isFalse();
                prevNull = true;
            } else {
                assertThat(dp.get(0).isNumber()).isTrue();
                out.add(new long[] {t, Double.doubleToLongBits(dp.get(0).doubleValue())});
                prevNull = false;
            }
            prev = t;
        }
        assertThat(prevNull && !out.isEmpty()).as("a series never ends with a gap marker").isFalse();
        assertThat(out.size()).isLessThanOrEqualTo(maxPoints);
        return out;
    }

    static int nulls(JsonNode series) {
        int n = 0;
        for (JsonNode dp : series.get("datapoints")) if (dp.get(0).isNull()) n++;
        return n;
    }

    /** Every point is stored at the level the answer names, with the same value. */
    static void allStored(SeriesStore store, String name, int level, List<long[]> pts, long from, long to) {
        int cap = (int) store.count(name, level, from, to) + 1;
        long[] t = new long[cap];
        double[] v = new double[cap];
        int n = store.read(name, level, from, to, cap, t, v);
        for (long[] p : pts) {
            int i = Arrays.binarySearch(t, 0, n, p[0]);
            assertThat(i).as("point at %d stored at level %d", p[0], level).isGreaterThanOrEqualTo(0);
            assertThat(Double.longBitsToDouble(p[1])).isEqualTo(v[i]);
        }
    }
}
