package io.spindle.wasm;

/** A result larger than the instance's output limit; turned into a {@link ComponentException} of kind OUTPUT_LIMIT. */
final class OutputLimitExceeded extends RuntimeException {
    OutputLimitExceeded(String message) {
        super(message, null, false, false);
    }
}
