package io.spindle.sources;

/**
 * Receives what a {@link Source} reads. Calls for one series come from one thread at a time and in the source's
 * order; a sink must not keep the arrays it is given past the call.
 */
public interface SourceSink {
    /** A numeric sample of series {@code <device>/<data-item>} (t: epoch nanoseconds). */
    void sample(String series, long tNanos, double value);

    /** Samples {@code [0, count)} of one series in one call (time-series items, bulk reads). */
    default void samples(String series, long[] tNanos, double[] values, int count) {
        for (int i = 0; i < count; i++) sample(series, tNanos[i], values[i]);
    }

    /** A non-numeric value (execution state, program, condition, availability), delivered only when it changes. */
    void event(String series, long tNanos, String value);

    /** The series' publisher went away (a death certificate, a lost session): its last value is stale from tNanos on. */
    default void stale(String series, long tNanos) {
    }

    /** Input that was refused: input names it (a line, a topic, a node), reason says why. Counted by the source too. */
    void rejected(String source, String input, String reason);
}
