package io.spindle.downsample.tier;

/**
 * The answer to "best points for [from, to) with at most M points": real samples in time order.
 *
 * @param tier        the tier the points come from, or {@link #RAW} for raw samples
 * @param candidates  points of that tier in range before any reduction
 * @param time        sample times, {@code size} of them
 * @param value       sample values
 * @param breakBefore true where a gap precedes the point (draw a break, not a line)
 * @param size        number of points
 * @param consistent  true when the points are tier points only (no LTTB on top), so a view with fewer points is a
 *                    subset of a view with more
 */
public record TierPlan(int tier, int candidates, long[] time, double[] value, boolean[] breakBefore, int size,
                       boolean consistent) {
    /** The tier number that stands for raw samples. */
    public static final int RAW = -1;
}
