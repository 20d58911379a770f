package io.spindle.sources.mqtt;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric;

/**
 * Turns Sparkplug B messages into samples, events and stale marks, as a (non-primary) Sparkplug Host Application:
 * births define metrics, aliases and datatypes; DATA is decoded against the births in force; every message after an
 * NBIRTH must carry the next seq (mod 256) or the edge node is asked to rebirth and its DATA is dropped, counted and
 * reported until it does; deaths mark series stale (an NDEATH only when its bdSeq is the current NBIRTH's).
 * Messages are handled one at a time on the source's worker thread.
 */
final class SparkplugHandler {
    private static final long MAX_MILLIS = Long.MAX_VALUE / 1_000_000L;

    private final Emitter out;
    private final SparkplugCounters counters;
    private final SeriesNaming naming;
    private final boolean rebirth;
    private final long rebirthIntervalNanos;
    private final RebirthRequest.Publisher publisher;
    private final LongSupplier wallMillis;
    private final Map<String, Map<String, EdgeNodeSession>> nodes = new HashMap<>();

    SparkplugHandler(Emitter out, SparkplugCounters counters, SeriesNaming naming, boolean rebirth,
                     long rebirthIntervalNanos, RebirthRequest.Publisher publisher, LongSupplier wallMillis) {
        this.out = out;
        this.counters = counters;
        this.naming = naming;
        this.rebirth = rebirth;
        this.rebirthIntervalNanos = rebirthIntervalNanos;
        this.publisher = publisher;
        this.wallMillis = wallMillis;
    }

    /** Handles one message of the spBv1.0 namespace. */
    void onMessage(String topic, byte[] bytes) {
        SparkplugTopic st = SparkplugTopic.parse(topic);
        if (st == null) {
            if (!commandOrState(topic)) {
                out.reject(topic, "not a Sparkplug B topic spBv1.0/<group>/{NBIRTH|NDEATH|NDATA}/<edge node> or "
                    + "spBv1.0/<group>/{DBIRTH|DDEATH|DDATA}/<edge node>/<device>");
            }
            return;
        }
        Payload p;
        try {
            p = Payload.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            out.reject(topic, "malformed Sparkplug B payload (" + bytes.length + " bytes): " + e.getMessage());
            return;
        }
        long now = wallMillis.getAsLong();
        if (st.type() == SparkplugTopic.Type.NDEATH) {
            Map<String, EdgeNodeSession> group = nodes.get(st.group());
            nodeDeath(group == null ? null : group.get(st.edgeNode()), p, now);
            return;
        }
        EdgeNodeSession node = nodes.computeIfAbsent(st.group(), g -> new HashMap<>())
            .computeIfAbsent(st.edgeNode(), e -> new EdgeNodeSession(st.group(), e));
        if (st.type() == SparkplugTopic.Type.NBIRTH) {
            nodeBirth(node, st, p, topic, now);
            return;
        }
        if (!inSequence(node, p, topic)) return;
        switch (st.type()) {
            case DBIRTH -> deviceBirth(node, st, p, topic, now);
            case DDEATH -> deviceDeath(node, st, now);
            default -> data(node, st, p, topic, now);
        }
    }

    /** The broker connection is gone: every live edge node's series are stale and its births must come again. */
    void connectionLost(long tNanos) {
        for (Map<String, EdgeNodeSession> group : nodes.values()) {
            for (EdgeNodeSession node : group.values()) {
                if (node.alive) {
                    staleAll(node, tNanos);
                    node.rebirthOnReconnect = true;
                }
                end(node, "the connection to the broker was lost");
                node.rebirthRequestedAt = EdgeNodeSession.NONE;
            }
        }
    }

    /** Subscribed again after a reconnect: births sent meanwhile were missed, so ask the nodes that were alive. */
    void subscribed() {
        for (Map<String, EdgeNodeSession> group : nodes.values()) {
            for (EdgeNodeSession node : group.values()) {
                if (node.rebirthOnReconnect && !node.alive) requestRebirth(node);
                node.rebirthOnReconnect = false;
            }
        }
    }

    private void nodeBirth(EdgeNodeSession node, SparkplugTopic st, Payload p, String topic, long now) {
        if (!p.hasSeq() || p.getSeq() < 0 || p.getSeq() > 255) {
            String what = p.hasSeq() ? "seq " + Long.toUnsignedString(p.getSeq()) + " outside 0..255" : "no seq";
            node.unsync("its NBIRTH had " + what);
            out.reject(topic, "NBIRTH has " + what + rebirthNote());
            requestRebirth(node);
            return;
        }
        node.node = new MetricScope(naming.prefix(st.group(), st.edgeNode(), null), null);
        node.devices.clear();
        node.aliases.clear();
        node.bdSeq = EdgeNodeSession.NONE;
        long fallback = p.hasTimestamp() ? p.getTimestamp() : now;
        for (Metric m : p.getMetricsList()) {
            if (m.hasName() && m.getName().equals("bdSeq")) {
                node.bdSeq = bdSeq(m);
                continue;
            }
            if (m.hasName() && m.getName().startsWith("Node Control/")) continue; // commands, not data
            MetricDef def = define(node, node.node, m, topic);
            if (def != null) deliver(def, m, fallback, topic);
        }
        node.alive = true;
        node.synced = true;
        node.unsyncedReason = null;
        node.lastSeq = (int) p.getSeq();
        node.rebirthRequestedAt = EdgeNodeSession.NONE;
        node.rebirthOnReconnect = false;
        counters.births.incrementAndGet();
    }

