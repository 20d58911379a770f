package io.spindle.bench;

import java.util.List;
import java.util.Locale;

/**
 * What one {@code bench component} run measured, as JSON or as an aligned table.
 *
 * @param points              samples in the series
 * @param threshold           points the bucket width aims at
 * @param batch               samples per process call
 * @param bucketNanos         the bucket width
 * @param warmups             untimed runs per contestant
 * @param runs                timed runs per contestant
 * @param results             java, wasm_compiled, wasm_interpreted
 * @param coldInstantiateMs   median of: new runtime, empty disk cache, load + compile + instantiate
 * @param coldFirstMs         the first of those in the JVM
 * @param warmInstantiateMs   median of: instantiate again, compiled module cached in memory
 * @param diskInstantiateMs   median of: new runtime over a filled disk cache, load + instantiate
 * @param componentBytes      size of the module
 * @param component           its path
 * @param componentSha256     its SHA-256
 * @param notes               remarks for the reader
 * @param failed              whether an engine's output differed from Java's
 */
public record ComponentReport(int points, int threshold, int batch, long bucketNanos, int warmups, int runs,
                              List<ComponentResult> results, double coldInstantiateMs, double coldFirstMs,
                              double warmInstantiateMs, double diskInstantiateMs, long componentBytes, String component,
                              String componentSha256, List<String> notes, boolean failed) {

    public ComponentReport {
        results = List.copyOf(results);
        notes = List.copyOf(notes);
    }

    /** The result named name, or null when it is absent. */
    public ComponentResult result(String name) {
        for (ComponentResult r : results) if (r.name().equals(name)) return r;
        return null;
    }

    /**
     * {@code {"results": {"java": {"samples_per_sec": x, ...}, "wasm_compiled": {...}, "wasm_interpreted": {...}},
     * "cold_instantiate_ms": c, "warm_instantiate_ms": w, "component_bytes": b, ...}}.
     */
    public String toJson() {
        ComponentResult java = result("java");
        StringBuilder sb = new StringBuilder(2048);
        sb.append("{\"points\": ").append(points).append(", \"threshold\": ").append(threshold)
                .append(", \"batch\": ").append(batch).append(", \"bucket_nanos\": ").append(bucketNanos)
                .append(", \"warmups\": ").append(warmups).append(", \"runs\": ").append(runs)
                .append(", \"results\": {");
        String sep = "";
        for (ComponentResult r : results) {
            sb.append(sep).append('"').append(r.name()).append("\": {\"samples_per_sec\": ").append(num(r.samplesPerSec()))
                    .append(", \"median_ms\": ").append(num(r.medianMs())).append(", \"samples\": ").append(r.samples())
                    .append(", \"runs\": ").append(r.runs()).append(", \"kind\": \"").append(r.kind()).append('"')
                    .append(", \"emitted\": ").append(r.emitted())
                    .append(", \"checksum\": \"").append(String.format(Locale.ROOT, "%016x", r.checksum())).append('"');
            if (r.sameAsJava() != null) sb.append(", \"same_as_java\": ").append(r.sameAsJava());
            if (java != null) sb.append(", \"ratio_vs_java\": ").append(num(r.samplesPerSec() / java.samplesPerSec()));
            sb.append('}');
            sep = ", ";
        }
        sb.append("}, \"cold_instantiate_ms\": ").append(num(coldInstantiateMs))
                .append(", \"cold_instantiate_first_ms\": ").append(num(coldFirstMs))
                .append(", \"warm_instantiate_ms\": ").append(num(warmInstantiateMs))
                .append(", \"disk_cache_instantiate_ms\": ").append(num(diskInstantiateMs))
                .append(", \"component_bytes\": ").append(componentBytes)
                .append(", \"component\": ").append(DownsampleReport.quote(component))
                .append(", \"component_sha256\": ").append(DownsampleReport.quote(componentSha256))
                .append(", \"notes\": [");
        sep = "";
        for (String note : notes) {
            sb.append(sep).append(DownsampleReport.quote(note));
            sep = ", ";
        }
        return sb.append("], \"failed\": ").append(failed).append('}').toString();
    }

    /** A readable table: samples/s, median ms, speed relative to Java, emitted points and whether they match Java's. */
    public String toTable() {
        ComponentResult java = result("java");
        StringBuilder sb = new StringBuilder(2048);
        sb.append(String.format(Locale.ROOT, "streaming LTTB over %,d samples in %,d-sample batches, bucket %,d ns "
                + "(about %,d points); median of %d runs after %d warmups%n", points, batch, bucketNanos, threshold,
                runs, warmups));
        String head = String.format(Locale.ROOT, "%-18s %13s %11s %9s %11s %9s %-12s", "contestant", "samples/s",
                "median ms", "vs java", "samples", "emitted", "same as java");
        sb.append(head).append('\n').append("-".repeat(head.length())).append('\n');
        for (ComponentResult r : results) {
            String same = r.sameAsJava() == null ? "-" : r.sameAsJava() ? "yes" : "NO";
            sb.append(String.format(Locale.ROOT, "%-18s %13s %11.2f %9s %,11d %,9d %-12s", r.name(),
                    rate(r.samplesPerSec()), r.medianMs(),
                    java == null ? "-" : String.format(Locale.ROOT, "%.3fx", r.samplesPerSec() / java.samplesPerSec()),
                    r.samples(), r.emitted(), same).stripTrailing()).append('\n');
        }
        sb.append(String.format(Locale.ROOT, "%ncomponent %s: %,d bytes, sha256 %s%n", component, componentBytes,
                componentSha256));
        sb.append(String.format(Locale.ROOT, "instantiate: cold %.1f ms (first %.1f ms), warm %.3f ms, from disk cache "
                + "%.1f ms%n", coldInstantiateMs, coldFirstMs, warmInstantiateMs, diskInstantiateMs));
        if (!notes.isEmpty()) {
            sb.append("notes:\n");
            for (String note : notes) sb.append("  - ").append(note).append('\n');
        }
        if (failed) sb.append("FAILED: an engine's output differs from Java's (see notes)\n");
        return sb.toString().stripTrailing();
    }

    private static String rate(double perSec) {
        if (perSec >= 1e9) return String.format(Locale.ROOT, "%.2f G/s", perSec / 1e9);
        if (perSec >= 1e6) return String.format(Locale.ROOT, "%.1f M/s", perSec / 1e6);
        if (perSec >= 1e3) return String.format(Locale.ROOT, "%.1f k/s", perSec / 1e3);
        return String.format(Locale.ROOT, "%.0f /s", perSec);
    }

    private static String num(double v) {
        if (!Double.isFinite(v)) return "null";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return String.format(Locale.ROOT, Math.abs(v) >= 1000 ? "%.1f" : "%.4f", v);
    }
}
