package io.spindle.providers;

import io.spindle.wasm.Emitted;
import java.util.List;

/**
 * A component as the messaging provider feeds it (implemented by the host). Each message becomes one call of
 * {@link #process}, which the host runs under the component's lock: the component processes every batch of the
 * message, the provider publishes what it emitted (the sink), and only then the host records offset as the input's
 * position and takes a checkpoint when one is due. So a checkpoint never covers input whose output was not published.
 */
public interface ProcessorTarget {
    /** The component's id. */
    String componentId();

    /**
     * The stream sequence up to which the component's restored checkpoint has processed input (0: none, start by the
     * link's {@code deliver} setting); the provider resumes consuming after it.
     */
    long resumeAfter(String input);

    /**
     * Processes the batches of one message of input (the link key) at offset (the stream sequence; -1 for a plain
     * subscription); sink receives what each batch emitted, in order. Throws when the component refused the batch or
     * failed; the provider counts it and goes on with the next message.
     */
    void process(String input, long offset, List<SeriesBatch> batches, EmittedSink sink) throws Exception;

    /** Receives what a batch emitted (the columns are valid during the call only). */
    @FunctionalInterface
    interface EmittedSink {
        void accept(String series, Emitted emitted) throws Exception;
    }

    /** One series' samples of a message: [0, count) of the columns (which may be longer, and are reused). */
    record SeriesBatch(String series, long[] times, double[] values, int count) {
        public SeriesBatch {
            if (count < 0 || count > times.length || count > values.length)
                throw new IllegalArgumentException("series " + series + ": count " + count + " exceeds the columns (" + times.length
                        + " times, " + values.length + " values)");
        }

        /** The number of samples. */
        public int size() {
            return count;
        }
    }
}
