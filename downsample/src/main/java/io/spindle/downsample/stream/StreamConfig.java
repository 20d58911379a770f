package io.spindle.downsample.stream;

/**
 * Settings of one streaming LTTB series.
 *
 * @param bucketNanos  bucket width Δ on the absolute grid {@code [k·Δ, (k+1)·Δ)}
 * @param latenessNanos how far behind the newest sample a sample may arrive and still be accepted
 * @param gapBuckets   this many empty buckets in a row make a gap, which is kept and never bridged
 * @param reorderCap   most samples held while waiting for the watermark; past it the oldest is released early
 * @param hullCap      most vertices per hull chain of one bucket; past it the chain is MinMax-compacted
 */
public record StreamConfig(long bucketNanos, long latenessNanos, int gapBuckets, int reorderCap, int hullCap) {

    /** Default gap length in buckets. */
    public static final int DEFAULT_GAP_BUCKETS = 3;
    /** Default cap of the reorder buffer, in samples. */
    public static final int DEFAULT_REORDER_CAP = 1 << 16;
    /** Default cap of one hull chain, in vertices. */
    public static final int DEFAULT_HULL_CAP = 4096;
    /** Largest span, in ns, that relative time arithmetic keeps exact in a double. */
    static final long MAX_EXACT_SPAN = 1L << 53;

    public StreamConfig {
        if (bucketNanos <= 0) throw new IllegalArgumentException("bucketNanos must be > 0, got " + bucketNanos);
        if (latenessNanos < 0) throw new IllegalArgumentException("latenessNanos must be >= 0, got " + latenessNanos);
        if (gapBuckets < 1) throw new IllegalArgumentException("gapBuckets must be >= 1, got " + gapBuckets);
        if (reorderCap < 1) throw new IllegalArgumentException("reorderCap must be >= 1, got " + reorderCap);
        if (hullCap < 4) throw new IllegalArgumentException("hullCap must be >= 4, got " + hullCap);
        // A triangle spans at most (gap + 2) buckets; its time offsets must stay exact as doubles.
        if (bucketNanos > MAX_EXACT_SPAN / (gapBuckets + 3L))
            throw new IllegalArgumentException("bucketNanos " + bucketNanos + " too large for gapBuckets " + gapBuckets
                    + ": (gapBuckets + 3) * bucketNanos must stay below 2^53 ns (~104 days)");
    }

    /** Default allowed lateness cap: network and fieldbus reordering is milliseconds, not minutes. */
    public static final long DEFAULT_MAX_LATENESS_NANOS = 1_000_000_000L;

    /**
     * Defaults for a bucket width: lateness of one bucket but at most {@value #DEFAULT_MAX_LATENESS_NANOS} ns, gap
     * of {@value #DEFAULT_GAP_BUCKETS} buckets.
     */
    public static StreamConfig of(long bucketNanos) {
        return new StreamConfig(bucketNanos, Math.min(bucketNanos, DEFAULT_MAX_LATENESS_NANOS), DEFAULT_GAP_BUCKETS,
                DEFAULT_REORDER_CAP, DEFAULT_HULL_CAP);
    }

    /** A copy with another allowed lateness. */
    public StreamConfig withLateness(long nanos) {
        return new StreamConfig(bucketNanos, nanos, gapBuckets, reorderCap, hullCap);
    }

    /** A copy with another gap length. */
    public StreamConfig withGapBuckets(int buckets) {
        return new StreamConfig(bucketNanos, latenessNanos, buckets, reorderCap, hullCap);
    }

    /** A copy with other state caps. */
    public StreamConfig withCaps(int reorder, int hull) {
        return new StreamConfig(bucketNanos, latenessNanos, gapBuckets, reorder, hull);
    }
}
