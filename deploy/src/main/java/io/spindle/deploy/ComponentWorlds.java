package io.spindle.deploy;

import java.util.Set;

/** What a component's world imports and exports, looked up by its manifest image (a file path or a digest). */
@FunctionalInterface
public interface ComponentWorlds {
    /** The world of the component at image, a problem, or unchecked when it cannot be looked up here. */
    Lookup lookup(String image);

    /** Looks nothing up: links to components are checked for syntax and roles only. */
    ComponentWorlds UNCHECKED = image -> Lookup.unchecked();

    /**
     * The outcome of one lookup.
     *
     * @param world   the world id (e.g. {@code spindle:telemetry/processor@0.1.0}), or null
     * @param imports unversioned interfaces the component imports, e.g. {@code spindle:telemetry/log}
     * @param exports unversioned interfaces it exports, e.g. {@code spindle:telemetry/processor}
     * @param problem why the image is not a usable component (a manifest problem), or null
     */
    record Lookup(String world, Set<String> imports, Set<String> exports, String problem) {
        public Lookup {
            imports = imports == null ? Set.of() : Set.copyOf(imports);
            exports = exports == null ? Set.of() : Set.copyOf(exports);
        }

        /** A component of world with those imports and exports. */
        public static Lookup of(String world, Set<String> imports, Set<String> exports) {
            return new Lookup(world, imports, exports, null);
        }

        /** An image that is not a usable component, for that reason. */
        public static Lookup failed(String problem) {
            return new Lookup(null, null, null, problem);
        }

        /** An image that cannot be inspected here (e.g. a digest resolved later by the lattice). */
        public static Lookup unchecked() {
            return new Lookup(null, null, null, null);
        }

        /** True when the world is known. */
        public boolean known() {
            return world != null;
        }
    }
}
