package io.spindle.bench;

import java.util.List;
import java.util.Locale;

/**
 * What {@code spindle bench pipeline} measured. JSON: {@code {"samples_per_sec": x, "latency_ms": {"p50": a, "p99": b},
 * "wire_bytes_per_sample": w, "rss_mb": r, "bucket_ms": d, ...}}.
 */
public record PipelineReport(long samples, double seconds, double samplesPerSec, double latencyP50Ms, double latencyP99Ms,
                             double wireBytesPerSample, double rssMb, long bucketMs, long tier0Points, long tierPoints,
                             long pacedSamples, List<String> notes) {
    public PipelineReport {
        notes = List.copyOf(notes);
    }

    /** The latency goal: two bucket widths plus 250 ms. */
    public double latencyGoalMs() {
        return 2.0 * bucketMs + PipelineBench.GOAL_EXTRA_LATENCY_MS;
    }

    public String toJson() {
        StringBuilder sb = new StringBuilder(1024);
        sb.append("{\"samples_per_sec\": ").append(num(samplesPerSec))
                .append(", \"latency_ms\": {\"p50\": ").append(num(latencyP50Ms)).append(", \"p99\": ").append(num(latencyP99Ms)).append('}')
                .append(", \"wire_bytes_per_sample\": ").append(num(wireBytesPerSample))
                .append(", \"rss_mb\": ").append(num(rssMb))
                .append(", \"bucket_ms\": ").append(bucketMs)
                .append(", \"samples\": ").append(samples)
                .append(", \"seconds\": ").append(num(seconds))
                .append(", \"tier0_points\": ").append(tier0Points)
                .append(", \"tier_points\": ").append(tierPoints)
                .append(", \"paced_samples\": ").append(pacedSamples)
                .append(", \"goals\": {\"samples_per_sec\": ").append(num(PipelineBench.GOAL_SAMPLES_PER_SEC))
                .append(", \"latency_p99_ms\": ").append(num(latencyGoalMs())).append('}')
                .append(", \"notes\": [");
        for (int i = 0; i < notes.size(); i++) {
            if (i > 0) sb.append(", ");
            sb.append('"').append(notes.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return sb.append("]}").toString();
    }

    private static String num(double d) {
        return Double.isFinite(d) ? String.format(Locale.ROOT, "%.3f", d) : "null";
    }

    /** A table with each goal and whether it is met. */
    public String toTable() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "pipeline: simulator -> lttb.wasm (bucket %d ms) -> store on one host, in-process lattice%n%n", bucketMs));
        sb.append(String.format(Locale.ROOT, "%-38s %-22s %s%n", "measure", "value", "goal"));
        sb.append(String.format(Locale.ROOT, "%-38s %-22s %s%n", "raw samples/s sustained", String.format(Locale.ROOT, "%.2f M/s", samplesPerSec / 1e6),
                String.format(Locale.ROOT, ">= 2 M/s: %s", samplesPerSec >= PipelineBench.GOAL_SAMPLES_PER_SEC ? "met" : "NOT met")));
        sb.append(String.format(Locale.ROOT, "%-38s %-22s %s%n", "latency sample -> stored, p50 / p99",
                String.format(Locale.ROOT, "%.1f / %.1f ms", latencyP50Ms, latencyP99Ms),
                Double.isNaN(latencyP99Ms) ? "(not measured)" : String.format(Locale.ROOT, "p99 <= %.0f ms: %s", latencyGoalMs(),
                        latencyP99Ms <= latencyGoalMs() ? "met" : "NOT met")));
        sb.append(String.format(Locale.ROOT, "%-38s %-22s %s%n", "wire bytes per raw sample", String.format(Locale.ROOT, "%.2f", wireBytesPerSample),
                "(vibration is float noise; see codec/README.md for the Okuma series)"));
        sb.append(String.format(Locale.ROOT, "%-38s %-22s %s%n", "process RSS", String.format(Locale.ROOT, "%.0f MB", rssMb), ""));
        sb.append(String.format(Locale.ROOT, "%n%,d samples in %.2f s; %,d tier-0 points, %,d higher-tier points%n", samples, seconds, tier0Points, tierPoints));
        for (String n : notes) sb.append("note: ").append(n).append('\n');
        return sb.toString();
    }
}
