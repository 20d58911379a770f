package io.spindle.cli;

import java.util.List;
import java.util.Locale;

/** Prints fidelity rows as a text table for people or as a JSON array for machines. */
final class FidelityReport {
    private FidelityReport() {
    }

    /** A fixed-width table, one row per algorithm and point count, every line starting with indent. */
    static String table(List<FidelityMatrix.Row> rows, String indent) {
        StringBuilder sb = new StringBuilder();
        sb.append(indent).append(String.format(Locale.ROOT, "%-11s %7s %7s %11s %9s %9s%n",
                "algorithm", "points", "kept", "mismatch %", "DSSIM", "select"));
        for (FidelityMatrix.Row r : rows) {
            sb.append(indent).append(String.format(Locale.ROOT, "%-11s %7d %7d %11.3f %9.5f %9s%n",
                    r.algo().id(), r.points(), r.keptCount(), r.mismatchPercent(), r.dssim(), duration(r.selectNanos())));
        }
        return sb.toString();
    }

    /** {@code [{"algo":"lttb","points":50,"kept":50,"pixel_mismatch_pct":..,"dssim":..,"select_ms":..},...]}. */
    static StringBuilder json(StringBuilder sb, List<FidelityMatrix.Row> rows) {
        sb.append('[');
        for (int i = 0; i < rows.size(); i++) {
            FidelityMatrix.Row r = rows.get(i);
            if (i > 0) sb.append(',');
            sb.append('{');
            Json.key(sb, "algo");
            Json.string(sb, r.algo().id()).append(',');
            Json.key(sb, "points").append(r.points()).append(',');
            Json.key(sb, "kept").append(r.keptCount()).append(',');
            Json.number(Json.key(sb, "pixel_mismatch_pct"), r.mismatchPercent()).append(',');
            Json.number(Json.key(sb, "dssim"), r.dssim()).append(',');
            Json.number(Json.key(sb, "select_ms"), r.selectNanos() / 1e6);
            sb.append('}');
        }
        return sb.append(']');
    }

    static String duration(long nanos) {
        if (nanos < 1_000_000) return String.format(Locale.ROOT, "%.0f us", nanos / 1e3);
        if (nanos < 10_000_000_000L) return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
