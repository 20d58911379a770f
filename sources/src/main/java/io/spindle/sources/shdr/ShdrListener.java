package io.spindle.sources.shdr;

/** Receives what an {@link ShdrReader} finds, in line order. */
public interface ShdrListener {
    /** A numeric observation of series {@code "<device>/<key>"}. */
    void sample(String series, long tNanos, double value);

    /** Samples [0, count) of one time-series item; the reader reuses the arrays after the call. */
    default void samples(String series, long[] tNanos, double[] values, int count) {
        for (int i = 0; i < count; i++) sample(series, tNanos[i], values[i]);
    }

    /** Any other item: events, unavailability, conditions, assets, protocol lines, malformed lines. */
    default void item(ShdrItem item) {
    }
}
