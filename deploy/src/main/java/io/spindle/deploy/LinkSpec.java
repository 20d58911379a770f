package io.spindle.deploy;

import io.spindle.lattice.Link;
import java.util.List;

/**
 * A {@code link} trait: its component (the source) may use {@code namespace:package/interfaces} on target.
 *
 * @param name         the link name ("default" when not given)
 * @param target       the target component's name in this application
 * @param namespace    e.g. {@code spindle}
 * @param pkg          e.g. {@code messaging}
 * @param interfaces   e.g. {@code [publisher]}
 * @param sourceConfig configs given to the source for this link
 * @param targetConfig configs given to the target for this link
 * @param path         the trait's path in the document
 */
public record LinkSpec(String name, String target, String namespace, String pkg, List<String> interfaces,
                       List<ConfigSpec> sourceConfig, List<ConfigSpec> targetConfig, String path) {
    public LinkSpec {
        name = name == null ? "default" : name;
        interfaces = List.copyOf(interfaces);
        sourceConfig = List.copyOf(sourceConfig);
        targetConfig = List.copyOf(targetConfig);
    }

    /** {@code namespace:package/iface} for each interface. */
    public List<String> qualifiedInterfaces() {
        return interfaces.stream().map(i -> namespace + ":" + pkg + "/" + i).toList();
    }

    /** The lattice link between the two ends' lattice ids (see {@link AppComponent#latticeId}). */
    public Link toLink(String sourceId, String targetId) {
        return new Link(sourceId, targetId, name, namespace, pkg, interfaces,
                sourceConfig.stream().map(ConfigSpec::name).toList(), targetConfig.stream().map(ConfigSpec::name).toList());
    }
}
