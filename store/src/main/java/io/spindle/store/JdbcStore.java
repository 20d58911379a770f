package io.spindle.store;

import io.spindle.codec.SampleBatch;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What SQLite and PostgreSQL stores share: one writer connection whose commits are serialised by a lock, a pool of
 * read connections (a dashboard query never waits for a long commit), reads that stream their result sets, and
 * counters. Subclasses open connections and supply the few statements that differ.
 */
abstract class JdbcStore implements SeriesStore {
    private static final System.Logger LOG = System.getLogger("spindle.store");

    final StoreConfig cfg;
    final StoreSql sql;
    final SeriesIds ids;
    final StoreCounters counters = new StoreCounters();
    private final String location;
    private final ReaderPool readers;
    private final ReentrantLock writeLock = new ReentrantLock();
    private DbConn writer; // guarded by writeLock; null after a failure broke it, reopened on the next write
    private volatile boolean closed;
    private long lastRetentionNanos;

    // owned by the writer (used under writeLock only)
    final ScratchColumns scratch = new ScratchColumns(8192);
    final ScratchColumns sortTmp = new ScratchColumns(0);
    final ChunkCodec chunkCodec = new ChunkCodec();
    final SampleBatch writerDecodeBatch = new SampleBatch(8192);

    JdbcStore(String location, StoreConfig cfg, StoreSql sql, DbConn writer) {
        this.location = location;
        this.cfg = cfg;
        this.sql = sql;
        this.ids = new SeriesIds(sql);
        this.writer = writer;
        this.readers = new ReaderPool(this::openReader, cfg.readConnections(), location);
        this.lastRetentionNanos = System.nanoTime();
    }

    /** A new writer connection (after the previous one broke). */
    abstract DbConn openWriter() throws SQLException;

    /** A new read connection. */
    abstract DbConn openReader() throws SQLException;

    abstract void beginWrite(DbConn c) throws SQLException;

    abstract void commitWrite(DbConn c) throws SQLException;

    abstract void rollbackWrite(DbConn c) throws SQLException;

    /** Starts a read transaction, so a read's statements see one snapshot. */
    abstract void beginRead(DbConn c) throws SQLException;

    abstract void endRead(DbConn c) throws SQLException;

    abstract void rollbackRead(DbConn c) throws SQLException;

    /** Work before a batch's transaction (PostgreSQL creates the partitions the batch needs). */
    void beforeWrite(DbConn c, BufferedBatch b) throws SQLException {
    }

    /**
     * Inserts the strictly increasing points t/v[0, n) of one series and tier, keeping rows already there, and adds
     * the rows actually inserted to d.
     */
    abstract void insertTierPoints(DbConn c, int series, int tier, long[] t, double[] v, int n, StatsDelta d) throws SQLException;

    @Override
    public WriteBatch batch() {
        return new BufferedBatch(this::commit);
    }

    @Override
    public String location() {
        return location;
    }

    @Override
    public StoreStats stats() {
        return counters.snapshot();
    }

    // ---- writes

