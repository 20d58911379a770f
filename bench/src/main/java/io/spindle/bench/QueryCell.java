package io.spindle.bench;

import java.util.Arrays;

/**
 * One measured cell of {@code bench query}: the timed requests of one source, maxDataPoints and range length.
 *
 * @param source    "tiers" (the planner) or "raw" (the raw ring)
 * @param maxPoints maxDataPoints of the requests
 * @param range     the range's label ("1m", ..., "whole")
 * @param spanMs    the range's length
 * @param latencyNs request latencies, sorted
 * @param pointsMin fewest points a response held
 * @param pointsMax most points a response held
 * @param cpuMsMean CPU time of this process per request, mean (server, client, GC and JIT together)
 */
public record QueryCell(String source, int maxPoints, String range, long spanMs, long[] latencyNs, int pointsMin, int pointsMax,
                        double cpuMsMean) {
    public QueryCell {
        latencyNs = latencyNs.clone();
        Arrays.sort(latencyNs);
    }

    /** Median latency in ms. */
    public double p50Ms() {
        return QueryReport.percentileMs(latencyNs, 50);
    }

    /** 99th-percentile latency in ms. */
    public double p99Ms() {
        return QueryReport.percentileMs(latencyNs, 99);
    }

    /** Slowest request in ms. */
    public double maxMs() {
        return QueryReport.percentileMs(latencyNs, 100);
    }
}
