package io.spindle.store;

import io.spindle.codec.SampleBatch;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Reads of the raw ring: the chunks that can overlap a range (those starting at most the series' longest chunk span
 * before it), decoded, filtered to the range and merged in time order. Chunks come in order of their first time, so
 * a sample earlier than the next chunk's first time is final: it is emitted, and reading stops once limit samples
 * are out, at most one chunk past what is needed.
 */
final class RawChunkReader {
    private RawChunkReader() {
    }

    /** The raw stats of a series: n, first, last, max span; null when it has no raw samples. */
    private static long[] rawStats(DbConn c, StoreSql sql, int series) throws SQLException {
        PreparedStatement st = c.prepare(sql.statsRow);
        st.setInt(1, series);
        st.setInt(2, SeriesStore.RAW);
        try (ResultSet rs = st.executeQuery()) {
            if (!rs.next()) return null;
            long n = rs.getLong(1);
            if (n == 0) return null;
            return new long[]{n, rs.getLong(2), rs.getLong(3), rs.getLong(4)};
        }
    }

    static int read(DbConn c, StoreSql sql, int series, long from, long to, int limit, long[] tOut, double[] vOut,
                    String where) throws SQLException {
        long[] stats = rawStats(c, sql, series);
        if (stats == null || to <= stats[1] || from > stats[2]) return 0;
        PreparedStatement ps = c.prepare(sql.rawRead);
        ps.setInt(1, series);
        ps.setLong(2, JdbcStore.minusSaturated(from, stats[3]));
        ps.setLong(3, to);
        ps.setLong(4, from);
        ps.setFetchSize(16);
        SampleBatch chunk = new SampleBatch(0);
        Merge m = new Merge();
        int out = 0;
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long first = rs.getLong(1), last = rs.getLong(2);
                int n = rs.getInt(3);
                out = m.emitBefore(first, tOut, vOut, out, limit);
                if (out == limit) return out;
                ChunkCodec.decode(rs.getBytes(4), first, last, n, chunk, where);
                m.add(chunk, from, to);
            }
        }
        return m.emitBefore(Long.MAX_VALUE, tOut, vOut, out, limit, true);
    }

    static long count(DbConn c, StoreSql sql, int series, long from, long to, String where) throws SQLException {
        long[] stats = rawStats(c, sql, series);
        if (stats == null || to <= stats[1] || from > stats[2]) return 0;
        if (from <= stats[1] && to > stats[2]) return stats[0];
        long lo = JdbcStore.minusSaturated(from, stats[3]);
        long total;
        PreparedStatement in = c.prepare(sql.rawCountInside);
        in.setInt(1, series);
        in.setLong(2, from);
        in.setLong(3, to);
        in.setLong(4, to);
        try (ResultSet rs = in.executeQuery()) {
            rs.next();
            total = rs.getLong(1);
        }
        // chunks that straddle an end of the range: decode and count what falls inside
        PreparedStatement edges = c.prepare(sql.rawEdges);
        edges.setInt(1, series);
        edges.setLong(2, lo);
        edges.setLong(3, to);
        edges.setLong(4, from);
        edges.setLong(5, from);
        edges.setLong(6, to);
        edges.setFetchSize(16);
        SampleBatch chunk = new SampleBatch(0);
        try (ResultSet rs = edges.executeQuery()) {
            while (rs.next()) {
                long first = rs.getLong(1), last = rs.getLong(2);
                int n = rs.getInt(3);
                ChunkCodec.decode(rs.getBytes(4), first, last, n, chunk, where);
                long[] t = chunk.times();
                for (int i = 0; i < n; i++) if (t[i] >= from && t[i] < to) total++;
            }
        }
        return total;
    }

    /** Samples read but not yet emitted, in time order; chunks overlapping each other (late writes) merge here. */
    private static final class Merge {
        private long[] t = new long[0];
        private double[] v = new double[0];
        private long[] t2 = new long[0];
        private double[] v2 = new double[0];
        private int start, end;

        /** Adds the samples of chunk within [from, to). */
        void add(SampleBatch chunk, long from, long to) {
            long[] ct = chunk.times();
            double[] cv = chunk.values();
            int n = chunk.count();
            int a = 0;
            while (a < n && ct[a] < from) a++;
            int b = n;
            while (b > a && ct[b - 1] >= to) b--;
            if (a == b) return;
            int have = end - start;
            if (have == 0 || t[end - 1] < ct[a]) { // appends in order: the usual case
                ensure(have + (b - a));
                System.arraycopy(ct, a, t, end, b - a);
                System.arraycopy(cv, a, v, end, b - a);
                end += b - a;
                return;
            }
            int total = have + (b - a);
            if (t2.length < total) {
                t2 = new long[total];
                v2 = new double[total];
            }
            int i = start, j = a, k = 0;
            while (i < end && j < b) {
                if (ct[j] < t[i]) {
                    t2[k] = ct[j];
                    v2[k++] = cv[j++];
                } else {
                    if (ct[j] == t[i]) j++; // one sample per time (writes make this rare): keep the earlier chunk's
                    t2[k] = t[i];
                    v2[k++] = v[i++];
                }
            }
            while (i < end) {
                t2[k] = t[i];
                v2[k++] = v[i++];
            }
            while (j < b) {
                t2[k] = ct[j];
                v2[k++] = cv[j++];
            }
            long[] tt = t;
            double[] vv = v;
            t = t2;
            v = v2;
            t2 = tt;
            v2 = vv;
            start = 0;
            end = k;
        }

        private void ensure(int size) {
            if (t.length - start < size) {
                int have = end - start;
                if (t.length >= size) { // compact to the front
                    System.arraycopy(t, start, t, 0, have);
                    System.arraycopy(v, start, v, 0, have);
                } else {
                    int cap = Math.max(size, t.length * 2);
                    long[] nt = new long[cap];
                    double[] nv = new double[cap];
                    System.arraycopy(t, start, nt, 0, have);
                    System.arraycopy(v, start, nv, 0, have);
                    t = nt;
                    v = nv;
                }
                start = 0;
                end = have;
            }
        }

        int emitBefore(long bound, long[] tOut, double[] vOut, int out, int limit) {
            return emitBefore(bound, tOut, vOut, out, limit, false);
        }

        /** Moves samples earlier than bound (all when last) to the output, up to limit; returns the new output count. */
        int emitBefore(long bound, long[] tOut, double[] vOut, int out, int limit, boolean last) {
            int k = start;
            while (k < end && out < limit && (last || t[k] < bound)) {
                tOut[out] = t[k];
                vOut[out++] = v[k++];
            }
            start = k;
            if (start == end) start = end = 0;
            return out;
        }
    }
}
