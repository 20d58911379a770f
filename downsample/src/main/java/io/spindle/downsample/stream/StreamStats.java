package io.spindle.downsample.stream;

/**
 * Counters of one streaming series; every input sample lands in exactly one of accepted, late or invalid.
 *
 * @param accepted        samples taken into the selection
 * @param late            samples older than the watermark, refused (not part of the output) but counted
 * @param invalid         samples with a NaN or infinite value, refused and counted
 * @param emitted         points emitted so far
 * @param forcedReleases  samples released before the watermark because the reorder buffer was full
 * @param hullCompactions times a bucket's hull chain hit its cap and was MinMax-compacted (selection then approximate)
 * @param lastLateNanos   timestamp of the most recent late sample, or Long.MIN_VALUE if none
 */
public record StreamStats(long accepted, long late, long invalid, long emitted, long forcedReleases,
                          long hullCompactions, long lastLateNanos) {
}
