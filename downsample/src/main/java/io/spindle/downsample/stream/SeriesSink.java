package io.spindle.downsample.stream;

/** Receives the points of many named series from a {@link StreamingLttbSet}. */
@FunctionalInterface
public interface SeriesSink {
    /** An emitted point of the named series; final, in time order within the series. */
    void accept(String series, long tNanos, double value);

    /** The next point of the named series starts a segment (draw a break before it). */
    default void segmentStart(String series) {
    }
}
