package io.spindle.store;

import io.spindle.codec.SampleBatch;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The writes of one batch inside one open transaction on the writer connection: series ids, raw chunks, tier points,
 * events, consumer state, then the stats rows. Runs under the store's write lock; the caller commits or rolls back.
 */
final class CommitWork {
    /** Chunks are sent to the database in groups of about this many blob bytes, bounding what a commit holds. */
    private static final int CHUNK_FLUSH_BYTES = 8 << 20;
    private static final int EVENT_FLUSH_ROWS = 1000;

    private final JdbcStore store;
    private final DbConn c;
    private final BufferedBatch b;
    private final StoreSql sql;
    private final int[] ids;
    final Map<String, Integer> newIds = new HashMap<>();
    private final HashMap<Long, StatsDelta> deltas = new HashMap<>();
    long written;
    long duplicates;

    // chunks waiting to be sent: their row columns, by position
    private int pending;
    private int pendingBytes;
    private int[] pSeries = new int[64], pN = new int[64];
    private long[] pFirst = new long[64], pLast = new long[64];
    private byte[][] pBlob = new byte[64][];

    CommitWork(JdbcStore store, DbConn c, BufferedBatch b) {
        this.store = store;
        this.c = c;
        this.b = b;
        this.sql = store.sql;
        this.ids = new int[b.names.size()];
    }

    void run() throws SQLException {
        for (int i = 0; i < ids.length; i++) ids[i] = store.ids.register(c, b.names.get(i), newIds);
        writeRaw();
        writeTiers();
        writeEvents();
        writeStates();
        writeStats();
    }

    private StatsDelta delta(int series, int tier) {
        return deltas.computeIfAbsent(StatsDelta.key(series, tier), k -> new StatsDelta(series, tier));
    }

    /** Segment numbers grouped by series id (then tier), in the order they were added within a group. */
    private static long[] groupKeys(int count, java.util.function.IntToLongFunction groupOf) {
        long[] keys = new long[count];
        for (int s = 0; s < count; s++) keys[s] = groupOf.applyAsLong(s) << 26 | s;
        Arrays.sort(keys);
        return keys;
    }

    private void writeRaw() throws SQLException {
        if (b.rawSegCount == 0) return;
        if (b.rawSegCount >= 1 << 26) throw new SQLException("batch holds too many raw segments (" + b.rawSegCount + ")");
        int[] seg = b.rawSeg;
        long[] keys = groupKeys(b.rawSegCount, sg -> ids[seg[sg * 3]]);
        ScratchColumns s = store.scratch;
        int i = 0;
        while (i < keys.length) {
            int series = (int) (keys[i] >>> 26);
            int len = 0;
            int j = i;
            for (; j < keys.length && (int) (keys[j] >>> 26) == series; j++) {
                int sg = (int) (keys[j] & ((1 << 26) - 1));
                int off = seg[sg * 3 + 1], n = seg[sg * 3 + 2];
                s.growKeeping(len + n);
                System.arraycopy(b.raw.t, off, s.t, len, n);
                System.arraycopy(b.raw.v, off, s.v, len, n);
                len += n;
            }
            writeRawSeries(series, s, len);
            i = j;
        }
        flushChunks();
    }

    /** Writes one series' raw samples s[0, len) of this batch as chunks, dropping times already stored. */
    private void writeRawSeries(int series, ScratchColumns s, int len) throws SQLException {
        int n = SampleSort.sortUnique(s.t, s.v, 0, len, store.sortTmp);
        duplicates += len - n;
        PreparedStatement ph = c.prepare(sql.rawStatsPlaceholder);
        ph.setInt(1, series);
        ph.executeUpdate();
        PreparedStatement lock = c.prepare(sql.rawStatsLock);
        lock.setInt(1, series);
        long maxLast = Long.MIN_VALUE, maxSpan = 0;
        boolean any = false;
        try (ResultSet rs = lock.executeQuery()) {
            if (rs.next()) {
                maxLast = rs.getLong(1);
                any = !rs.wasNull();
                maxSpan = rs.getLong(2);
            }
        }
        if (any && n > 0 && s.t[0] <= maxLast) {
            int kept = dropStored(series, s, n, maxSpan);
            duplicates += n - kept;
            n = kept;
        }
        for (int from = 0; from < n; ) {
            int to = chunkEnd(s.t, from, n);
            addChunk(series, s.t[from], s.t[to - 1], to - from, store.chunkCodec.encode(s.t, s.v, from, to));
            from = to;
        }
    }

