package io.spindle.sources.mqtt;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** What the Sparkplug B session tracking has done, beyond the common source counters. */
public final class SparkplugCounters {
    /** NBIRTH and DBIRTH messages accepted. */
    public final AtomicLong births = new AtomicLong();
    /** NDEATH and DDEATH messages that marked series stale. */
    public final AtomicLong deaths = new AtomicLong();
    /** NDEATH messages ignored: their bdSeq is not the current NBIRTH's, or the node is not alive. */
    public final AtomicLong deathsIgnored = new AtomicLong();
    /** Sequence numbers that were not one more (mod 256) than the edge node's previous one. */
    public final AtomicLong sequenceGaps = new AtomicLong();
    /** Messages refused because their edge node was waiting for a (re)birth; each is also a rejection. */
    public final AtomicLong droppedAwaitingBirth = new AtomicLong();
    /** Rebirth requests (NCMD Node Control/Rebirth) published. */
    public final AtomicLong rebirthRequests = new AtomicLong();

    /** The counters as name -> value, in a fixed order. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("births", births.get());
        m.put("deaths", deaths.get());
        m.put("deaths_ignored", deathsIgnored.get());
        m.put("sequence_gaps", sequenceGaps.get());
        m.put("dropped_awaiting_birth", droppedAwaitingBirth.get());
        m.put("rebirth_requests", rebirthRequests.get());
        return m;
    }
}
