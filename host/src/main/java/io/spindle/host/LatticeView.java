package io.spindle.host;

import io.spindle.lattice.HostInventory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What runs where in the lattice, as far as this host knows: from other hosts' heartbeats (a full inventory each)
 * and from their component_scaled, provider_started, provider_stopped and host_stopped events (updates between
 * heartbeats). A host not heard from for longer than the expiry is dropped. Used to validate links against the
 * whole lattice; this host's own state is always taken from the host itself.
 */
final class LatticeView {
    /** A component or provider somewhere in the lattice. */
    record Entry(String id, boolean component, String hostId, String ref, String digest) {
    }

    private static final class Known {
        final Map<String, HostInventory.ComponentDescription> components = new ConcurrentHashMap<>();
        final Map<String, HostInventory.ProviderDescription> providers = new ConcurrentHashMap<>();
        volatile long seenNanos = System.nanoTime();
    }

    private final Map<String, Known> hosts = new ConcurrentHashMap<>();
    private final long expiryNanos;

    LatticeView(long expiryNanos) {
        this.expiryNanos = expiryNanos;
    }

    private Known host(String hostId) {
        Known k = hosts.computeIfAbsent(hostId, h -> new Known());
        k.seenNanos = System.nanoTime();
        return k;
    }

    /** A full inventory (heartbeat, or an answer to host.inventory) replaces what was known of its host. */
    void inventory(HostInventory inv) {
        Known k = new Known();
        for (HostInventory.ComponentDescription c : inv.components()) k.components.put(c.id(), c);
        for (HostInventory.ProviderDescription p : inv.providers()) k.providers.put(p.id(), p);
        hosts.put(inv.hostId(), k);
    }

    void componentScaled(String hostId, HostInventory.ComponentDescription c) {
        if (c.maxInstances() <= 0) host(hostId).components.remove(c.id());
        else host(hostId).components.put(c.id(), c);
    }

    void providerStarted(String hostId, HostInventory.ProviderDescription p) {
        host(hostId).providers.put(p.id(), p);
    }

    void providerStopped(String hostId, String providerId) {
        host(hostId).providers.remove(providerId);
    }

    void hostStopped(String hostId) {
        hosts.remove(hostId);
    }

    /** Every place id runs (other hosts), expired hosts dropped. */
    List<Entry> find(String id) {
        long now = System.nanoTime();
        hosts.entrySet().removeIf(e -> now - e.getValue().seenNanos > expiryNanos);
        List<Entry> out = new ArrayList<>();
        for (Map.Entry<String, Known> h : hosts.entrySet()) {
            HostInventory.ComponentDescription c = h.getValue().components.get(id);
            if (c != null) out.add(new Entry(id, true, h.getKey(), c.imageRef(), c.digest()));
            HostInventory.ProviderDescription p = h.getValue().providers.get(id);
            if (p != null) out.add(new Entry(id, false, h.getKey(), p.imageRef(), null));
        }
        return out;
    }

    /** Ids of the hosts known. */
    List<String> hostIds() {
        return List.copyOf(hosts.keySet());
    }
}
