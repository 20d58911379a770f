package io.spindle.sources;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** What a source has done so far; updated by the source's threads, read by anyone. */
public final class SourceCounters {
    /** Numeric samples delivered. */
    public final AtomicLong samples = new AtomicLong();
    /** Non-numeric values delivered. */
    public final AtomicLong events = new AtomicLong();
    /** Inputs refused (malformed lines, unknown aliases, bad payloads, NaN where a number was promised). */
    public final AtomicLong rejected = new AtomicLong();
    /** Connections made after the first one. */
    public final AtomicLong reconnects = new AtomicLong();
    /** Bytes read from the wire (0 for generated data). */
    public final AtomicLong bytes = new AtomicLong();
    private volatile boolean connected;
    private volatile String lastError;

    /** Whether the source is connected to its peer now (a generator always is while running). */
    public boolean connected() {
        return connected;
    }

    /** Records the connection state. */
    public void connected(boolean up) {
        connected = up;
    }

    /** The last error (a refused input or a failed connection), or null. */
    public String lastError() {
        return lastError;
    }

    /** Records an error message as the last one. */
    public void lastError(String message) {
        lastError = message;
    }

    /** The counters as name -> value, in a fixed order, for tables and JSON. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", samples.get());
        m.put("events", events.get());
        m.put("rejected", rejected.get());
        m.put("reconnects", reconnects.get());
        m.put("bytes", bytes.get());
        m.put("connected", connected);
        m.put("last_error", lastError);
        return m;
    }
}
