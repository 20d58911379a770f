package io.spindle.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Times {@code POST /query} of the Grafana JSON datasource protocol over HTTP, as Grafana sends it: one client with
 * keep-alive, one request at a time, each cell (maxDataPoints M × range length) visited once per round in a shuffled
 * order so that the machine's load falls on every cell alike. A range's start is drawn at random over the series (so
 * no cell reads the same pages every time); "whole" is the full series. The clock runs from sending the request to
 * having the whole body; checking the response (HTTP 200, one series, at most M points) is done after it.
 */
final class QueryLoad {
    /** maxDataPoints measured. */
    static final int[] MAX_POINTS = {50, 500, 2000, 5000};
    /** Range lengths measured; 0 is the whole series. */
    static final long[] RANGE_MS = {60_000L, 600_000L, 3_600_000L, 6 * 3_600_000L, 0};
    static final String[] RANGE_LABELS = {"1m", "10m", "1h", "6h", "whole"};
    /** Raw-ring queries: the newest 10 s and 1 min of raw samples, LTTB to this many points. */
    static final int RAW_MAX_POINTS = 2000;
    static final long[] RAW_RANGE_MS = {10_000L, 60_000L};
    static final String[] RAW_LABELS = {"10s", "1m"};
    private static final JsonFactory JSON = new JsonFactory();

    private final URI base;
    private final QueryDataset ds;
    private final int requests, warmups;
    private final Consumer<String> progress;
    private final List<String> notes;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Random rnd = new Random(42);
    // CPU of the whole process (server, client, GC, JIT) while a request runs: its cost, whatever else the machine runs
    private final com.sun.management.OperatingSystemMXBean cpu =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    QueryLoad(URI base, QueryDataset ds, int requests, int warmups, Consumer<String> progress, List<String> notes) {
        this.base = base;
        this.ds = ds;
        this.requests = requests;
        this.warmups = warmups;
        this.progress = progress;
        this.notes = notes;
    }

    /** A cell being measured. */
    private final class Probe {
        final String source;
        final int m;
        final String label;
        final long spanMs; // 0: the whole series
        final boolean newest; // raw: the newest span, else a random start
        final long[] lat = new long[requests];
        long cpuNs;
        int n, pointsMin = Integer.MAX_VALUE, pointsMax;

        Probe(String source, int m, String label, long spanMs, boolean newest) {
            this.source = source;
            this.m = m;
            this.label = label;
            this.spanMs = spanMs;
            this.newest = newest;
        }

        QueryCell cell() {
            return new QueryCell(source, m, label, spanMs == 0 ? seriesSpanMs() : spanMs, Arrays.copyOf(lat, n),
                    n == 0 ? 0 : pointsMin, pointsMax, n == 0 ? Double.NaN : cpuNs / 1e6 / n);
        }
    }

    private long firstMs() {
        return Math.floorDiv(ds.firstNs(), 1_000_000L);
    }

    private long lastMs() {
        return Math.floorDiv(ds.lastNs(), 1_000_000L); // Grafana's range is inclusive: its last millisecond holds the last sample
    }

    private long seriesSpanMs() {
        return lastMs() - firstMs();
    }

