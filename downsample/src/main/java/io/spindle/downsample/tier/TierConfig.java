package io.spindle.downsample.tier;

import io.spindle.downsample.stream.StreamConfig;

/**
 * Resolution tiers of one series: tier 0 downsamples raw samples with bucket Δ0, tier k downsamples tier k-1 with
 * Δk = Δ0·factor^k.
 *
 * @param tier0     settings of tier 0 (its bucket width is Δ0; lateness and caps apply to raw input)
 * @param factor    ratio of bucket widths between neighbouring tiers (>= 2)
 * @param levels    number of tiers (>= 1)
 * @param rawRetain newest raw samples kept for queries (0: keep none)
 * @param tierRetain newest points kept per tier
 */
public record TierConfig(StreamConfig tier0, int factor, int levels, int rawRetain, int tierRetain) {
    public TierConfig {
        if (factor < 2) throw new IllegalArgumentException("factor must be >= 2, got " + factor);
        if (levels < 1) throw new IllegalArgumentException("levels must be >= 1, got " + levels);
        if (rawRetain < 0) throw new IllegalArgumentException("rawRetain must be >= 0, got " + rawRetain);
        if (tierRetain < 1) throw new IllegalArgumentException("tierRetain must be >= 1, got " + tierRetain);
        bucketNanos(levels - 1, tier0, factor); // validates the coarsest width
    }

    /** Defaults: Δ0 given, factor 10, 4 tiers, 1M raw samples and every tier point kept. */
    public static TierConfig of(long baseBucketNanos) {
        return new TierConfig(StreamConfig.of(baseBucketNanos), 10, 4, 1 << 20, Integer.MAX_VALUE);
    }

    /** Bucket width of tier k. */
    public long bucketNanos(int k) {
        return bucketNanos(k, tier0, factor);
    }

    /** Settings of tier k: tiers above 0 read their in-order input, so they need no lateness. */
    public StreamConfig config(int k) {
        if (k == 0) return tier0;
        return new StreamConfig(bucketNanos(k), 0, tier0.gapBuckets(), tier0.reorderCap(), tier0.hullCap());
    }

    private static long bucketNanos(int k, StreamConfig tier0, int factor) {
        if (k < 0) throw new IllegalArgumentException("tier " + k + " does not exist");
        long d = tier0.bucketNanos();
        for (int i = 0; i < k; i++) {
            if (d > Long.MAX_VALUE / factor) throw new IllegalArgumentException("tier " + k + " bucket width overflows");
            d *= factor;
        }
        new StreamConfig(d, 0, tier0.gapBuckets(), tier0.reorderCap(), tier0.hullCap()); // range check
        return d;
    }
}
