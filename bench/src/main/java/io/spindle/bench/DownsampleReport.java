package io.spindle.bench;

import java.util.List;
import java.util.Locale;

/**
 * What one {@code bench downsample} run measured, as JSON or as an aligned table.
 *
 * @param points    samples in the series
 * @param threshold points each downsampler keeps
 * @param warmups   untimed runs before timing, per contestant
 * @param runs      timed runs per contestant
 * @param results   measured contestants in report order; a contestant that could not run is absent
 * @param notes     remarks for the reader: what the data is, which contestant is missing and why
 * @param failed    whether a contestant that should have run failed or returned implausible output
 */
public record DownsampleReport(int points, int threshold, int warmups, int runs, List<BenchResult> results,
                               List<String> notes, boolean failed) {

    public DownsampleReport {
        results = List.copyOf(results);
        notes = List.copyOf(notes);
    }

    /** The result named name, or null when it is absent. */
    public BenchResult result(String name) {
        for (BenchResult r : results) if (r.name().equals(name)) return r;
        return null;
    }

    /** {@code {"points": n, "threshold": t, "results": {"lttb": {"points_per_sec": x, ...}, ...}, "notes": [...]}}. */
    public String toJson() {
        StringBuilder sb = new StringBuilder(1024);
        sb.append("{\"points\": ").append(points).append(", \"threshold\": ").append(threshold)
                .append(", \"warmups\": ").append(warmups).append(", \"runs\": ").append(runs)
                .append(", \"results\": {");
        BenchResult lttb = result("lttb");
        BenchResult js = fastestJs();
        String sep = "";
        for (BenchResult r : results) {
            sb.append(sep).append('"').append(r.name()).append("\": {\"points_per_sec\": ")
                    .append(num(r.pointsPerSec(points))).append(", \"median_ms\": ").append(num(r.medianMs()))
                    .append(", \"runs\": ").append(r.runs()).append(", \"kind\": \"").append(r.kind()).append('"');
            if (r.selected() >= 0) {
                sb.append(", \"selected\": ").append(r.selected()).append(", \"index_sum\": ").append(r.indexSum());
            }
            if (r.sameAsLttb() != null) sb.append(", \"same_as_lttb\": ").append(r.sameAsLttb());
            if (lttb != null) sb.append(", \"ratio_vs_lttb\": ").append(num(ratio(r, lttb)));
            if (js != null) sb.append(", \"ratio_vs_fastest_js\": ").append(num(ratio(r, js)));
            sb.append('}');
            sep = ", ";
        }
        sb.append("}, \"notes\": [");
        sep = "";
        for (String note : notes) {
            sb.append(sep).append(quote(note));
            sep = ", ";
        }
        return sb.append("], \"failed\": ").append(failed).append('}').toString();
    }

    /** A readable table: points/s, median ms, and speed relative to lttb and to the fastest JavaScript peer. */
    public String toTable() {
        BenchResult lttb = result("lttb");
        BenchResult js = fastestJs();
        StringBuilder sb = new StringBuilder(1024);
        sb.append(String.format(Locale.ROOT, "downsample %,d points to %,d (median of %d runs after %d warmups)%n",
                points, threshold, runs, warmups));
        String head = String.format(Locale.ROOT, "%-20s %14s %11s %9s %12s %9s", "contestant", "points/s",
                "median ms", "vs lttb", "vs fastest JS", "selected");
        sb.append(head).append('\n').append("-".repeat(head.length())).append('\n');
        for (BenchResult r : results) {
            String sel = r.selected() < 0 ? "-" : r.selected() + (Boolean.FALSE.equals(r.sameAsLttb()) ? "*" : "");
            sb.append(String.format(Locale.ROOT, "%-20s %14s %11.2f %9s %12s %9s%n", r.name(),
                    rate(r.pointsPerSec(points)), r.medianMs(), times(lttb == null ? Double.NaN : ratio(r, lttb)),
                    times(js == null ? Double.NaN : ratio(r, js)), sel));
        }
        if (results.stream().anyMatch(r -> Boolean.FALSE.equals(r.sameAsLttb()))) {
            sb.append("* selects other points than lttb (see notes)\n");
        }
        if (!notes.isEmpty()) {
            sb.append("notes:\n");
            for (String note : notes) sb.append("  - ").append(note).append('\n');
        }
        if (failed) sb.append("FAILED: a contestant did not run or returned implausible output (see notes)\n");
        return sb.toString().stripTrailing();
    }

    /** The JavaScript peer with the highest throughput, or null when none ran. */
    public BenchResult fastestJs() {
        BenchResult best = null;
        for (BenchResult r : results) {
            if (r.kind().equals("node") && (best == null || r.medianMs() < best.medianMs())) best = r;
        }
        return best;
    }

    /** How many times faster than base r is (above 1: faster). */
    private static double ratio(BenchResult r, BenchResult base) {
        return Math.max(base.medianMs(), 1e-6) / Math.max(r.medianMs(), 1e-6);
    }

    private static String rate(double perSec) {
        if (perSec >= 1e9) return String.format(Locale.ROOT, "%.2f G/s", perSec / 1e9);
        if (perSec >= 1e6) return String.format(Locale.ROOT, "%.1f M/s", perSec / 1e6);
        if (perSec >= 1e3) return String.format(Locale.ROOT, "%.1f k/s", perSec / 1e3);
        return String.format(Locale.ROOT, "%.0f /s", perSec);
    }

    private static String times(double ratio) {
        return Double.isFinite(ratio) ? String.format(Locale.ROOT, "%.2fx", ratio) : "-";
    }

    /** A JSON number: finite by construction of the ratios above, rounded to keep the line readable. */
    private static String num(double v) {
        if (!Double.isFinite(v)) return "null";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return String.format(Locale.ROOT, Math.abs(v) >= 1000 ? "%.1f" : "%.4f", v);
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }
}
