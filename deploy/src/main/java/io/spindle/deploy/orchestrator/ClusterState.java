package io.spindle.deploy.orchestrator;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.lattice.CloudEvent;
import io.spindle.lattice.HostInfo;
import io.spindle.lattice.HostInventory;
import io.spindle.lattice.HostInventory.ComponentDescription;
import io.spindle.lattice.HostInventory.ProviderDescription;
import io.spindle.lattice.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The lattice as it is, for the reconciler: hosts with their labels and what runs on them, from heartbeats (a full
 * inventory each), host_started/stopped, labels_changed, component_scaled, provider_started/stopped and health
 * events, plus the replies to the reconciler's own commands. A host not heard from for the expiry is lost.
 * Thread-safe (events arrive on transport threads, the reconciler reads on its own).
 */
final class ClusterState {
    /** One host as last seen. */
    record HostView(String id, String name, Map<String, String> labels, Map<String, ComponentDescription> components,
                    Map<String, ProviderDescription> providers) {
    }

    /** The latest health report of a component or provider on a host. */
    record Health(String state, String message, long atNanos) {
    }

    private static final class Known {
        String name;
        Map<String, String> labels = Map.of();
        final Map<String, ComponentDescription> components = new HashMap<>();
        final Map<String, ProviderDescription> providers = new HashMap<>();
        long seenNanos;
    }

    private final Map<String, Known> hosts = new HashMap<>();
    private final Map<String, Health> health = new HashMap<>();
    private final List<String> lost = new ArrayList<>();
    private final long expiryNanos;

    ClusterState(long expiryNanos) {
        this.expiryNanos = expiryNanos;
    }

    /** Applies one lattice event; returns true when it may change a placement (a host came, went or was relabelled). */
    synchronized boolean onEvent(CloudEvent e) {
        String host = e.source();
        JsonNode d = e.data();
        if (host == null || d == null) return false;
        try {
            switch (e.event()) {
                case "host_heartbeat" -> {
                    boolean fresh = !hosts.containsKey(host);
                    inventory(Json.MAPPER.treeToValue(d, HostInventory.class));
                    return fresh;
                }
                case "host_started", "labels_changed" -> {
                    HostInfo i = Json.MAPPER.treeToValue(d, HostInfo.class);
                    Known k = seen(host);
                    k.name = i.friendlyName();
                    k.labels = i.labels();
                    return true;
                }
                case "host_stopped" -> {
                    forgetHealth(host);
                    return hosts.remove(host) != null;
                }
                case "component_scaled" -> {
                    Known k = hosts.get(host);
                    if (k == null) return false; // an unknown host is learnt from its heartbeat or inventory
                    k.seenNanos = System.nanoTime();
                    String id = d.path("component_id").asText();
                    if (d.path("max_instances").asInt() <= 0) k.components.remove(id);
                    else k.components.put(id, new ComponentDescription(id, text(d, "image_ref"), text(d, "digest"),
                            d.path("max_instances").asInt(), annotations(d), "running"));
                }
                case "component_scale_failed" -> health.put(host + "/" + d.path("component_id").asText(),
                        new Health("failed", "start failed: " + text(d, "error"), System.nanoTime()));
                case "provider_started" -> {
                    String id = d.path("provider_id").asText();
                    if (!hosts.containsKey(host)) return false;
                    seen(host).providers.put(id, new ProviderDescription(id, text(d, "provider_ref"), annotations(d), "running"));
                }
                case "provider_stopped" -> {
                    if (hosts.containsKey(host)) seen(host).providers.remove(d.path("provider_id").asText());
                }
                case "health_check_passed", "health_check_failed" -> {
                    if (hosts.containsKey(host)) seen(host);
                    health.put(host + "/" + d.path("id").asText(), new Health(e.event().endsWith("passed") ? "ok" : "failed",
                            text(d, "message"), System.nanoTime()));
                }
                default -> {
                    if (hosts.containsKey(host)) seen(host);
                }
            }
        } catch (java.io.IOException | IllegalArgumentException bad) {
            return false; // a malformed event from one host does not stop the reconciler
        }
        return false;
    }

    /** A full inventory replaces what was known of its host. */
    synchronized void inventory(HostInventory inv) {
        Known k = seen(inv.hostId());
        k.name = inv.friendlyName();
        k.labels = inv.labels();
        k.components.clear();
        k.providers.clear();
        for (ComponentDescription c : inv.components()) k.components.put(c.id(), c);
        for (ProviderDescription p : inv.providers()) k.providers.put(p.id(), p);
    }

    /** The reconciler's own command took effect (its reply came back). */
    synchronized void componentRunning(String host, ComponentDescription c) {
        if (hosts.containsKey(host)) hosts.get(host).components.put(c.id(), c);
    }

    synchronized void componentStopped(String host, String id) {
        if (hosts.containsKey(host)) hosts.get(host).components.remove(id);
    }

    synchronized void providerRunning(String host, ProviderDescription p) {
        if (hosts.containsKey(host)) hosts.get(host).providers.put(p.id(), p);
    }

    synchronized void providerStopped(String host, String id) {
        if (hosts.containsKey(host)) hosts.get(host).providers.remove(id);
    }

    /** The live hosts (expired ones dropped and remembered for {@link #drainLost()}), by id. */
    synchronized List<HostView> hosts() {
        long now = System.nanoTime();
        hosts.entrySet().removeIf(en -> {
            boolean gone = now - en.getValue().seenNanos > expiryNanos;
            if (gone) {
                lost.add((en.getValue().name == null ? "" : en.getValue().name + " ") + en.getKey());
                forgetHealth(en.getKey());
            }
            return gone;
        });
        List<HostView> out = new ArrayList<>();
        for (var en : hosts.entrySet()) {
            Known k = en.getValue();
            out.add(new HostView(en.getKey(), k.name == null ? en.getKey() : k.name, Map.copyOf(k.labels),
                    Map.copyOf(k.components), Map.copyOf(k.providers)));
        }
        out.sort(Comparator.comparing(HostView::id));
        return out;
    }

    /** Hosts dropped for silence since the last call. */
    synchronized List<String> drainLost() {
        List<String> l = List.copyOf(lost);
        lost.clear();
        return l;
    }

    /** The latest health of id on host, if reported. */
    synchronized Health health(String host, String id) {
        return health.get(host + "/" + id);
    }

    /** Health reports of a host that left: kept, they would only grow the map. */
    private void forgetHealth(String host) {
        health.keySet().removeIf(k -> k.startsWith(host + "/"));
    }

    private Known seen(String host) {
        Known k = hosts.computeIfAbsent(host, h -> new Known());
        k.seenNanos = System.nanoTime();
        return k;
    }

    private static String text(JsonNode d, String field) {
        JsonNode n = d.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static Map<String, String> annotations(JsonNode d) {
        Map<String, String> a = new HashMap<>();
        d.path("annotations").fields().forEachRemaining(f -> a.put(f.getKey(), f.getValue().asText()));
        return a;
    }
}