    /** Runs warm-up and timed rounds; returns the tier cells and the raw cells. */
    List<List<QueryCell>> run() throws BenchException {
        List<Probe> probes = new ArrayList<>();
        for (int m : MAX_POINTS)
            for (int r = 0; r < RANGE_MS.length; r++) {
                if (RANGE_MS[r] != 0 && RANGE_MS[r] >= seriesSpanMs()) {
                    if (m == MAX_POINTS[0])
                        notes.add("range " + RANGE_LABELS[r] + " left out: the series spans only " + seriesSpanMs() / 1000 + " s");
                    continue;
                }
                probes.add(new Probe("tiers", m, RANGE_LABELS[r], RANGE_MS[r], false));
            }
        long rawSpanMs = ds.rawSamples() * 1000L / ds.rateHz();
        for (int r = 0; r < RAW_RANGE_MS.length; r++)
            if (RAW_RANGE_MS[r] <= rawSpanMs) probes.add(new Probe("raw", RAW_MAX_POINTS, RAW_LABELS[r], RAW_RANGE_MS[r], true));

        List<Probe> order = new ArrayList<>(probes);
        long t0 = System.nanoTime(), lastSay = t0;
        int rounds = warmups + requests;
        for (int round = 0; round < rounds; round++) {
            Collections.shuffle(order, rnd);
            for (Probe p : order) {
                long from, to;
                if (p.spanMs == 0) {
                    from = firstMs();
                    to = lastMs();
                } else if (p.newest) {
                    to = lastMs();
                    from = to - p.spanMs;
                } else {
                    from = firstMs() + (long) (rnd.nextDouble() * (seriesSpanMs() - p.spanMs));
                    to = from + p.spanMs;
                }
                byte[] body = body(from, to, p.m, p.source);
                HttpRequest req = HttpRequest.newBuilder(base.resolve("query")).timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                long cpu0 = cpu.getProcessCpuTime(), start = System.nanoTime();
                HttpResponse<byte[]> resp;
                try {
                    resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                } catch (IOException e) {
                    throw new BenchException("POST " + req.uri() + " failed: " + e, e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BenchException("interrupted while querying", e);
                }
                long took = System.nanoTime() - start, cpuTook = cpu.getProcessCpuTime() - cpu0;
                String what = "POST /query (" + p.source + ", maxDataPoints " + p.m + ", " + p.label + " from " + Instant.ofEpochMilli(from) + ")";
                if (resp.statusCode() != 200)
                    throw new BenchException(what + ": HTTP " + resp.statusCode() + ": " + snippet(resp.body()) + "; request " + snippet(body));
                int points = check(resp.body(), p.m, from, to, what);
                if (round >= warmups) {
                    p.lat[p.n++] = took;
                    p.cpuNs += cpuTook;
                    p.pointsMin = Math.min(p.pointsMin, points);
                    p.pointsMax = Math.max(p.pointsMax, points);
                }
            }
            long now = System.nanoTime();
            if (now - lastSay >= 2_000_000_000L || round == rounds - 1) {
                lastSay = now;
                progress.accept(String.format(Locale.ROOT, "bench query: %s round %d/%d (%d cells, %.0f requests/s)",
                        round < warmups ? "warm-up" : "timed", round < warmups ? round + 1 : round - warmups + 1,
                        round < warmups ? warmups : requests, probes.size(), (round + 1.0) * probes.size() / ((now - t0) / 1e9)));
            }
        }
        List<QueryCell> tiers = new ArrayList<>(), raw = new ArrayList<>();
        for (Probe p : probes) (p.source.equals("raw") ? raw : tiers).add(p.cell());
        return List.of(tiers, raw);
    }

    /** The request body Grafana's simpod-json-datasource sends for one panel with one target. */
    private byte[] body(long fromMs, long toMs, int m, String source) {
        long intervalMs = Math.max(1, (toMs - fromMs) / m);
        String s = "{\"panelId\":1,\"range\":{\"from\":\"" + Instant.ofEpochMilli(fromMs) + "\",\"to\":\"" + Instant.ofEpochMilli(toMs)
                + "\",\"raw\":{\"from\":\"" + Instant.ofEpochMilli(fromMs) + "\",\"to\":\"" + Instant.ofEpochMilli(toMs) + "\"}},"
                + "\"interval\":\"" + intervalMs + "ms\",\"intervalMs\":" + intervalMs + ",\"maxDataPoints\":" + m
                + ",\"targets\":[{\"refId\":\"A\",\"target\":\"" + ds.series() + "\",\"payload\":{\"source\":\"" + source + "\"}}],"
                + "\"adhocFilters\":[]}";
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The response's point count; BenchException unless it is 200 with exactly one series whose datapoints are
     * [value or null, time ms] in time order inside the range, at most M of them. Read with the streaming parser,
     * so that checking adds little garbage (and GC) to the requests being timed.
     */
    static int check(byte[] resp, int maxPoints, long fromMs, long toMs, String what) throws BenchException {
        int n = 0, series = 0;
        try (JsonParser in = JSON.createParser(resp)) {
            if (in.nextToken() != JsonToken.START_ARRAY) throw bad(what, "is not a JSON array", resp);
            while (in.nextToken() == JsonToken.START_OBJECT) {
                series++;
                boolean sawPoints = false;
                while (in.nextToken() == JsonToken.FIELD_NAME) {
                    String field = in.currentName();
                    JsonToken tok = in.nextToken();
                    if (!field.equals("datapoints")) {
                        in.skipChildren();
                        continue;
                    }
                    if (tok != JsonToken.START_ARRAY) throw bad(what, "has \"datapoints\" that is not an array", resp);
                    sawPoints = true;
                    double last = Double.NEGATIVE_INFINITY;
                    while (in.nextToken() == JsonToken.START_ARRAY) {
                        JsonToken v = in.nextToken(), t = in.nextToken();
                        double tm = t != null && t.isNumeric() ? in.getDoubleValue() : Double.NaN;
                        if (v != JsonToken.VALUE_NULL && !v.isNumeric() || Double.isNaN(tm) || in.nextToken() != JsonToken.END_ARRAY)
                            throw bad(what, "has a datapoint that is not [value or null, time_ms]", resp);
                        if (tm < fromMs || tm >= toMs + 1) throw new BenchException(what + ": a point at " + tm + " ms lies outside the range");
                        if (tm < last) throw new BenchException(what + ": points are not in time order at " + tm + " ms");
                        last = tm;
                        n++;
                    }
                }
                if (!sawPoints) throw bad(what, "has a series without \"datapoints\"", resp);
            }
        } catch (IOException e) {
            throw new BenchException(what + ": the response is not valid JSON: " + e.getMessage(), e);
        }
        if (series != 1) throw bad(what, "holds " + series + " series, not 1", resp);
        if (n > maxPoints) throw new BenchException(what + ": " + n + " points returned, more than maxDataPoints " + maxPoints);
        if (n == 0) throw new BenchException(what + ": no points returned for a range that holds data");
        return n;
    }

    private static BenchException bad(String what, String why, byte[] resp) {
        return new BenchException(what + ": the response " + why + ": " + snippet(resp));
    }

    private static String snippet(byte[] b) {
        String s = new String(b, StandardCharsets.UTF_8);
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
