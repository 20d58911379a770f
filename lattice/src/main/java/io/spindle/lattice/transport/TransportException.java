package io.spindle.lattice.transport;

/** A transport operation failed: timeout, no responders, connection lost, bucket or stream not usable. */
public final class TransportException extends RuntimeException {
    public TransportException(String message) {
        super(message);
    }

    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
