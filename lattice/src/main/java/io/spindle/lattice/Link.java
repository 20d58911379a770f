package io.spindle.lattice;

import java.util.List;

/**
 * A link (wasmCloud's interface link definition): source (a component or provider id) may use interfaces of
 * wit_namespace:wit_package on target, under link name (default "default"), with named configs for each side.
 *
 * @param sourceId     the component or provider that calls
 * @param target       the component or provider that is called
 * @param name         the link name ("default" unless several links of one interface are needed)
 * @param witNamespace e.g. {@code spindle}
 * @param witPackage   e.g. {@code messaging}
 * @param interfaces   e.g. {@code [publisher]}
 * @param sourceConfig names of configs given to the source for this link
 * @param targetConfig names of configs given to the target for this link
 */
public record Link(String sourceId, String target, String name, String witNamespace, String witPackage,
                   List<String> interfaces, List<String> sourceConfig, List<String> targetConfig) {
    public Link {
        name = name == null || name.isBlank() ? "default" : name;
        interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
        sourceConfig = sourceConfig == null ? List.of() : List.copyOf(sourceConfig);
        targetConfig = targetConfig == null ? List.of() : List.copyOf(targetConfig);
    }

    /** The key in the links bucket: one link per source, name, namespace and package. */
    public String key() {
        return sourceId + "." + name + "." + witNamespace + "." + witPackage;
    }

    /** {@code namespace:package/iface} for each interface. */
    public List<String> qualifiedInterfaces() {
        return interfaces.stream().map(i -> witNamespace + ":" + witPackage + "/" + i).toList();
    }

    /** For messages: {@code source -(ns:pkg/ifaces, name)-> target}. */
    public String describe() {
        return sourceId + " -(" + witNamespace + ":" + witPackage + "/" + String.join(",", interfaces)
                + (name.equals("default") ? "" : " as " + name) + ")-> " + target;
    }
}
