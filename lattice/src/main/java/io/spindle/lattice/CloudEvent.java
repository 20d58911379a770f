package io.spindle.lattice;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A CloudEvents 1.0 envelope (structured JSON mode) as published on {@code spindle.evt.<lattice>.<event>}: type is
 * {@code com.spindle.lattice.<event>}, source the host id, data the event's payload.
 */
public record CloudEvent(String specversion, String id, String source, String type, String time,
                         String datacontenttype, JsonNode data) {
    /** Type prefix of Spindle's events. */
    public static final String TYPE_PREFIX = "com.spindle.lattice.";

    /** The short event name, e.g. {@code host_heartbeat}. */
    public String event() {
        return type.startsWith(TYPE_PREFIX) ? type.substring(TYPE_PREFIX.length()) : type;
    }
}
