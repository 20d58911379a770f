package io.spindle.lattice;

import java.util.Map;

/**
 * A host as the lattice sees it (reply of {@code host.get}, part of heartbeats).
 *
 * @param id            the host's public key (Ed25519, NATS nkey style {@code N...})
 * @param friendlyName  a readable name
 * @param labels        e.g. {@code zone=edge}, {@code site=plant-1}
 * @param version       Spindle's version
 * @param uptimeSeconds since start
 * @param lattice       the lattice name
 */
public record HostInfo(String id, String friendlyName, Map<String, String> labels, String version, long uptimeSeconds,
                       String lattice) {
    public HostInfo {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
