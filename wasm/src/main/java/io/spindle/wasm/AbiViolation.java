package io.spindle.wasm;

/** The guest broke the canonical ABI; turned into a {@link ComponentException} of kind ABI_VIOLATION by the call. */
final class AbiViolation extends RuntimeException {
    AbiViolation(String message) {
        super(message, null, false, false);
    }
}
