package io.spindle.providers;

import io.spindle.lattice.Subjects;
import io.spindle.lattice.transport.Transport;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a provider is started with: its id, the lattice it serves, its config (named configs merged) and the host's
 * data directory (null: none, e.g. an in-memory host; providers that keep files then need explicit paths).
 */
public record ProviderContext(String id, Transport transport, Subjects subjects, Map<String, String> config, Path dataDir) {
    public ProviderContext {
        config = Map.copyOf(config);
    }
}
