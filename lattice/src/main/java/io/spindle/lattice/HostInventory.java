package io.spindle.lattice;

import java.util.List;
import java.util.Map;

/** What runs on a host (reply of {@code host.inventory}, payload of heartbeats). */
public record HostInventory(String hostId, String friendlyName, Map<String, String> labels, String version,
                            long uptimeSeconds, List<ComponentDescription> components,
                            List<ProviderDescription> providers) {
    public HostInventory {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        components = components == null ? List.of() : List.copyOf(components);
        providers = providers == null ? List.of() : List.copyOf(providers);
    }

    /** A running component: id, where it came from (file path or {@code sha256-...}), its digest, instances. */
    public record ComponentDescription(String id, String imageRef, String digest, int maxInstances,
                                       Map<String, String> annotations, String state) {
        public ComponentDescription {
            annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        }
    }

    /** A running provider: id, which built-in provider (e.g. {@code spindle:messaging}), its state. */
    public record ProviderDescription(String id, String imageRef, Map<String, String> annotations, String state) {
        public ProviderDescription {
            annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        }
    }
}
