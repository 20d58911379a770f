package io.spindle.deploy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The interfaces links may name and the built-in providers, as data (the same rules the host applies to links,
 * kept here so that deploy does not depend on the providers module):
 * <ul>
 *   <li>{@code spindle:messaging/publisher} and {@code spindle:keyvalue/store}: source a component whose world
 *       imports it, target a provider that offers it;</li>
 *   <li>{@code spindle:telemetry/processor}: source a provider that drives it ({@code spindle:messaging}), target a
 *       component whose world exports it.</li>
 * </ul>
 *
 * @param packages  linkable interfaces by package ({@code namespace:package})
 * @param hostGiven interfaces the host gives every component, never linked
 * @param providers built-in providers by ref
 */
public record Linkables(Map<String, List<String>> packages, Set<String> hostGiven, Map<String, Provider> providers) {
    /** {@code spindle:telemetry/processor}: exported by components, driven by a provider. */
    public static final String PROCESSOR = "spindle:telemetry/processor";

    /**
     * A built-in provider.
     *
     * @param ref    its image in a manifest, e.g. {@code spindle:keyvalue}
     * @param offers interfaces it offers components (as link target)
     * @param drives interfaces it calls on components (as link source)
     */
    public record Provider(String ref, Set<String> offers, Set<String> drives) {
        public Provider {
            offers = Set.copyOf(offers);
            drives = Set.copyOf(drives);
        }
    }

    public Linkables {
        packages = Maps.copy(packages);
        hostGiven = Set.copyOf(hostGiven);
        providers = Maps.copy(providers);
    }

    /** Spindle's: messaging, key-value, store and the four sources. */
    public static final Linkables SPINDLE = spindle();

    private static Linkables spindle() {
        Map<String, List<String>> packages = new LinkedHashMap<>();
        packages.put("spindle:messaging", List.of("publisher"));
        packages.put("spindle:keyvalue", List.of("store"));
        packages.put("spindle:telemetry", List.of("processor"));
        Map<String, Provider> providers = new LinkedHashMap<>();
        for (Provider p : List.of(
                new Provider("spindle:messaging", Set.of("spindle:messaging/publisher"), Set.of(PROCESSOR)),
                new Provider("spindle:keyvalue", Set.of("spindle:keyvalue/store"), Set.of()),
                new Provider("spindle:store", Set.of(), Set.of()),
                new Provider("spindle:source-shdr", Set.of(), Set.of()),
                new Provider("spindle:source-mqtt", Set.of(), Set.of()),
                new Provider("spindle:source-opcua", Set.of(), Set.of()),
                new Provider("spindle:source-simulator", Set.of(), Set.of())))
            providers.put(p.ref(), p);
        return new Linkables(packages, Set.of("spindle:telemetry/log", "spindle:telemetry/config"), providers);
    }

    /** The built-in provider of that ref. */
    public Optional<Provider> provider(String ref) {
        return Optional.ofNullable(providers.get(ref));
    }

    /** True when components export iface (and providers drive it), false when components import it. */
    public boolean exportedByComponents(String qualified) {
        return providers.values().stream().anyMatch(p -> p.drives().contains(qualified));
    }
}
