package io.spindle.downsample.stream;

/** Receives the points a streaming downsampler emits, in time order; each is a real input sample. */
@FunctionalInterface
public interface PointSink {
    /** Called once per emitted point; emitted points are final and never revised. */
    void accept(long tNanos, double value);

    /** Called just before the first point of a segment (after the stream start or a gap): draw a break here. */
    default void segmentStart() {
    }
}
