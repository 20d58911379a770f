package io.spindle.lattice;

import java.util.List;
import java.util.Map;

/** Payloads of control requests (JSON, snake_case). */
public final class Commands {
    private Commands() {
    }

    /**
     * {@code component.scale.<host>}: run count instances of componentRef as componentId (0 stops it);
     * {@code component.start.<host>} and {@code component.stop.<host>} are scale to 1 and to 0.
     */
    public record ScaleComponent(String componentRef, String componentId, String hostId, Integer count,
                                 Map<String, String> annotations, List<String> config) {
        public ScaleComponent {
            annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
            config = config == null ? List.of() : List.copyOf(config);
        }
    }

    /** {@code provider.start.<host>}: start built-in provider providerRef (e.g. {@code spindle:messaging}) as providerId. */
    public record StartProvider(String providerRef, String providerId, String hostId, List<String> config,
                                Map<String, String> annotations) {
        public StartProvider {
            config = config == null ? List.of() : List.copyOf(config);
            annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        }
    }

    /** {@code provider.stop.<host>}. */
    public record StopProvider(String providerId, String hostId) {
    }

    /** {@code link.del}: the link of sourceId, name, namespace and package. */
    public record DeleteLink(String sourceId, String name, String witNamespace, String witPackage) {
    }

    /** {@code host.label.<host>}: set (value non-null) or remove (value null) a label. */
    public record Label(String key, String value) {
    }

    /** {@code host.stop.<host>}: stop the host after draining for at most timeoutMs. */
    public record StopHost(String hostId, Long timeoutMs) {
    }
}