    private void commit(BufferedBatch b) {
        if (b.isEmpty()) return;
        writeLock.lock();
        try {
            long start = System.nanoTime();
            DbConn c;
            try {
                c = writer("commit");
            } catch (StoreException e) {
                counters.failedCommits.incrementAndGet();
                throw e;
            }
            CommitWork work = new CommitWork(this, c, b);
            try {
                beforeWrite(c, b);
                beginWrite(c);
                work.run();
                commitWrite(c);
            } catch (SQLException | RuntimeException e) {
                failed(c);
                counters.failedCommits.incrementAndGet();
                throw new StoreException(location + ": commit of " + b.size() + " points/events and " + b.states.size()
                        + " states failed, nothing written: " + e.getMessage(), e);
            }
            ids.committed(work.newIds);
            counters.commits.incrementAndGet();
            counters.rowsWritten.addAndGet(work.written);
            counters.duplicates.addAndGet(work.duplicates);
            counters.latency.record(System.nanoTime() - start);
            b.clear();
            if (retentionConfigured() && System.nanoTime() - lastRetentionNanos >= cfg.retentionIntervalNanos()) {
                try {
                    retentionLocked();
                } catch (StoreException e) {
                    // the commit itself is durable; retention is retried by the next commit or enforceRetention()
                    LOG.log(System.Logger.Level.WARNING, e.getMessage());
                }
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** The writer connection, reopened if a failure broke it. Call under writeLock. */
    private DbConn writer(String what) {
        if (closed) throw new StoreException(location + ": " + what + " on a closed store");
        if (writer == null) {
            try {
                writer = openWriter();
            } catch (SQLException | RuntimeException e) {
                throw new StoreException(location + ": " + what + " failed, cannot reconnect: " + e.getMessage(), e);
            }
        }
        return writer;
    }

    /** After a failed write: roll back, and drop the connection when it no longer answers. */
    private void failed(DbConn c) {
        try {
            rollbackWrite(c);
        } catch (SQLException | RuntimeException ignored) {
            // checked below
        }
        if (!c.alive()) {
            c.close();
            writer = null;
        }
    }

    private boolean retentionConfigured() {
        return cfg.rawMaxBytesPerSeries() > 0 || cfg.rawMaxAgeNanos() > 0;
    }

    @Override
    public long enforceRetention() {
        writeLock.lock();
        try {
            return retentionConfigured() ? retentionLocked() : 0;
        } finally {
            writeLock.unlock();
        }
    }

    private long retentionLocked() {
        lastRetentionNanos = System.nanoTime();
        DbConn c = writer("retention");
        try {
            beginWrite(c);
            long removed = new Retention(sql, cfg, c).run();
            commitWrite(c);
            counters.rowsExpired.addAndGet(removed);
            return removed;
        } catch (SQLException | RuntimeException e) {
            failed(c);
            if (e instanceof StoreException se) throw se;
            throw new StoreException(location + ": retention failed, nothing removed: " + e.getMessage(), e);
        }
    }

    // ---- reads

    /** One read on a pooled connection, in one read transaction. */
    interface Read<R> {
        R run(DbConn c) throws SQLException;
    }

    <R> R withReader(String what, Read<R> body) {
        for (int attempt = 1; ; attempt++) {
            if (closed) throw new StoreException(location + ": " + what + " on a closed store");
            DbConn c = readers.borrow();
            boolean broken = false;
            try {
                beginRead(c);
                R r = body.run(c);
                endRead(c);
                return r;
            } catch (SQLException | RuntimeException e) {
                try {
                    rollbackRead(c);
                } catch (SQLException | RuntimeException ignored) {
                    // the connection is checked below
                }
                broken = !c.alive();
                // a pooled connection the server dropped (a restart): reads change nothing, so one retry is safe
                if (broken && attempt == 1 && !(e instanceof StoreException)) continue;
                if (e instanceof StoreException se) throw se;
                throw new StoreException(location + ": " + what + " failed: " + e.getMessage(), e);
            } finally {
                readers.release(c, broken);
            }
        }
    }

    static void checkTier(int tier) {
        if (tier < RAW || tier > BufferedBatch.MAX_TIER)
            throw new IllegalArgumentException("tier " + tier + " is outside -1 (raw).." + BufferedBatch.MAX_TIER);
    }

    @Override
    public int read(String series, int tier, long fromNs, long toNs, int limit, long[] tOut, double[] vOut) {
        checkTier(tier);
        if (limit < 0) throw new IllegalArgumentException("limit " + limit + " is negative");
        if (tOut == null || vOut == null || tOut.length < limit || vOut.length < limit)
            throw new IllegalArgumentException("output arrays (" + (tOut == null ? "null" : tOut.length) + " times, "
                    + (vOut == null ? "null" : vOut.length) + " values) do not hold limit " + limit);
        if (series == null || limit == 0 || fromNs >= toNs) return 0;
        return withReader("read of '" + series + "' tier " + tier, c -> {
            Integer id = ids.find(c, series);
            if (id == null) return 0;
            if (tier == RAW) return RawChunkReader.read(c, sql, id, fromNs, toNs, limit, tOut, vOut, location + ": raw of '" + series + "'");
            PreparedStatement ps = c.prepare(sql.tierRead);
            ps.setInt(1, id);
            ps.setInt(2, tier);
            ps.setLong(3, fromNs);
            ps.setLong(4, toNs);
            ps.setInt(5, limit);
            ps.setFetchSize(Math.min(limit, 10_000));
            int n = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (n < limit && rs.next()) {
                    tOut[n] = rs.getLong(1);
                    double v = rs.getDouble(2);
                    vOut[n++] = rs.wasNull() ? Double.NaN : v; // SQLite keeps NaN as NULL
                }
            }
            return n;
        });
    }

    @Override
    public long count(String series, int tier, long fromNs, long toNs) {
        checkTier(tier);
        if (series == null || fromNs >= toNs) return 0;
        return withReader("count of '" + series + "' tier " + tier, c -> {
            Integer id = ids.find(c, series);
            if (id == null) return 0L;
            if (tier == RAW) return RawChunkReader.count(c, sql, id, fromNs, toNs, location + ": raw of '" + series + "'");
            PreparedStatement st = c.prepare(sql.statsRow);
            st.setInt(1, id);
            st.setInt(2, tier);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) return 0L;
                long n = rs.getLong(1), first = rs.getLong(2), last = rs.getLong(3);
                if (n == 0) return 0L;
                if (fromNs <= first && toNs > last) return n; // the whole series: no need to count rows
            }
            PreparedStatement ps = c.prepare(sql.tierCount);
            ps.setInt(1, id);
            ps.setInt(2, tier);
            ps.setLong(3, fromNs);
            ps.setLong(4, toNs);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Override
    public List<Event> events(String series, long fromNs, long toNs, int limit) {
        if (limit < 0) throw new IllegalArgumentException("limit " + limit + " is negative");
        if (series == null || limit == 0 || fromNs >= toNs) return List.of();
        return withReader("events of '" + series + "'", c -> {
            Integer id = ids.find(c, series);
            List<Event> out = new ArrayList<>();
            if (id == null) return out;
            PreparedStatement ps = c.prepare(sql.eventsRead);
            ps.setInt(1, id);
            ps.setLong(2, fromNs);
            ps.setLong(3, toNs);
            ps.setInt(4, limit);
            ps.setFetchSize(Math.min(limit, 1000));
            try (ResultSet rs = ps.executeQuery()) {
                while (out.size() < limit && rs.next()) out.add(new Event(series, rs.getLong(1), rs.getString(2)));
            }
            return out;
        });
    }

    @Override
    public List<SeriesInfo> series() {
        return withReader("series list", c -> {
            List<SeriesInfo> out = new ArrayList<>();
            PreparedStatement ps = c.prepare(sql.statsAll);
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
                SeriesSummary cur = null;
                while (rs.next()) {
                    String name = rs.getString(1);
                    if (cur == null || !cur.name.equals(name)) {
                        if (cur != null && cur.hasData()) out.add(cur.info());
                        cur = new SeriesSummary(name);
                    }
                    cur.add(rs.getInt(2), rs.getLong(3), rs.getLong(4), rs.getLong(5));
                }
                if (cur != null && cur.hasData()) out.add(cur.info());
            }
            out.sort(Comparator.comparing(SeriesInfo::series)); // the same order whatever the database's collation
            return out;
        });
    }

    @Override
    public byte[] state(String key) {
        if (key == null) return null;
        return withReader("state '" + key + "'", c -> {
            PreparedStatement ps = c.prepare(sql.stateGet);
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        });
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        readers.close();
        writeLock.lock();
        try {
            if (writer != null) writer.close();
            writer = null;
        } finally {
            writeLock.unlock();
        }
    }

    /** a - b, held at Long.MIN_VALUE instead of wrapping (b >= 0; b = Long.MAX_VALUE stands for any larger span). */
    static long minusSaturated(long a, long b) {
        if (b == Long.MAX_VALUE) return Long.MIN_VALUE;
        long r = a - b;
        return r > a ? Long.MIN_VALUE : r;
    }
}
