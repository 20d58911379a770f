package io.spindle.store;

/** A store operation failed; the message names the store's location and the reason. Nothing partial was written. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
