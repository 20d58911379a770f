package io.spindle.bench;

/**
 * One contestant of {@code bench component}.
 *
 * @param name        the key in the report: {@code java}, {@code wasm_compiled} or {@code wasm_interpreted}
 * @param kind        {@code java} or {@code wasm}
 * @param samples     samples fed per run (the interpreter gets a prefix of the series)
 * @param medianMs    median wall time of one run (feed every batch, then flush), in milliseconds
 * @param runs        timed runs behind the median
 * @param emitted     points emitted in one run
 * @param checksum    order-sensitive checksum of the emitted times and value bits
 * @param sameAsJava  whether count and checksum equal Java's on the same samples; null for Java itself
 */
public record ComponentResult(String name, String kind, int samples, double medianMs, int runs, long emitted,
                              long checksum, Boolean sameAsJava) {

    /** Samples processed per second: samples over the median time. */
    public double samplesPerSec() {
        return samples / (Math.max(medianMs, 1e-6) / 1e3);
    }

    /** A copy that says whether it emitted what java did. */
    ComponentResult comparedWith(ComponentResult java) {
        return new ComponentResult(name, kind, samples, medianMs, runs, emitted, checksum,
                emitted == java.emitted && checksum == java.checksum);
    }
}
