package io.spindle.sources.mqtt;

import java.util.HashMap;
import java.util.Map;

/** What the source knows of one edge node's Sparkplug session: its births, aliases, bdSeq and seq. */
final class EdgeNodeSession {
    static final long NONE = Long.MIN_VALUE;

    final String group;
    final String edgeNode;
    final String key;
    /** Aliases are unique across an edge node and its devices (Sparkplug 3.0, payloads: alias). */
    final LongObjectMap<MetricDef> aliases = new LongObjectMap<>();
    final Map<String, MetricScope> devices = new HashMap<>();
    MetricScope node;
    /** Between an NBIRTH and the NDEATH (or lost connection) that ends it. */
    boolean alive;
    /** Alive and in sequence: DATA can be decoded. False while a rebirth is awaited. */
    boolean synced;
    /** Why DATA is not accepted now (shown in the rejections); null when synced. */
    String unsyncedReason = "no NBIRTH received yet";
    /** The bdSeq of the current NBIRTH, or NONE. */
    long bdSeq = NONE;
    int lastSeq;
    /** System.nanoTime() of the last rebirth request, or NONE. */
    long rebirthRequestedAt = NONE;
    /** Set when the broker connection was lost while the node was alive: ask it to rebirth once subscribed again. */
    boolean rebirthOnReconnect;

    EdgeNodeSession(String group, String edgeNode) {
        this.group = group;
        this.edgeNode = edgeNode;
        this.key = group + '/' + edgeNode;
    }

    /** The scope that currently defines the metrics of device (null: the node's own), or null if none is born. */
    MetricScope scope(String device) {
        return device == null ? node : devices.get(device);
    }

    /** Whether def belongs to a birth that is still in force. */
    boolean current(MetricDef def) {
        return def.scope == scope(def.scope.device);
    }

    void unsync(String reason) {
        synced = false;
        unsyncedReason = reason;
    }
}
