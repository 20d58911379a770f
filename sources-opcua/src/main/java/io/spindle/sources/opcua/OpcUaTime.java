package io.spindle.sources.opcua;

import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;

/** OPC UA timestamps (100 ns ticks since 1601-01-01 UTC, plus picoseconds) as epoch nanoseconds. */
final class OpcUaTime {
    /** Ticks of 100 ns between 1601-01-01 and 1970-01-01. */
    static final long EPOCH_TICKS = 116_444_736_000_000_000L;
    /** Returned by {@link #epochNanos(DateTime, UShort)} for a missing or unusable timestamp. */
    static final long NONE = Long.MIN_VALUE;
    // the largest tick count whose epoch nanoseconds still fit a long (year 2262)
    private static final long MAX_TICKS = EPOCH_TICKS + (Long.MAX_VALUE - 99) / 100;

    private OpcUaTime() {
    }

    /** The value's source timestamp, else its server timestamp, else {@code receivedNanos}. */
    static long sampleNanos(DataValue value, long receivedNanos) {
        long t = epochNanos(value.sourceTime(), value.sourcePicoseconds());
        if (t != NONE) return t;
        t = epochNanos(value.serverTime(), value.serverPicoseconds());
        return t != NONE ? t : receivedNanos;
    }

    /**
     * Epoch nanoseconds of an OPC UA DateTime, or {@link #NONE} when absent, the null DateTime, before 1970 (no machine
     * sample is that old: such a value is a default or an unset clock) or beyond what a long holds.
     */
    static long epochNanos(DateTime time, UShort picoseconds) {
        if (time == null) return NONE;
        long ticks = time.utcTime();
        if (ticks <= EPOCH_TICKS || ticks > MAX_TICKS) return NONE;
        long nanos = (ticks - EPOCH_TICKS) * 100;
        // picoseconds count 10 ps steps below the 100 ns tick: 0..9999
        if (picoseconds != null) nanos += Math.min(picoseconds.intValue(), 9_999) / 100;
        return nanos;
    }

    /** The wall clock as epoch nanoseconds (millisecond resolution), for values that carry no timestamp. */
    static long nowNanos() {
        return System.currentTimeMillis() * 1_000_000L;
    }
}
