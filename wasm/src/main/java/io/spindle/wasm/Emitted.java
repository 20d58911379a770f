package io.spindle.wasm;

import java.util.Arrays;

/**
 * What one processor call emitted, in reusable primitive columns: {@code size()} samples in
 * {@code times()[0..size)} and {@code values()[0..size)}, segment breaks before the indices in
 * {@code breaks()[0..breakCount)}, and the call's refused samples. Reused across calls to avoid allocation.
 */
public final class Emitted {
    private long[] times = new long[0];
    private double[] values = new double[0];
    private int[] breaks = new int[0];
    private int size, breakCount, late, invalid;

    /** Number of samples emitted. */
    public int size() {
        return size;
    }

    /** Times (epoch ns) of the emitted samples, valid in [0, size()). */
    public long[] times() {
        return times;
    }

    /** Values of the emitted samples, valid in [0, size()). */
    public double[] values() {
        return values;
    }

    /** Number of segment breaks. */
    public int breakCount() {
        return breakCount;
    }

    /** Indices (ascending) before which a new segment starts, valid in [0, breakCount()). */
    public int[] breaks() {
        return breaks;
    }

    /** Samples of the call refused as late (behind the watermark). */
    public int late() {
        return late;
    }

    /** Samples of the call refused as invalid (NaN or infinite value). */
    public int invalid() {
        return invalid;
    }

    void reset(int n, int nBreaks, int late, int invalid) {
        if (times.length < n) {
            int cap = Math.max(n, times.length * 2);
            times = new long[cap];
            values = new double[cap];
        }
        if (breaks.length < nBreaks) breaks = new int[Math.max(nBreaks, breaks.length * 2)];
        this.size = n;
        this.breakCount = nBreaks;
        this.late = late;
        this.invalid = invalid;
    }

    void clear() {
        size = breakCount = late = invalid = 0;
    }

    @Override
    public String toString() {
        return "Emitted[" + size + " samples, breaks " + Arrays.toString(Arrays.copyOf(breaks, breakCount)) + ", late " + late
                + ", invalid " + invalid + "]";
    }
}
