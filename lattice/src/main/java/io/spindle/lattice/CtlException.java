package io.spindle.lattice;

/** A control request was refused or failed: the host's message, or why no host answered. */
public final class CtlException extends RuntimeException {
    public CtlException(String message) {
        super(message);
    }

    public CtlException(String message, Throwable cause) {
        super(message, cause);
    }
}