    /** Where the chunk starting at from ends: at most rawChunkMaxSamples samples, spanning at most rawChunkMaxSpanNanos. */
    private int chunkEnd(long[] t, int from, int n) {
        int to = Math.min(n, from + store.cfg.rawChunkMaxSamples());
        long span = store.cfg.rawChunkMaxSpanNanos();
        // times increase strictly, so the unsigned difference is the true one even where a long would overflow
        if (span == 0 || Long.compareUnsigned(t[to - 1] - t[from], span) <= 0) return to;
        int lo = from + 1, hi = to - 1; // t[lo - 1] fits, t[hi] does not: find the first that does not
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(t[mid] - t[from], span) <= 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /**
     * Removes from s[0, n) the times some stored chunk of series already holds (a replay, or late samples landing in
     * a stored range); returns how many are left, compacted to the front. Only chunks that can overlap are read: those
     * starting at most the series' longest chunk span before the first new time.
     */
    private int dropStored(int series, ScratchColumns s, int n, long maxSpan) throws SQLException {
        long first = s.t[0], last = s.t[n - 1];
        PreparedStatement ps = c.prepare(sql.rawOverlap);
        ps.setInt(1, series);
        ps.setLong(2, JdbcStore.minusSaturated(first, maxSpan));
        ps.setLong(3, last);
        ps.setLong(4, first);
        long[] stored = new long[(n + 63) >>> 6];
        SampleBatch chunk = store.writerDecodeBatch;
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long cFirst = rs.getLong(1), cLast = rs.getLong(2);
                int cn = rs.getInt(3);
                ChunkCodec.decode(rs.getBytes(4), cFirst, cLast, cn, chunk, "raw of '" + nameOf(series) + "'");
                long[] ct = chunk.times();
                int i = lowerBound(s.t, n, ct[0]);
                for (int k = 0; k < cn && i < n; k++) {
                    long x = ct[k];
                    while (i < n && s.t[i] < x) i++;
                    if (i < n && s.t[i] == x) stored[i >>> 6] |= 1L << i;
                }
            }
        }
        int w = 0;
        for (int i = 0; i < n; i++) {
            if ((stored[i >>> 6] & (1L << i)) == 0) {
                s.t[w] = s.t[i];
                s.v[w++] = s.v[i];
            }
        }
        return w;
    }

    private String nameOf(int series) {
        for (int i = 0; i < ids.length; i++) if (ids[i] == series) return b.names.get(i);
        return "#" + series;
    }

    private static int lowerBound(long[] t, int n, long x) {
        int lo = 0, hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (t[mid] < x) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private void addChunk(int series, long first, long last, int n, byte[] blob) throws SQLException {
        if (pending == pSeries.length) {
            int cap = pending * 2;
            pSeries = Arrays.copyOf(pSeries, cap);
            pN = Arrays.copyOf(pN, cap);
            pFirst = Arrays.copyOf(pFirst, cap);
            pLast = Arrays.copyOf(pLast, cap);
            pBlob = Arrays.copyOf(pBlob, cap);
        }
        pSeries[pending] = series;
        pFirst[pending] = first;
        pLast[pending] = last;
        pN[pending] = n;
        pBlob[pending++] = blob;
        pendingBytes += blob.length;
        if (pendingBytes >= CHUNK_FLUSH_BYTES) flushChunks();
    }

    private void flushChunks() throws SQLException {
        if (pending == 0) return;
        PreparedStatement ps = c.prepare(sql.rawInsert);
        ps.clearBatch(); // nothing left over from a commit that failed while building its batch
        for (int i = 0; i < pending; i++) {
            ps.setInt(1, pSeries[i]);
            ps.setLong(2, pFirst[i]);
            ps.setLong(3, pLast[i]);
            ps.setInt(4, pN[i]);
            ps.setBytes(5, pBlob[i]);
            ps.addBatch();
        }
        int[] counts = ps.executeBatch();
        checkCounts(counts, pending, "raw chunks");
        for (int i = 0; i < pending; i++) {
            if (counts[i] == 1) {
                delta(pSeries[i], SeriesStore.RAW).addChunk(pFirst[i], pLast[i], pN[i], pBlob[i].length);
                written += pN[i];
            } else {
                duplicates += pN[i]; // a concurrent writer stored a chunk starting at the same time
            }
            pBlob[i] = null;
        }
        pending = 0;
        pendingBytes = 0;
    }

    private static void checkCounts(int[] counts, int expected, String what) throws SQLException {
        if (counts.length != expected) throw new SQLException("batch insert of " + what + " returned " + counts.length + " counts for " + expected + " rows");
        for (int k : counts)
            if (k != 0 && k != 1) throw new SQLException("batch insert of " + what + " returned update count " + k + " (expected 0 or 1)");
    }

    private void writeTiers() throws SQLException {
        if (b.tierSegCount == 0) return;
        if (b.tierSegCount >= 1 << 26) throw new SQLException("batch holds too many tier segments (" + b.tierSegCount + ")");
        int[] seg = b.tierSeg;
        long[] keys = groupKeys(b.tierSegCount, sg -> (long) ids[seg[sg * 4]] << 6 | seg[sg * 4 + 1]);
        ScratchColumns s = store.scratch;
        int i = 0;
        while (i < keys.length) {
            long group = keys[i] >>> 26;
            int len = 0;
            int j = i;
            for (; j < keys.length && keys[j] >>> 26 == group; j++) {
                int sg = (int) (keys[j] & ((1 << 26) - 1));
                int off = seg[sg * 4 + 2], n = seg[sg * 4 + 3];
                s.growKeeping(len + n);
                System.arraycopy(b.tier.t, off, s.t, len, n);
                System.arraycopy(b.tier.v, off, s.v, len, n);
                len += n;
            }
            int series = (int) (group >>> 6), tier = (int) (group & 63);
            int n = SampleSort.sortUnique(s.t, s.v, 0, len, store.sortTmp);
            StatsDelta d = delta(series, tier);
            long before = d.n;
            store.insertTierPoints(c, series, tier, s.t, s.v, n, d);
            long inserted = d.n - before;
            written += inserted;
            duplicates += len - inserted;
            i = j;
        }
    }

    private void writeEvents() throws SQLException {
        int total = b.events.size();
        if (total == 0) return;
        PreparedStatement ps = c.prepare(sql.eventInsert);
        for (int from = 0; from < total; from += EVENT_FLUSH_ROWS) {
            int to = Math.min(total, from + EVENT_FLUSH_ROWS);
            ps.clearBatch();
            for (int i = from; i < to; i++) {
                BufferedBatch.PendingEvent e = b.events.get(i);
                ps.setInt(1, ids[e.series()]);
                ps.setLong(2, e.t());
                ps.setString(3, e.value());
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            checkCounts(counts, to - from, "events");
            for (int i = from; i < to; i++) {
                BufferedBatch.PendingEvent e = b.events.get(i);
                if (counts[i - from] == 1) {
                    delta(ids[e.series()], StoreSql.EVENTS_TIER).addRow(e.t());
                    written++;
                } else {
                    duplicates++;
                }
            }
        }
    }

    private void writeStates() throws SQLException {
        if (b.states.isEmpty()) return;
        PreparedStatement ps = c.prepare(sql.stateUpsert);
        for (Map.Entry<String, byte[]> e : b.states.entrySet()) {
            ps.setString(1, e.getKey());
            ps.setBytes(2, e.getValue());
            ps.executeUpdate();
        }
    }

    private void writeStats() throws SQLException {
        if (deltas.isEmpty()) return;
        long[] keys = new long[deltas.size()];
        int k = 0;
        for (long key : deltas.keySet()) keys[k++] = key;
        Arrays.sort(keys); // one lock order for every writer
        PreparedStatement ps = c.prepare(sql.statsUpsert);
        ps.clearBatch();
        int rows = 0;
        for (long key : keys) {
            StatsDelta d = deltas.get(key);
            if (d.n == 0) continue;
            ps.setInt(1, d.series);
            ps.setInt(2, d.tier);
            ps.setLong(3, d.n);
            ps.setLong(4, d.bytes);
            ps.setLong(5, d.first);
            ps.setLong(6, d.last);
            ps.setLong(7, d.last);
            ps.setLong(8, d.maxSpan);
            ps.addBatch();
            rows++;
        }
        if (rows > 0) ps.executeBatch();
    }
}
