package io.spindle.sources.shdr;

/** Everything an SHDR line yields besides numeric samples (which go to {@link ShdrListener#sample} unboxed). */
public sealed interface ShdrItem {

    /** A non-numeric value of a data item, delivered only when it changes. */
    record Event(String series, long tNanos, String value) implements ShdrItem {
    }

    /** The data item's value is UNAVAILABLE (the source cannot tell); delivered only when it changes. */
    record Unavailable(String series, long tNanos) implements ShdrItem {
    }

    /** A condition in SHDR's form {@code key|level|nativeCode|nativeSeverity|qualifier|message}. */
    record Condition(String series, long tNanos, String level, String nativeCode, String nativeSeverity,
                     String qualifier, String message) implements ShdrItem {
    }

    /**
     * An asset command ({@code @ASSET@}, {@code @UPDATE_ASSET@}, {@code @REMOVE_ASSET@}, {@code @REMOVE_ALL_ASSETS@}, ...);
     * the asset document itself is skipped, bodyLines counts the lines of a multiline body.
     */
    record Asset(long lineNumber, long tNanos, String command, String argument, int bodyLines) implements ShdrItem {
    }

    /** A protocol line starting with '*': {@code * PING}, {@code * PONG 10000}, {@code * adapterVersion: 2.0}. */
    record Protocol(long lineNumber, String name, String value) implements ShdrItem {
    }

    /** A line that could not be read; reading goes on with the next line. */
    record Malformed(long lineNumber, String text, String reason) implements ShdrItem {
    }
}
