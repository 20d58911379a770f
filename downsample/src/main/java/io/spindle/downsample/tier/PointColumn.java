package io.spindle.downsample.tier;

import java.util.Arrays;

/**
 * Time-ordered points of one tier (or the raw series) in primitive arrays, with segment starts marked so readers
 * can draw gaps as breaks. Optionally keeps only the newest {@code retain} points.
 */
public final class PointColumn {
    private long[] t = new long[64];
    private double[] v = new double[64];
    private boolean[] start = new boolean[64];
    private int head, size;
    private final int retain;

    /** A column keeping at most {@code retain} newest points (Integer.MAX_VALUE: keep all). */
    public PointColumn(int retain) {
        if (retain < 1) throw new IllegalArgumentException("retain must be >= 1, got " + retain);
        this.retain = retain;
    }

    /** Appends a point; times must not decrease. */
    public void append(long time, double value, boolean segmentStart) {
        if (size > 0 && time < t[head + size - 1])
            throw new IllegalArgumentException("point at " + time + " is older than the column's last point " + t[head + size - 1]);
        if (head + size == t.length) makeRoom();
        t[head + size] = time;
        v[head + size] = value;
        start[head + size] = segmentStart;
        size++;
        if (size > retain) {
            head++;
            size--;
            start[head] = true; // what precedes it is gone: the oldest kept point starts what a reader can see
        }
    }

    private void makeRoom() {
        if (head > 0 && head >= size) { // at least half is dropped history: slide instead of growing
            System.arraycopy(t, head, t, 0, size);
            System.arraycopy(v, head, v, 0, size);
            System.arraycopy(start, head, start, 0, size);
            head = 0;
            return;
        }
        int len = (int) Math.min(Integer.MAX_VALUE - 8, t.length * 2L);
        t = Arrays.copyOf(t, len);
        v = Arrays.copyOf(v, len);
        start = Arrays.copyOf(start, len);
    }

    /** Number of points held. */
    public int size() {
        return size;
    }

    /** Time of the i-th held point (0 = oldest). */
    public long time(int i) {
        return t[head + check(i)];
    }

    /** Value of the i-th held point. */
    public double value(int i) {
        return v[head + check(i)];
    }

    /** Whether the i-th held point starts a segment (a gap or the start of data precedes it). */
    public boolean segmentStart(int i) {
        return start[head + check(i)];
    }

    /** Index of the first point with time >= time (size() if none). */
    public int lowerBound(long time) {
        int lo = head, hi = head + size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (t[mid] < time) lo = mid + 1;
            else hi = mid;
        }
        return lo - head;
    }

    /** Number of points with time in [from, to). */
    public int count(long from, long to) {
        return to <= from ? 0 : lowerBound(to) - lowerBound(from);
    }

    private int check(int i) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException("point " + i + " of " + size);
        return i;
    }
}
