package io.spindle.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/**
 * One retention pass over the raw ring, inside the caller's transaction: per series, whole chunks are removed,
 * oldest first, while the newest sample in a chunk is older than the series' newest sample minus the age bound, then
 * while the series' chunks add up to more bytes than the byte bound. Returns the samples removed.
 */
final class Retention {
    private final StoreSql sql;
    private final StoreConfig cfg;
    private final DbConn c;

    Retention(StoreSql sql, StoreConfig cfg, DbConn c) {
        this.sql = sql;
        this.cfg = cfg;
        this.c = c;
    }

    long run() throws SQLException {
        // candidates from the small stats table; the bounds are checked again under each series' row lock
        long[] candidates = new long[16];
        int count = 0;
        PreparedStatement ps = c.prepare(sql.retentionCandidates);
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                int series = rs.getInt(1);
                long bytes = rs.getLong(3), maxLast = rs.getLong(5), first = rs.getLong(6);
                if (overBytes(bytes) || tooOld(first, maxLast)) {
                    if (count == candidates.length) candidates = java.util.Arrays.copyOf(candidates, count * 2);
                    candidates[count++] = series;
                }
            }
        }
        long removed = 0;
        for (int i = 0; i < count; i++) removed += series((int) candidates[i]);
        return removed;
    }

    private boolean overBytes(long bytes) {
        return cfg.rawMaxBytesPerSeries() > 0 && bytes > cfg.rawMaxBytesPerSeries();
    }

    private boolean tooOld(long first, long maxLast) {
        return cfg.rawMaxAgeNanos() > 0 && first < JdbcStore.minusSaturated(maxLast, cfg.rawMaxAgeNanos());
    }

    private long series(int series) throws SQLException {
        PreparedStatement lock = c.prepare(sql.rawStatsLock);
        lock.setInt(1, series);
        long maxLast;
        try (ResultSet rs = lock.executeQuery()) {
            if (!rs.next()) return 0;
            maxLast = rs.getLong(1);
            if (rs.wasNull()) return 0;
        }
        PreparedStatement st = c.prepare(sql.statsRow);
        st.setInt(1, series);
        st.setInt(2, SeriesStore.RAW);
        long n, last;
        try (ResultSet rs = st.executeQuery()) {
            if (!rs.next()) return 0;
            n = rs.getLong(1);
            last = rs.getLong(3);
        }
        long bytes = bytesOf(series);
        long removedN = 0, removedBytes = 0, removedLast = Long.MIN_VALUE;
        if (cfg.rawMaxAgeNanos() > 0) {
            long horizon = JdbcStore.minusSaturated(maxLast, cfg.rawMaxAgeNanos());
            PreparedStatement sum = c.prepare(sql.ageSum);
            sum.setInt(1, series);
            sum.setLong(2, horizon);
            sum.setLong(3, horizon);
            try (ResultSet rs = sum.executeQuery()) {
                rs.next();
                removedN = rs.getLong(1);
                removedBytes = rs.getLong(2);
                long l = rs.getLong(3);
                if (!rs.wasNull()) removedLast = l;
            }
            if (removedN > 0) {
                PreparedStatement del = c.prepare(sql.ageDelete);
                del.setInt(1, series);
                del.setLong(2, horizon);
                del.setLong(3, horizon);
                del.executeUpdate();
            }
        }
        long max = cfg.rawMaxBytesPerSeries();
        if (max > 0 && bytes - removedBytes > max) {
            long excess = bytes - removedBytes - max, acc = 0;
            long cutoff = 0;
            boolean any = false;
            PreparedStatement old = c.prepare(sql.oldestChunks);
            old.setInt(1, series);
            old.setFetchSize(256);
            try (ResultSet rs = old.executeQuery()) {
                while (acc < excess && rs.next()) {
                    cutoff = rs.getLong(1);
                    removedLast = Math.max(removedLast, rs.getLong(2));
                    removedN += rs.getLong(3);
                    acc += rs.getLong(4);
                    any = true;
                }
            }
            if (any) {
                PreparedStatement del = c.prepare(sql.deleteUpTo);
                del.setInt(1, series);
                del.setLong(2, cutoff);
                del.executeUpdate();
                removedBytes += acc;
            }
        }
        if (removedN == 0 && removedBytes == 0) return 0;
        PreparedStatement up = c.prepare(sql.statsAfterRetention);
        up.setLong(1, removedN);
        up.setLong(2, removedBytes);
        up.setInt(3, series);
        if (removedN >= n) up.setNull(4, Types.BIGINT);
        else up.setLong(4, removedLast >= last ? maxLastStored(series) : last);
        up.setInt(5, series);
        up.executeUpdate();
        return removedN;
    }

    private long bytesOf(int series) throws SQLException {
        // read under the row lock: the candidates query ran before it
        PreparedStatement ps = c.prepare(sql.retentionBytes);
        ps.setInt(1, series);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private long maxLastStored(int series) throws SQLException {
        PreparedStatement ps = c.prepare(sql.rawMaxLast);
        ps.setInt(1, series);
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
