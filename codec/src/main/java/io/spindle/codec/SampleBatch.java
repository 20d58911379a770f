package io.spindle.codec;

import java.util.Arrays;

/**
 * One series' samples, as decoded by {@link SampleBatchCodec}: reusable primitive columns (times in nanoseconds,
 * values as doubles) that grow as needed and are overwritten by the next decode. Not thread-safe.
 */
public final class SampleBatch {
    String series = "";
    byte[] seriesUtf8 = new byte[0];
    long[] times;
    double[] values;
    int count;

    /** An empty batch with room for capacity samples before it grows. */
    public SampleBatch(int capacity) {
        times = new long[Math.max(0, capacity)];
        values = new double[Math.max(0, capacity)];
    }

    /** An empty batch with room for 4,096 samples before it grows. */
    public SampleBatch() {
        this(4096);
    }

    /** The series name. */
    public String series() {
        return series;
    }

    /** How many samples. */
    public int count() {
        return count;
    }

    /** The time of sample i (nanoseconds). */
    public long time(int i) {
        if (i >= count) throw new IndexOutOfBoundsException(i);
        return times[i];
    }

    /** The value of sample i. */
    public double value(int i) {
        if (i >= count) throw new IndexOutOfBoundsException(i);
        return values[i];
    }

    /** The times column (valid up to {@link #count()}; reused by the next decode). */
    public long[] times() {
        return times;
    }

    /** The values column (valid up to {@link #count()}; reused by the next decode). */
    public double[] values() {
        return values;
    }

    void ensureCapacity(int n) {
        if (times.length < n) {
            int cap = Math.max(n, (int) Math.min(Integer.MAX_VALUE - 8, times.length * 3L / 2));
            times = Arrays.copyOf(times, cap);
            values = Arrays.copyOf(values, cap);
        }
    }

    @Override
    public String toString() {
        return "SampleBatch[" + series + ", " + count + " samples]";
    }
}
