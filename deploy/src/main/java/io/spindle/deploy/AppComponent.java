package io.spindle.deploy;

import java.util.List;
import java.util.Optional;

/**
 * One entry of {@code spec.components}: a Wasm component or a provider built into the host.
 *
 * @param name    unique within the application
 * @param type    component or capability
 * @param image   a component's module (file path or {@code sha256-<hex>} digest), or a capability's provider ref
 *                (e.g. {@code spindle:keyvalue})
 * @param id      the lattice id asked for, or null to derive one ({@link #latticeId})
 * @param config  configs given to it
 * @param scalers its spreadscaler or daemonscaler (at most one in a valid manifest)
 * @param links   its link traits, it being their source
 * @param path    its path in the document, e.g. {@code spec.components[1]}
 */
public record AppComponent(String name, Type type, String image, String id, List<ConfigSpec> config,
                           List<Scaler> scalers, List<LinkSpec> links, String path) {
    /** The two component types. */
    public enum Type {
        COMPONENT("component"), CAPABILITY("capability");

        private final String word;

        Type(String word) {
            this.word = word;
        }

        /** The {@code type} in a manifest. */
        public String word() {
            return word;
        }
    }

    public AppComponent {
        config = List.copyOf(config);
        scalers = List.copyOf(scalers);
        links = List.copyOf(links);
    }

    /** Its id in the lattice: {@code id} when given, else {@code <application>-<name>} (as wadm derives it). */
    public String latticeId(String application) {
        return id != null ? id : application + "-" + name;
    }

    /** Its scaler, if it has one. */
    public Optional<Scaler> scaler() {
        return scalers.stream().findFirst();
    }
}
