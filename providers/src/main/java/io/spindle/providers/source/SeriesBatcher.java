package io.spindle.providers.source;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects samples per series into primitive columns and hands a series' batch on when it holds {@code maxBatch}
 * samples or its oldest sample waited {@code lingerNanos} (see {@link #flushDue}). Not thread-safe: the caller locks.
 */
final class SeriesBatcher {
    /** Receives full or due batches; the arrays are reused after the call returns. */
    interface Out {
        void batch(String series, long[] t, double[] v, int n);
    }

    private static final class Column {
        final String series;
        final long[] t;
        final double[] v;
        int n;
        long firstAddedAt;
        long lastT = Long.MIN_VALUE;

        Column(String series, int cap) {
            this.series = series;
            t = new long[cap];
            v = new double[cap];
        }
    }

    private final int maxBatch;
    private final long lingerNanos;
    private final Out out;
    private final Map<String, Column> columns = new HashMap<>();
    private final List<Column> order = new ArrayList<>();
    private long outOfOrder;

    SeriesBatcher(int maxBatch, long lingerNanos, Out out) {
        if (maxBatch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + maxBatch);
        this.maxBatch = maxBatch;
        this.lingerNanos = lingerNanos;
        this.out = out;
    }

    /** Adds one sample; now is System.nanoTime(). */
    void add(String series, long t, double v, long now) {
        Column c = columns.get(series);
        if (c == null) {
            c = new Column(series, maxBatch);
            columns.put(series, c);
            order.add(c);
        }
        if (c.n == 0) c.firstAddedAt = now;
        if (t < c.lastT) outOfOrder++;
        else c.lastT = t;
        c.t[c.n] = t;
        c.v[c.n] = v;
        if (++c.n == maxBatch) emit(c);
    }

    /** Adds samples [0, n) of one series (all finite); one map lookup and bulk copies instead of n adds. */
    void addAll(String series, long[] t, double[] v, int n, long now) {
        Column c = columns.get(series);
        if (c == null) {
            c = new Column(series, maxBatch);
            columns.put(series, c);
            order.add(c);
        }
        int i = 0;
        while (i < n) {
            if (c.n == 0) c.firstAddedAt = now;
            int k = Math.min(n - i, maxBatch - c.n);
            long last = c.lastT;
            for (int j = i; j < i + k; j++) {
                long tj = t[j];
                if (tj < last) outOfOrder++;
                else last = tj;
            }
            c.lastT = last;
            System.arraycopy(t, i, c.t, c.n, k);
            System.arraycopy(v, i, c.v, c.n, k);
            c.n += k;
            i += k;
            if (c.n == maxBatch) emit(c);
        }
    }

    /** Hands on the series' pending samples now (so that what follows for it keeps the source's order). */
    void flush(String series) {
        Column c = columns.get(series);
        if (c != null && c.n > 0) emit(c);
    }

    /** Hands on every batch whose oldest sample waited at least the linger time (all of them when force). */
    void flushDue(long now, boolean force) {
        for (int i = 0; i < order.size(); i++) {
            Column c = order.get(i);
            if (c.n > 0 && (force || now - c.firstAddedAt >= lingerNanos)) emit(c);
        }
    }

    /** Samples that arrived with a time before their series' newest (late at the source). */
    long outOfOrder() {
        return outOfOrder;
    }

    /** Series seen so far. */
    int seriesCount() {
        return order.size();
    }

    private void emit(Column c) {
        int n = c.n;
        c.n = 0; // first: a failing out must not make the next add overflow the column
        out.batch(c.series, c.t, c.v, n);
    }
}
