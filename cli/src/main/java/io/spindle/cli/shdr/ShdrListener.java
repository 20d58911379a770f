package io.spindle.cli.shdr;

/** Receives what an {@link ShdrReader} finds, in line order. */
public interface ShdrListener {
    /** A numeric observation of series {@code "<device>/<key>"} (time-series values arrive one call per value). */
    void sample(String series, long tNanos, double value);

    /** Any other item: events, unavailability, conditions, assets, protocol lines, malformed lines. */
    default void item(ShdrItem item) {
    }
}
