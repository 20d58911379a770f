package io.spindle.sources.mqtt;

import java.util.Locale;

/** How a Sparkplug metric becomes a series name; the metric name (with its folders) always ends the name. */
public enum SeriesNaming {
    /** {@code <group>/<edge node>[/<device>]/<metric>}: unique across the whole Sparkplug namespace (the default). */
    FULL,
    /** {@code <edge node>[/<device>]/<metric>}: for a single group. */
    NODE,
    /** {@code <device>/<metric>} for device metrics, {@code <edge node>/<metric>} for node metrics. */
    DEVICE;

    /** The series prefix (ending in '/') of the metrics of an edge node (device null) or of one of its devices. */
    String prefix(String group, String edgeNode, String device) {
        return switch (this) {
            case FULL -> device == null ? group + '/' + edgeNode + '/' : group + '/' + edgeNode + '/' + device + '/';
            case NODE -> device == null ? edgeNode + '/' : edgeNode + '/' + device + '/';
            case DEVICE -> (device == null ? edgeNode : device) + '/';
        };
    }

    /** The naming called text (case-insensitive): full, node or device. */
    static SeriesNaming parse(String text) {
        for (SeriesNaming n : values()) if (n.name().equals(text.trim().toUpperCase(Locale.ROOT))) return n;
        throw new IllegalArgumentException("must be full, node or device, got '" + text + "'");
    }
}
