package io.spindle.bench;

import io.spindle.downsample.stream.StreamConfig;
import io.spindle.downsample.tier.TierConfig;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;

/**
 * What a {@code bench query} fill put into a store: one series of raw-equivalent samples through the tiers, the tail
 * of it as raw. Stored as a state blob in the same commit as the fill's last points, so a store that has it is a
 * complete fill (reused with {@code --store}).
 *
 * @param series      the series name
 * @param samples     raw samples that went through the tiers
 * @param rateHz      their rate
 * @param firstNs     time of the first sample
 * @param lastNs      time of the last sample
 * @param bucketNanos tier-0 bucket width
 * @param factor      bucket ratio between neighbouring tiers
 * @param levels      number of tiers
 * @param tierPoints  points stored per tier
 * @param rawSamples  samples stored in the raw ring (the newest ones)
 * @param fillSeconds how long the fill took
 */
public record QueryDataset(String series, long samples, int rateHz, long firstNs, long lastNs, long bucketNanos,
                           int factor, int levels, long[] tierPoints, long rawSamples, double fillSeconds) {
    /** The state key the dataset is stored under. */
    public static final String STATE_KEY = "bench/query/dataset";

    public QueryDataset {
        tierPoints = tierPoints.clone();
    }

    /** The tier settings the fill used (and the server must plan with). */
    public TierConfig tiers() {
        return new TierConfig(StreamConfig.of(bucketNanos), factor, levels, 0, 1);
    }

    /** Sum of the tier points. */
    public long totalTierPoints() {
        return Arrays.stream(tierPoints).sum();
    }

    /** The dataset as a small properties text. */
    public byte[] toBytes() {
        StringBuilder sb = new StringBuilder(512);
        sb.append("series=").append(series.replace("\\", "\\\\")).append('\n')
                .append("samples=").append(samples).append('\n')
                .append("rate_hz=").append(rateHz).append('\n')
                .append("first_ns=").append(firstNs).append('\n')
                .append("last_ns=").append(lastNs).append('\n')
                .append("bucket_ns=").append(bucketNanos).append('\n')
                .append("factor=").append(factor).append('\n')
                .append("levels=").append(levels).append('\n')
                .append("raw_samples=").append(rawSamples).append('\n')
                .append("fill_seconds=").append(String.format(Locale.ROOT, "%.3f", fillSeconds)).append('\n');
        for (int k = 0; k < tierPoints.length; k++) sb.append("tier").append(k).append("_points=").append(tierPoints[k]).append('\n');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Parses {@link #toBytes}; IllegalArgumentException naming the key that is missing or bad. */
    public static QueryDataset fromBytes(byte[] bytes) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("bench dataset record is malformed: " + e.getMessage(), e);
        }
        int levels = (int) num(p, "levels");
        if (levels < 1 || levels > 64) throw new IllegalArgumentException("bench dataset record: levels " + levels + " out of range");
        long[] tp = new long[levels];
        for (int k = 0; k < levels; k++) tp[k] = num(p, "tier" + k + "_points");
        String series = p.getProperty("series");
        if (series == null || series.isEmpty()) throw new IllegalArgumentException("bench dataset record: no series");
        String fs = p.getProperty("fill_seconds", "NaN");
        double fill;
        try {
            fill = Double.parseDouble(fs);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bench dataset record: fill_seconds '" + fs + "' is not a number", e);
        }
        return new QueryDataset(series, num(p, "samples"), (int) num(p, "rate_hz"), num(p, "first_ns"), num(p, "last_ns"),
                num(p, "bucket_ns"), (int) num(p, "factor"), levels, tp, num(p, "raw_samples"), fill);
    }

    private static long num(Properties p, String key) {
        String s = p.getProperty(key);
        if (s == null) throw new IllegalArgumentException("bench dataset record: no '" + key + "'");
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bench dataset record: '" + key + "' = '" + s + "' is not an integer", e);
        }
    }
}
