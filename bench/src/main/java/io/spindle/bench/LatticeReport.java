package io.spindle.bench;

import java.util.List;
import java.util.Locale;

/**
 * What {@code spindle bench lattice} measured, as JSON or a table with the goals of issue 5 (5 M samples/s through
 * one host, control p99 under 10 ms, host RSS under 150 MB).
 *
 * @param batches              input batches
 * @param batch                samples per batch
 * @param requests             timed control requests
 * @param controlP50Ms         control round trip, median
 * @param controlP99Ms         control round trip, 99th percentile
 * @param controlMaxMs         control round trip, slowest
 * @param samplesPerSec        input samples per second, end to end
 * @param batchesPerSec        input batches per second, end to end
 * @param publishSamplesPerSec how fast the producer got its acknowledgements
 * @param loadedP50Ms          control round trip during the throughput run, median (NaN: none)
 * @param loadedP99Ms          control round trip during the throughput run, 99th percentile (NaN: none)
 * @param outputSamples        points the component emitted (received downstream)
 * @param outputBatches        output messages received downstream
 * @param hostRssMb            the host's VmRSS after the run (NaN: unknown)
 * @param hostRssPeakMb        the host's VmHWM after the run (NaN: unknown)
 * @param notes                how it was measured, and anything odd
 * @param failed               output lost or repeated, or the checkpoint short of the input
 */
