package io.spindle.store;

/** What one commit adds to one (series, tier) row of the stats table: rows, bytes, extent. */
final class StatsDelta {
    final int series;
    final int tier;
    long n;
    long bytes;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    long maxSpan;

    StatsDelta(int series, int tier) {
        this.series = series;
        this.tier = tier;
    }

    /** The key ordering deltas by (series, tier), which is also the order rows are locked in. */
    static long key(int series, int tier) {
        return ((long) series << 32) | (tier + 2L);
    }

    void addRow(long t) {
        n++;
        if (t < first) first = t;
        if (t > last) last = t;
    }

    void addRows(long count, long min, long max) {
        if (count == 0) return;
        n += count;
        if (min < first) first = min;
        if (max > last) last = max;
    }

    void addChunk(long firstT, long lastT, int count, int blobBytes) {
        addRows(count, firstT, lastT);
        bytes += blobBytes;
        long span = lastT - firstT; // both in one chunk of increasing times: the difference may still overflow
        if (span < 0) span = Long.MAX_VALUE;
        if (span > maxSpan) maxSpan = span;
    }
}
