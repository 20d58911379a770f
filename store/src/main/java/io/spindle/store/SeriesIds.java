package io.spindle.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Series names to their small integer ids; ids never change once committed, so found ones are cached. */
final class SeriesIds {
    private final ConcurrentHashMap<String, Integer> ids = new ConcurrentHashMap<>();
    private final StoreSql sql;

    SeriesIds(StoreSql sql) {
        this.sql = sql;
    }

    /** The id of name when committed, else null. */
    Integer find(DbConn c, String name) throws SQLException {
        Integer id = ids.get(name);
        if (id != null) return id;
        PreparedStatement ps = c.prepare(sql.seriesId);
        ps.setString(1, name);
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) return null;
            id = rs.getInt(1);
        }
        ids.put(name, id);
        return id;
    }

    /** The id of name, registering it inside the caller's transaction when new (not cached until it commits). */
    int register(DbConn c, String name, Map<String, Integer> uncommitted) throws SQLException {
        Integer id = ids.get(name);
        if (id != null) return id;
        PreparedStatement ins = c.prepare(sql.seriesInsert);
        ins.setString(1, name);
        ins.executeUpdate();
        PreparedStatement ps = c.prepare(sql.seriesId);
        ps.setString(1, name);
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) throw new SQLException("series '" + name + "' has no id after it was inserted");
            id = rs.getInt(1);
        }
        uncommitted.put(name, id);
        return id;
    }

    /** Caches ids that became visible with a commit. */
    void committed(Map<String, Integer> newIds) {
        ids.putAll(newIds);
    }
}
