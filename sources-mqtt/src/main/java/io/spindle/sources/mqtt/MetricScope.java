package io.spindle.sources.mqtt;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metrics one birth defined: an NBIRTH (device null) or a DBIRTH. A new birth makes a new scope, so a definition
 * that points at an older scope is recognisably out of date.
 */
final class MetricScope {
    final String prefix;
    final String device;
    final Map<String, MetricDef> byName = new LinkedHashMap<>();

    MetricScope(String prefix, String device) {
        this.prefix = prefix;
        this.device = device;
    }

    /** Where the scope's metrics come from, for messages: {@code G/E} or {@code G/E/D}. */
    String describe(EdgeNodeSession node) {
        return device == null ? node.key : node.key + '/' + device;
    }
}
