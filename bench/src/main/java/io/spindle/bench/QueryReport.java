package io.spindle.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code spindle bench query} measured. JSON: {@code {"raw_equivalent_samples": n, "results": {"M50": {"p50_ms": a,
 * "p99_ms": b, ...}, "M500": {...}, "M2000": {...}, "M5000": {...}}, "by_range": {"M2000": {"1m": {...}, ...}, ...},
 * "raw": {...}, "goal": {...}, "fill": {...}, ...}}}.
 */
public record QueryReport(QueryDataset dataset, boolean reused, String storeLocation, long storeBytes, int requestsPerCell,
                          List<QueryCell> cells, List<QueryCell> rawCells, double loadStart, double loadEnd,
                          List<String> notes) {
    /** The goal of issue 7: p99 under this at {@link #GOAL_MAX_POINTS}, for every range. */
    public static final double GOAL_P99_MS = 50;
    public static final int GOAL_MAX_POINTS = 2000;

    public QueryReport {
        cells = List.copyOf(cells);
        rawCells = List.copyOf(rawCells);
        notes = List.copyOf(notes);
    }

    /** Nearest-rank percentile of sorted nanosecond latencies, in ms (NaN when there are none). */
    static double percentileMs(long[] sortedNs, double pct) {
        if (sortedNs.length == 0) return Double.NaN;
        int rank = (int) Math.ceil(pct / 100.0 * sortedNs.length);
        return sortedNs[Math.max(0, Math.min(sortedNs.length, rank) - 1)] / 1e6;
    }

    /** Latencies of every range of one maxDataPoints, pooled and sorted. */
    long[] pooled(int maxPoints) {
        return cells.stream().filter(c -> c.maxPoints() == maxPoints).flatMapToLong(c -> java.util.Arrays.stream(c.latencyNs()))
                .sorted().toArray();
    }

    /** Mean process CPU per request over every range of one maxDataPoints. */
    double cpuMs(int maxPoints) {
        return cells.stream().filter(c -> c.maxPoints() == maxPoints).mapToDouble(QueryCell::cpuMsMean).average().orElse(Double.NaN);
    }

    /** Whether p99 stayed under the goal at the goal's maxDataPoints for every range measured. */
    public boolean goalMet() {
        boolean any = false;
        for (QueryCell c : cells) {
            if (c.maxPoints() != GOAL_MAX_POINTS) continue;
            any = true;
            if (!(c.p99Ms() < GOAL_P99_MS)) return false;
        }
        return any;
    }

    public String toJson() {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("{\"raw_equivalent_samples\": ").append(dataset.samples()).append(", \"results\": {");
        int i = 0;
        for (int m : QueryLoad.MAX_POINTS) {
            long[] all = pooled(m);
            if (all.length == 0) continue;
            if (i++ > 0) sb.append(", ");
            sb.append("\"M").append(m).append("\": {\"p50_ms\": ").append(num(percentileMs(all, 50)))
                    .append(", \"p99_ms\": ").append(num(percentileMs(all, 99)))
                    .append(", \"max_ms\": ").append(num(percentileMs(all, 100)))
                    .append(", \"cpu_ms_mean\": ").append(num(cpuMs(m)))
                    .append(", \"requests\": ").append(all.length).append('}');
        }
        sb.append("}, \"by_range\": ");
        byRange(sb, cells);
        sb.append(", \"raw\": ");
        byRange(sb, rawCells);
        sb.append(", \"goal\": {\"max_data_points\": ").append(GOAL_MAX_POINTS).append(", \"p99_ms_under\": ").append(num(GOAL_P99_MS))
                .append(", \"every_range\": true, \"met\": ").append(goalMet()).append('}');
        sb.append(", \"fill\": {\"reused\": ").append(reused)
                .append(", \"seconds\": ").append(num(dataset.fillSeconds()))
                .append(", \"samples_per_sec\": ").append(num(dataset.samples() / dataset.fillSeconds()))
                .append(", \"rate_hz\": ").append(dataset.rateHz())
                .append(", \"span_s\": ").append(num((dataset.lastNs() - dataset.firstNs()) / 1e9))
                .append(", \"bucket_ms\": ").append(num(dataset.bucketNanos() / 1e6))
                .append(", \"factor\": ").append(dataset.factor())
                .append(", \"levels\": ").append(dataset.levels())
                .append(", \"tier_points\": [");
        for (int k = 0; k < dataset.levels(); k++) sb.append(k > 0 ? ", " : "").append(dataset.tierPoints()[k]);
        sb.append("], \"raw_samples\": ").append(dataset.rawSamples()).append('}');
        sb.append(", \"store\": {\"kind\": \"sqlite\", \"location\": ").append(str(storeLocation))
                .append(", \"bytes\": ").append(storeBytes).append('}');
        sb.append(", \"series\": ").append(str(dataset.series()));
        sb.append(", \"machine\": {\"cpus\": ").append(Runtime.getRuntime().availableProcessors())
                .append(", \"load_average_start\": ").append(num(loadStart))
                .append(", \"load_average_end\": ").append(num(loadEnd)).append('}');
        sb.append(", \"requests_per_cell\": ").append(requestsPerCell);
        sb.append(", \"notes\": [");
        for (int n = 0; n < notes.size(); n++) sb.append(n > 0 ? ", " : "").append(str(notes.get(n)));
        return sb.append("]}").toString();
    }

    private static void byRange(StringBuilder sb, List<QueryCell> cs) {
        Map<Integer, List<QueryCell>> byM = new LinkedHashMap<>();
        for (QueryCell c : cs) byM.computeIfAbsent(c.maxPoints(), k -> new java.util.ArrayList<>()).add(c);
        sb.append('{');
        int i = 0;
        for (var e : byM.entrySet()) {
            if (i++ > 0) sb.append(", ");
            sb.append("\"M").append(e.getKey()).append("\": {");
            int j = 0;
            for (QueryCell c : e.getValue()) {
                if (j++ > 0) sb.append(", ");
                sb.append(str(c.range())).append(": {\"p50_ms\": ").append(num(c.p50Ms()))
                        .append(", \"p99_ms\": ").append(num(c.p99Ms()))
                        .append(", \"max_ms\": ").append(num(c.maxMs()))
                        .append(", \"cpu_ms_mean\": ").append(num(c.cpuMsMean()))
                        .append(", \"span_ms\": ").append(c.spanMs())
                        .append(", \"points_min\": ").append(c.pointsMin())
                        .append(", \"points_max\": ").append(c.pointsMax()).append('}');
            }
            sb.append('}');
        }
        sb.append('}');
    }

    /** A table: p50/p99 per maxDataPoints, then per range, then the goal and whether it is met. */
    public String toTable() {
        StringBuilder sb = new StringBuilder(4096);
        double spanH = (dataset.lastNs() - dataset.firstNs()) / 3.6e12;
        sb.append(String.format(Locale.ROOT, "query: %,d raw-equivalent samples of %s (%d Hz, %.1f h) through %d tiers "
                        + "(bucket %.0f ms, factor %d) into SQLite; %,d tier points, %,d raw samples (newest); store %.0f MB%n",
                dataset.samples(), dataset.series(), dataset.rateHz(), spanH, dataset.levels(), dataset.bucketNanos() / 1e6,
                dataset.factor(), dataset.totalTierPoints(), dataset.rawSamples(), storeBytes / 1e6));
        sb.append(reused ? String.format(Locale.ROOT, "fill: reused (it took %.1f s when made)%n", dataset.fillSeconds())
                : String.format(Locale.ROOT, "fill: %.1f s = %.2f M samples/s%n", dataset.fillSeconds(),
                dataset.samples() / dataset.fillSeconds() / 1e6));
        sb.append(String.format(Locale.ROOT, "%nPOST /query over HTTP (keep-alive), %d timed requests per cell; %d cpus, "
                + "load average %.1f at the start, %.1f at the end%n%n", requestsPerCell, Runtime.getRuntime().availableProcessors(),
                loadStart, loadEnd));
        sb.append(String.format(Locale.ROOT, "%-8s %10s %10s %10s %10s%n", "M", "p50 ms", "p99 ms", "max ms", "cpu ms"));
        for (int m : QueryLoad.MAX_POINTS) {
            long[] all = pooled(m);
            if (all.length == 0) continue;
            sb.append(String.format(Locale.ROOT, "%-8s %10.2f %10.2f %10.2f %10.2f%n", "M" + m, percentileMs(all, 50),
                    percentileMs(all, 99), percentileMs(all, 100), cpuMs(m)));
        }
        sb.append(String.format(Locale.ROOT, "%n%-8s %-7s %10s %10s %10s %10s %10s%n", "M", "range", "p50 ms", "p99 ms", "max ms",
                "cpu ms", "points"));
        for (QueryCell c : cells) row(sb, c, "");
        for (QueryCell c : rawCells) row(sb, c, " (source=raw, newest)");
        sb.append(String.format(Locale.ROOT, "%ngoal: p99 < %.0f ms at maxDataPoints %d for every range: %s%n", GOAL_P99_MS,
                GOAL_MAX_POINTS, goalMet() ? "met" : "NOT met"));
        for (String n : notes) sb.append("note: ").append(n).append('\n');
        return sb.toString();
    }

    private static void row(StringBuilder sb, QueryCell c, String suffix) {
        sb.append(String.format(Locale.ROOT, "%-8s %-7s %10.2f %10.2f %10.2f %10.2f %10s%s%n", "M" + c.maxPoints(), c.range(), c.p50Ms(),
                c.p99Ms(), c.maxMs(), c.cpuMsMean(), c.pointsMin() == c.pointsMax() ? "" + c.pointsMin()
                        : c.pointsMin() + "-" + c.pointsMax(), suffix));
    }

    /** The 1-minute load average of this machine now (Linux), or NaN. */
    static double loadAverage() {
        try {
            String s = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
            return Double.parseDouble(s.substring(0, s.indexOf(' ')));
        } catch (java.io.IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static String num(double d) {
        return Double.isFinite(d) ? String.format(Locale.ROOT, "%.3f", d) : "null";
    }

    private static String str(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (char ch : s.toCharArray()) {
            if (ch == '"' || ch == '\\') sb.append('\\').append(ch);
            else if (ch < 0x20) sb.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
            else sb.append(ch);
        }
        return sb.append('"').toString();
    }
}
