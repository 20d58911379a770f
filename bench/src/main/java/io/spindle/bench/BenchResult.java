package io.spindle.bench;

/**
 * One contestant's measurement.
 *
 * @param name     the key in the report, e.g. {@code lttb} or {@code js_downsample}
 * @param kind     {@code java}, {@code node} or {@code native}
 * @param medianMs median wall time of one pass over the whole series, in milliseconds
 * @param runs     timed runs behind the median
 * @param selected points the pass kept, or -1 when it selects nothing (the summing pass)
 * @param indexSum sum of the kept sample indices (a checksum of the selection), or -1 when it selects nothing
 * @param sameAsLttb whether the selection equals Java lttb's (same count and index sum); null when not comparable
 */
public record BenchResult(String name, String kind, double medianMs, int runs, int selected, long indexSum,
                          Boolean sameAsLttb) {

    /** Samples processed per second: the series length over the median time. */
    public double pointsPerSec(int points) {
        return points / (Math.max(medianMs, 1e-6) / 1e3);
    }
}