    private void nodeDeath(EdgeNodeSession node, Payload p, long now) {
        long bd = EdgeNodeSession.NONE;
        for (Metric m : p.getMetricsList()) if (m.hasName() && m.getName().equals("bdSeq")) bd = bdSeq(m);
        // a will delivered late, or a duplicate of a death already seen, belongs to an older session
        if (node == null || !node.alive || bd != node.bdSeq) {
            counters.deathsIgnored.incrementAndGet();
            return;
        }
        counters.deaths.incrementAndGet(); // counted before the stale marks, so whoever sees a mark sees the count
        staleAll(node, now * 1_000_000L); // the NDEATH's own timestamp dates from the edge node's CONNECT
        end(node, "NDEATH (bdSeq " + bd + ")");
    }

    private void deviceBirth(EdgeNodeSession node, SparkplugTopic st, Payload p, String topic, long now) {
        MetricScope scope = new MetricScope(naming.prefix(st.group(), st.edgeNode(), st.device()), st.device());
        node.devices.put(st.device(), scope);
        long fallback = p.hasTimestamp() ? p.getTimestamp() : now;
        for (Metric m : p.getMetricsList()) {
            if (m.hasName() && m.getName().startsWith("Device Control/")) continue;
            MetricDef def = define(node, scope, m, topic);
            if (def != null) deliver(def, m, fallback, topic);
        }
        counters.births.incrementAndGet();
    }

    private void deviceDeath(EdgeNodeSession node, SparkplugTopic st, long now) {
        MetricScope scope = node.devices.remove(st.device());
        if (scope == null) {
            counters.deathsIgnored.incrementAndGet();
            return;
        }
        long t = now * 1_000_000L; // the spec asks hosts to note when the DDEATH was received
        counters.deaths.incrementAndGet();
        for (MetricDef def : scope.byName.values()) out.stale(def.series, t);
    }

    private void data(EdgeNodeSession node, SparkplugTopic st, Payload p, String topic, long now) {
        MetricScope scope = node.scope(st.device());
        if (scope == null) {
            String device = node.key + '/' + st.device();
            node.unsync("DDATA came from device " + device + " without a DBIRTH");
            out.reject(topic, "device " + device + " has no DBIRTH in this session" + rebirthNote());
            requestRebirth(node);
            return;
        }
        long fallback = p.hasTimestamp() ? p.getTimestamp() : now;
        String unknown = null;
        for (Metric m : p.getMetricsList()) {
            MetricDef def = resolve(node, scope, m);
            if (def == null) {
                unknown = m.hasAlias() ? "alias " + Long.toUnsignedString(m.getAlias())
                    : m.hasName() ? "metric '" + m.getName() + "'" : "a metric with neither alias nor name";
                out.reject(topic, "unknown " + unknown + ": not in the birth of " + scope.describe(node)
                    + rebirthNote());
                continue;
            }
            deliver(def, m, fallback, topic);
        }
        if (unknown != null) {
            node.unsync("unknown " + unknown + " in " + st.type());
            requestRebirth(node);
        }
    }

    private boolean inSequence(EdgeNodeSession node, Payload p, String topic) {
        if (!node.synced) {
            counters.droppedAwaitingBirth.incrementAndGet();
            out.reject(topic, "edge node " + node.key + " awaits a birth (" + node.unsyncedReason
                + "); message dropped" + rebirthNote());
            requestRebirth(node);
            return false;
        }
        int expected = (node.lastSeq + 1) & 0xFF;
        if (p.hasSeq() && p.getSeq() == expected) {
            node.lastSeq = expected;
            return true;
        }
        counters.sequenceGaps.incrementAndGet();
        boolean valid = p.hasSeq() && p.getSeq() >= 0 && p.getSeq() <= 255;
        String what = !p.hasSeq() ? "no seq, expected " + expected
            : "seq " + Long.toUnsignedString(p.getSeq()) + ", expected " + expected;
        if (!rebirth && valid) {
            node.lastSeq = (int) p.getSeq(); // a read-only host takes what it gets
            out.warn(topic, "sequence gap on edge node " + node.key + ": " + what);
            return true;
        }
        node.unsync("sequence gap: " + what);
        out.reject(topic, "sequence gap on edge node " + node.key + ": " + what + "; message dropped"
            + rebirthNote());
        requestRebirth(node);
        return false;
    }

