package io.spindle.lattice;

/**
 * The envelope of every control reply (wasmCloud's shape): success, a message saying what happened or what is
 * wrong, and the operation's payload (null when none).
 */
public record CtlResponse<T>(boolean success, String message, T response) {
    /** A success with a payload. */
    public static <T> CtlResponse<T> ok(String message, T response) {
        return new CtlResponse<>(true, message, response);
    }

    /** A refusal or failure; nothing was changed. */
    public static <T> CtlResponse<T> error(String message) {
        return new CtlResponse<>(false, message, null);
    }
}
