package io.spindle.deploy;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An OAM {@code core.oam.dev/v1beta1} {@code Application} in wadm's shape.
 *
 * @param name        {@code metadata.name}
 * @param version     {@code metadata.annotations.version}
 * @param description {@code metadata.annotations.description}, or null
 * @param annotations every annotation, version and description included
 * @param labels      {@code metadata.labels}
 * @param components  {@code spec.components}, in document order
 */
public record Application(String name, String version, String description, Map<String, String> annotations,
                          Map<String, String> labels, List<AppComponent> components) {
    /** The only apiVersion accepted. */
    public static final String API_VERSION = "core.oam.dev/v1beta1";
    /** The only kind accepted. */
    public static final String KIND = "Application";

    public Application {
        annotations = Maps.copy(annotations);
        labels = Maps.copy(labels);
        components = List.copyOf(components);
    }

    /** The component of that name. */
    public Optional<AppComponent> component(String componentName) {
        return components.stream().filter(c -> c.name() != null && c.name().equals(componentName)).findFirst();
    }

    /** The number of link traits over all components. */
    public int linkCount() {
        return components.stream().mapToInt(c -> c.links().size()).sum();
    }
}
