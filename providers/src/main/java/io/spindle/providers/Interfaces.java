package io.spindle.providers;

import io.spindle.wasm.World;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The WIT interfaces links can name, and who offers and uses them. A link's {@code wit_namespace:wit_package/iface}
 * is one of:
 * <ul>
 *   <li>{@code spindle:messaging/publisher}: source a component whose world imports it, target a
 *       {@code spindle:messaging} provider (grants the component {@code publish});</li>
 *   <li>{@code spindle:keyvalue/store}: source a component whose world imports it, target a {@code spindle:keyvalue}
 *       provider (grants {@code get}/{@code set}/{@code delete});</li>
 *   <li>{@code spindle:telemetry/processor}: source a {@code spindle:messaging} provider, target a component of the
 *       {@code processor} world (the provider feeds its {@code process} export).</li>
 * </ul>
 * {@code spindle:telemetry/log} and {@code spindle:telemetry/config} are given by the host to every component and
 * are not linked.
 */
public final class Interfaces {
    private Interfaces() {
    }

    /** The WIT version of every Spindle package. */
    public static final String VERSION = "0.1.0";
    /** Provider ref and package of the messaging provider. */
    public static final String MESSAGING = "spindle:messaging";
    /** Provider ref and package of the key-value provider. */
    public static final String KEYVALUE = "spindle:keyvalue";
    /** Provider ref of the store provider (reads the data stream, writes the store; takes no links). */
    public static final String STORE_PROVIDER = "spindle:store";
    /** Provider refs of the machine-data sources (publish into the data stream; take no links). */
    public static final String SHDR = "spindle:source-shdr", MQTT = "spindle:source-mqtt", OPCUA = "spindle:source-opcua", SIMULATOR = "spindle:source-simulator";
    /** {@code spindle:messaging/publisher}. */
    public static final String PUBLISHER = "spindle:messaging/publisher";
    /** {@code spindle:keyvalue/store}. */
    public static final String STORE = "spindle:keyvalue/store";
    /** {@code spindle:telemetry/processor}: the world a component exports, which the messaging provider drives. */
    public static final String PROCESSOR = "spindle:telemetry/processor";

    /** Linkable interfaces by package ({@code namespace:package}). */
    public static final Map<String, List<String>> PACKAGES = Map.of(
            MESSAGING, List.of("publisher"),
            KEYVALUE, List.of("store"),
            "spindle:telemetry", List.of("processor"));

    /** Host-given interfaces, never linked. */
    public static final Set<String> HOST_GIVEN = Set.of("spindle:telemetry/log", "spindle:telemetry/config");

    /** What a built-in provider offers to components (as link target) and drives on them (as link source). */
    public record ProviderKind(String ref, Set<String> offers, Set<String> drives) {
    }

    /** The built-in providers. */
    public static final List<ProviderKind> PROVIDERS = List.of(
            new ProviderKind(MESSAGING, Set.of(PUBLISHER), Set.of(PROCESSOR)),
            new ProviderKind(KEYVALUE, Set.of(STORE), Set.of()),
            new ProviderKind(STORE_PROVIDER, Set.of(), Set.of()),
            new ProviderKind(SHDR, Set.of(), Set.of()),
            new ProviderKind(MQTT, Set.of(), Set.of()),
            new ProviderKind(OPCUA, Set.of(), Set.of()),
            new ProviderKind(SIMULATOR, Set.of(), Set.of()));

    /** The built-in provider of that ref. */
    public static Optional<ProviderKind> provider(String ref) {
        return PROVIDERS.stream().filter(p -> p.ref().equals(ref)).findFirst();
    }

    /** The core import module of an interface, e.g. {@code spindle:messaging/publisher@0.1.0}. */
    public static String coreId(String qualified) {
        return qualified + "@" + VERSION;
    }

    /** True when a component of world imports the (unversioned) interface. */
    public static boolean worldImports(World world, String qualified) {
        return world.imports().containsKey(coreId(qualified));
    }

    /** The interfaces a component of world exports to providers ({@code processor} world: {@link #PROCESSOR}). */
    public static boolean worldExports(World world, String qualified) {
        return world.id().equals(coreId(qualified));
    }
}
