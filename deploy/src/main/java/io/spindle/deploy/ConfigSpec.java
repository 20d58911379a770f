package io.spindle.deploy;

import java.util.Map;

/**
 * A named config given to a component, a provider or one side of a link.
 *
 * @param name       the config's name in the lattice's config bucket
 * @param properties its keys and values (insertion order kept)
 */
public record ConfigSpec(String name, Map<String, String> properties) {
    public ConfigSpec {
        properties = Maps.copy(properties);
    }
}
