package io.spindle.providers;

import java.util.List;
import java.util.Map;

/**
 * A capability provider running in the host JVM. It is addressed through links exactly as components are and gets
 * its settings from link config: for each link, the config of its side (target_config when a component links to it,
 * source_config when it links to a component) laid over the config it was started with.
 */
public interface Provider extends AutoCloseable {
    /** The provider's id in the lattice. */
    String id();

    /** Which built-in provider it is, e.g. {@code spindle:messaging}. */
    String ref();

    /** The config it was started with (named configs merged). */
    Map<String, String> config();

    /**
     * Every problem of the provider-side config of a link on interface (e.g. {@code spindle:messaging/publisher}) to or
     * from component peerId; empty when the link can be applied.
     */
    List<String> checkLinkConfig(String iface, String peerId, Map<String, String> linkConfig);

    /** Stops what the provider runs (feeds drain first). */
    @Override
    void close();
}
