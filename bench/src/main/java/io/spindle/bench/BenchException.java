package io.spindle.bench;

/** A benchmark could not run or produced implausible results; the message names the input and the reason. */
public final class BenchException extends Exception {
    private static final long serialVersionUID = 1L;

    /** A failure with this explanation. */
    public BenchException(String message) {
        super(message);
    }

    /** A failure with this explanation, caused by cause. */
    public BenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