    private MetricDef define(EdgeNodeSession node, MetricScope scope, Metric m, String topic) {
        if (!m.hasName() || m.getName().isEmpty()) {
            out.reject(topic, "birth metric" + (m.hasAlias() ? " with alias " + Long.toUnsignedString(m.getAlias())
                : "") + " has no name");
            return null;
        }
        String name = m.getName();
        int type = m.getDatatype();
        if (!SparkplugTypes.metricType(type)) {
            out.reject(topic, "birth metric '" + name + "' has "
                + (type == 0 ? "no datatype" : "the unknown " + SparkplugTypes.name(type)));
            return null;
        }
        if (type == SparkplugTypes.TEMPLATE && m.getTemplateValue().getIsDefinition()) return null; // a UDT type
        MetricDef def = new MetricDef(scope, name, type);
        if (m.hasAlias()) {
            MetricDef other = node.aliases.get(m.getAlias());
            if (other != null && node.current(other)) {
                out.reject(topic, "birth metric '" + name + "': alias " + Long.toUnsignedString(m.getAlias())
                    + " already names " + other.series + " (aliases are unique per edge node)");
                return null;
            }
            node.aliases.put(m.getAlias(), def);
        }
        scope.byName.put(name, def);
        return def;
    }

    private static MetricDef resolve(EdgeNodeSession node, MetricScope scope, Metric m) {
        if (m.hasAlias()) {
            MetricDef def = node.aliases.get(m.getAlias());
            return def != null && def.scope == scope ? def : null;
        }
        return m.hasName() ? scope.byName.get(m.getName()) : null;
    }

    private void deliver(MetricDef def, Metric m, long fallbackMillis, String topic) {
        long ms = m.hasTimestamp() ? m.getTimestamp() : fallbackMillis;
        if (ms < 0 || ms > MAX_MILLIS) {
            out.reject(topic, "metric '" + def.name + "': timestamp " + Long.toUnsignedString(ms)
                + " ms is outside the range of epoch nanoseconds");
            return;
        }
        long t = ms * 1_000_000L;
        if (m.getIsNull()) {
            out.stale(def.series, t); // a null value: what was last delivered no longer holds
            return;
        }
        int type = def.datatype;
        if (m.getDatatype() != 0 && m.getDatatype() != type) {
            out.reject(topic, "metric '" + def.name + "': datatype " + SparkplugTypes.name(m.getDatatype())
                + " differs from " + SparkplugTypes.name(type) + " in its birth");
            return;
        }
        if (SparkplugTypes.numeric(type)) {
            if (!SparkplugNumbers.fits(m, type)) {
                out.reject(topic, "metric '" + def.name + "' (" + SparkplugTypes.name(type) + ") carries "
                    + SparkplugText.describe(m.getValueCase()));
                return;
            }
            double v = SparkplugNumbers.value(m, type);
            if (!Double.isFinite(v)) {
                out.reject(topic, "metric '" + def.name + "' (" + SparkplugTypes.name(type) + ") is " + v
                    + ": valid IEEE 754 in Sparkplug, but the pipeline carries finite numbers only");
                return;
            }
            out.sample(def.series, t, v);
        } else {
            String text;
            try {
                text = SparkplugText.render(m, type);
            } catch (IllegalArgumentException e) {
                out.reject(topic, "metric '" + def.name + "': " + e.getMessage());
                return;
            }
            out.event(def.series, t, text);
        }
    }

    private void staleAll(EdgeNodeSession node, long tNanos) {
        if (node.node != null) for (MetricDef def : node.node.byName.values()) out.stale(def.series, tNanos);
        for (MetricScope device : node.devices.values()) {
            for (MetricDef def : device.byName.values()) out.stale(def.series, tNanos);
        }
    }

    private static void end(EdgeNodeSession node, String reason) {
        node.alive = false;
        node.unsync(reason);
        node.node = null;
        node.devices.clear();
        node.aliases.clear();
    }

    private void requestRebirth(EdgeNodeSession node) {
        if (!rebirth) return;
        long t = System.nanoTime();
        if (node.rebirthRequestedAt != EdgeNodeSession.NONE && t - node.rebirthRequestedAt < rebirthIntervalNanos) {
            return;
        }
        node.rebirthRequestedAt = t;
        counters.rebirthRequests.incrementAndGet();
        publisher.requestRebirth(node.group, node.edgeNode);
    }

    private String rebirthNote() {
        return rebirth ? "; rebirth requested" : "";
    }

    private static long bdSeq(Metric m) {
        return switch (m.getValueCase()) {
            case LONG_VALUE -> m.getLongValue();
            case INT_VALUE -> m.getIntValue() & 0xFFFF_FFFFL;
            default -> EdgeNodeSession.NONE;
        };
    }

    private static boolean commandOrState(String topic) {
        String[] p = topic.split("/", 4);
        return p.length >= 3 && (p[1].equals("STATE") || p[2].equals("NCMD") || p[2].equals("DCMD"));
    }
}
