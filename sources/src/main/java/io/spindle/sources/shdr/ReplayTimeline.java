package io.spindle.sources.shdr;

/**
 * The replay's clock in file time: how far into the replay (nanoseconds of file time, before speed scaling) each data
 * line is due. The clock follows the highest timestamp seen: a later line advances it by the difference (at most
 * maxGap, so a log's pause between sessions can be shortened); a line stamped a little earlier (out of order, up to
 * {@link #REWIND_NANOS}) is due at once and does not move it; a line stamped much earlier starts a new session (logs
 * are often concatenated from several runs) and the clock carries on from there. Not thread-safe.
 */
final class ReplayTimeline {
    /** A step back longer than this restarts the file clock instead of being read as an out-of-order line. */
    static final long REWIND_NANOS = 10_000_000_000L;

    private final long maxGapNanos;
    private boolean anchored;
    private long high; // highest file timestamp since the clock was last anchored
    private long offset; // file time elapsed since the replay began
    private long lag; // the last data line's step behind high (<= 0)

    /** maxGapNanos: longest pause kept between consecutive lines (Long.MAX_VALUE keeps every pause). */
    ReplayTimeline(long maxGapNanos) {
        if (maxGapNanos < 0) throw new IllegalArgumentException("maxGapNanos must be >= 0");
        this.maxGapNanos = maxGapNanos;
    }

    /** Accounts a data line stamped tNanos; returns its due offset. */
    long dataLine(long tNanos) {
        if (!anchored) {
            anchored = true;
            high = tNanos;
            lag = 0;
            return offset;
        }
        long d = tNanos - high;
        if (d > 0) {
            offset += Math.min(d, maxGapNanos);
            high = tNanos;
            lag = 0;
        } else if (d < -REWIND_NANOS) {
            high = tNanos;
            lag = 0;
        } else {
            lag = d;
        }
        return offset;
    }

    /** The due offset of lines without a timestamp of their own: now. */
    long offset() {
        return offset;
    }

    /**
     * The last data line's time on the replay's own continuous clock: its offset plus how far it lagged behind the
     * newest line before it, so rewritten timestamps keep out-of-order steps and run on across sessions and loops.
     */
    long continuousTime() {
        return offset + lag;
    }

    /** Starts another pass over the file after pauseNanos of file time; its first line re-anchors the clock. */
    void newPass(long pauseNanos) {
        anchored = false;
        offset += pauseNanos;
        lag = 0;
    }
}