public record LatticeReport(int batches, int batch, int requests, double controlP50Ms, double controlP99Ms, double controlMaxMs,
                            double samplesPerSec, double batchesPerSec, double publishSamplesPerSec, double loadedP50Ms,
                            double loadedP99Ms, long outputSamples, long outputBatches, double hostRssMb, double hostRssPeakMb,
                            List<String> notes, boolean failed) {
    public LatticeReport {
        notes = List.copyOf(notes);
    }

    public long samples() {
        return (long) batches * batch;
    }

    /** Every goal met (an unknown RSS is not met). */
    public boolean goalsMet() {
        return samplesPerSec >= LatticeBench.GOAL_SAMPLES_PER_SEC && controlP99Ms < LatticeBench.GOAL_P99_MS
                && hostRssMb < LatticeBench.GOAL_RSS_MB;
    }

    /**
     * {@code {"control_p50_ms": .., "control_p99_ms": .., "control_max_ms": .., "samples_per_sec": .., "batches_per_sec": ..,
     * "host_rss_mb": .., "samples": .., "batch": 4096, "notes": [...], ...}}.
     */
    public String toJson() {
        StringBuilder sb = new StringBuilder(2048);
        sb.append("{\"control_p50_ms\": ").append(num(controlP50Ms))
                .append(", \"control_p99_ms\": ").append(num(controlP99Ms))
                .append(", \"control_max_ms\": ").append(num(controlMaxMs))
                .append(", \"samples_per_sec\": ").append(num(samplesPerSec))
                .append(", \"batches_per_sec\": ").append(num(batchesPerSec))
                .append(", \"host_rss_mb\": ").append(num(hostRssMb))
                .append(", \"samples\": ").append(samples())
                .append(", \"batch\": ").append(batch)
                .append(", \"batches\": ").append(batches)
                .append(", \"requests\": ").append(requests)
                .append(", \"host_rss_peak_mb\": ").append(num(hostRssPeakMb))
                .append(", \"publish_samples_per_sec\": ").append(num(publishSamplesPerSec))
                .append(", \"control_under_load_p50_ms\": ").append(num(loadedP50Ms))
                .append(", \"control_under_load_p99_ms\": ").append(num(loadedP99Ms))
                .append(", \"output_samples\": ").append(outputSamples)
                .append(", \"output_batches\": ").append(outputBatches)
                .append(", \"goals\": {\"samples_per_sec\": ").append(num(LatticeBench.GOAL_SAMPLES_PER_SEC))
                .append(", \"control_p99_ms\": ").append(num(LatticeBench.GOAL_P99_MS))
                .append(", \"host_rss_mb\": ").append(num(LatticeBench.GOAL_RSS_MB))
                .append("}, \"goals_met\": ").append(goalsMet())
                .append(", \"notes\": [");
        String sep = "";
        for (String n : notes) {
            sb.append(sep).append(DownsampleReport.quote(n));
            sep = ", ";
        }
        return sb.append("], \"failed\": ").append(failed).append('}').toString();
    }

    /** A table: each measure, its goal and whether it is met; then the notes. */
    public String toTable() {
        StringBuilder sb = new StringBuilder(2048);
        sb.append(String.format(Locale.ROOT, "lattice: one host process, messaging provider -> lttb.wasm -> messaging provider, %,d batches "
                + "of %,d samples (%,d samples); %,d control requests%n", batches, batch, samples(), requests));
        String head = String.format(Locale.ROOT, "%-34s %14s %12s %4s", "measure", "value", "goal", "met");
        sb.append(head).append('\n').append("-".repeat(head.length())).append('\n');
        row(sb, "control round trip p50", ms(controlP50Ms), "", "");
        row(sb, "control round trip p99", ms(controlP99Ms), "< " + ms(LatticeBench.GOAL_P99_MS), met(controlP99Ms < LatticeBench.GOAL_P99_MS));
        row(sb, "control round trip max", ms(controlMaxMs), "", "");
        if (!Double.isNaN(loadedP99Ms)) row(sb, "control p99 during the data run", ms(loadedP99Ms), "", "");
        row(sb, "samples/s end to end", rate(samplesPerSec), ">= " + rate(LatticeBench.GOAL_SAMPLES_PER_SEC),
                met(samplesPerSec >= LatticeBench.GOAL_SAMPLES_PER_SEC));
        row(sb, "batches/s end to end", String.format(Locale.ROOT, "%,.0f /s", batchesPerSec), "", "");
        row(sb, "output points (= Java engine's)", String.format(Locale.ROOT, "%,d", outputSamples), "", "");
        row(sb, "host RSS, lttb running", Double.isNaN(hostRssMb) ? "unknown" : String.format(Locale.ROOT, "%.1f MB", hostRssMb),
                "< " + String.format(Locale.ROOT, "%.0f MB", LatticeBench.GOAL_RSS_MB), met(hostRssMb < LatticeBench.GOAL_RSS_MB));
        if (!Double.isNaN(hostRssPeakMb)) row(sb, "host RSS peak", String.format(Locale.ROOT, "%.1f MB", hostRssPeakMb), "", "");
        if (!notes.isEmpty()) {
            sb.append("notes:\n");
            for (String n : notes) sb.append("  - ").append(n).append('\n');
        }
        if (failed) sb.append("FAILED: the data path lost or repeated output, or did not checkpoint it (see notes)\n");
        return sb.toString().stripTrailing();
    }

    private static void row(StringBuilder sb, String what, String value, String goal, String met) {
        sb.append(String.format(Locale.ROOT, "%-34s %14s %12s %4s", what, value, goal, met).stripTrailing()).append('\n');
    }

    private static String met(boolean ok) {
        return ok ? "yes" : "NO";
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "-" : v >= 100 ? String.format(Locale.ROOT, "%.0f ms", v) : String.format(Locale.ROOT, "%.2f ms", v);
    }

    private static String rate(double perSec) {
        if (perSec >= 1e6) return String.format(Locale.ROOT, "%.2f M/s", perSec / 1e6);
        if (perSec >= 1e3) return String.format(Locale.ROOT, "%.1f k/s", perSec / 1e3);
        return String.format(Locale.ROOT, "%.0f /s", perSec);
    }

    private static String num(double v) {
        if (!Double.isFinite(v)) return "null";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return String.format(Locale.ROOT, Math.abs(v) >= 1000 ? "%.1f" : "%.4f", v);
    }
}
