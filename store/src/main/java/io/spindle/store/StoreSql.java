package io.spindle.store;

/**
 * The SQL both stores share, for tables named with a prefix ("" for SQLite, {@code "schema".} for PostgreSQL).
 * Tables: series (name to id), stats (per series and tier: counts and extents, kept by the commits that change
 * them), points (tiers k >= 0, one row per point), raw_chunks (the raw ring), events, state. In stats, tier -1 is
 * the raw ring and tier -2 the events.
 */
final class StoreSql {
    static final int EVENTS_TIER = -2;

    final String seriesInsert, seriesId;
    final String rawStatsPlaceholder, rawStatsLock, statsUpsert, statsRow, statsAll;
    final String rawOverlap, rawInsert, rawRead, rawCountInside, rawEdges, rawMaxLast;
    final String tierRead, tierCount, tierInsertRow, eventInsert, eventsRead, stateUpsert, stateGet;
    final String retentionCandidates, retentionBytes, ageSum, ageDelete, oldestChunks, deleteUpTo, statsAfterRetention;

    StoreSql(String p, boolean lockRows) {
        seriesInsert = "INSERT INTO " + p + "series(name) VALUES (?) ON CONFLICT (name) DO NOTHING";
        seriesId = "SELECT id FROM " + p + "series WHERE name = ?";
        rawStatsPlaceholder = "INSERT INTO " + p + "stats(series, tier, n, bytes, max_span) VALUES (?, -1, 0, 0, 0) "
                + "ON CONFLICT (series, tier) DO NOTHING";
        // the row lock serialises writers of one series on PostgreSQL, so the overlap check sees every chunk
        rawStatsLock = "SELECT max_last_t, max_span FROM " + p + "stats WHERE series = ? AND tier = -1" + (lockRows ? " FOR UPDATE" : "");
        statsUpsert = "INSERT INTO " + p + "stats AS st (series, tier, n, bytes, first_t, last_t, max_last_t, max_span) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (series, tier) DO UPDATE SET "
                + "n = st.n + excluded.n, bytes = st.bytes + excluded.bytes, "
                + "first_t = CASE WHEN st.first_t IS NULL OR excluded.first_t < st.first_t THEN excluded.first_t ELSE st.first_t END, "
                + "last_t = CASE WHEN st.last_t IS NULL OR excluded.last_t > st.last_t THEN excluded.last_t ELSE st.last_t END, "
                + "max_last_t = CASE WHEN st.max_last_t IS NULL OR excluded.max_last_t > st.max_last_t THEN excluded.max_last_t ELSE st.max_last_t END, "
                + "max_span = CASE WHEN excluded.max_span > st.max_span THEN excluded.max_span ELSE st.max_span END";
        statsRow = "SELECT n, first_t, last_t, max_span FROM " + p + "stats WHERE series = ? AND tier = ?";
        statsAll = "SELECT s.name, st.tier, st.n, st.first_t, st.last_t FROM " + p + "stats st JOIN " + p
                + "series s ON s.id = st.series ORDER BY s.name, st.tier";

        String chunkCols = "SELECT first_t, last_t, n, data FROM " + p + "raw_chunks WHERE series = ? ";
        rawOverlap = chunkCols + "AND first_t >= ? AND first_t <= ? AND last_t >= ? ORDER BY first_t";
        rawInsert = "INSERT INTO " + p + "raw_chunks(series, first_t, last_t, n, data) VALUES (?, ?, ?, ?, ?) "
                + "ON CONFLICT (series, first_t) DO NOTHING";
        rawRead = chunkCols + "AND first_t >= ? AND first_t < ? AND last_t >= ? ORDER BY first_t";
        rawCountInside = "SELECT coalesce(sum(n), 0) FROM " + p + "raw_chunks WHERE series = ? AND first_t >= ? AND first_t < ? AND last_t < ?";
        rawEdges = chunkCols + "AND first_t >= ? AND first_t < ? AND last_t >= ? AND (first_t < ? OR last_t >= ?)";
        rawMaxLast = "SELECT max(last_t) FROM " + p + "raw_chunks WHERE series = ?";

        tierRead = "SELECT t, v FROM " + p + "points WHERE series = ? AND tier = ? AND t >= ? AND t < ? ORDER BY t LIMIT ?";
        tierInsertRow = "INSERT INTO " + p + "points(series, tier, t, v) VALUES (?, ?, ?, ?) ON CONFLICT (series, tier, t) DO NOTHING";
        tierCount = "SELECT count(*) FROM " + p + "points WHERE series = ? AND tier = ? AND t >= ? AND t < ?";
        eventInsert = "INSERT INTO " + p + "events(series, t, value) VALUES (?, ?, ?) ON CONFLICT (series, t) DO NOTHING";
        eventsRead = "SELECT t, value FROM " + p + "events WHERE series = ? AND t >= ? AND t < ? ORDER BY t LIMIT ?";
        stateUpsert = "INSERT INTO " + p + "state(key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
        stateGet = "SELECT value FROM " + p + "state WHERE key = ?";

        retentionCandidates = "SELECT series, n, bytes, last_t, max_last_t, first_t FROM " + p + "stats WHERE tier = -1 AND n > 0 ORDER BY series";
        retentionBytes = "SELECT bytes FROM " + p + "stats WHERE series = ? AND tier = -1";
        ageSum = "SELECT coalesce(sum(n), 0), coalesce(sum(length(data)), 0), max(last_t) FROM " + p
                + "raw_chunks WHERE series = ? AND first_t < ? AND last_t < ?";
        ageDelete = "DELETE FROM " + p + "raw_chunks WHERE series = ? AND first_t < ? AND last_t < ?";
        oldestChunks = "SELECT first_t, last_t, n, length(data) FROM " + p + "raw_chunks WHERE series = ? ORDER BY first_t";
        deleteUpTo = "DELETE FROM " + p + "raw_chunks WHERE series = ? AND first_t <= ?";
        statsAfterRetention = "UPDATE " + p + "stats SET n = n - ?, bytes = bytes - ?, first_t = (SELECT min(first_t) FROM "
                + p + "raw_chunks WHERE series = ?), last_t = ? WHERE series = ? AND tier = -1";
    }
}
