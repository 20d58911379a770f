package io.spindle.cli;

/** A failure the user can act on, printed as {@code spindle: <what>: <why>} with exit code 1. */
final class CliFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String what;
    private final String why;

    CliFailure(String what, String why) {
        super(what + ": " + why);
        this.what = what;
        this.why = why;
    }

    CliFailure(String what, String why, Throwable cause) {
        super(what + ": " + why, cause);
        this.what = what;
        this.why = why;
    }

    String what() {
        return what;
    }

    String why() {
        return why;
    }
}
