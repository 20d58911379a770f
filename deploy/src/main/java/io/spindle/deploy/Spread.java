package io.spindle.deploy;

import java.util.Map;

/**
 * One target of a scaler: hosts whose labels include every requirement.
 *
 * @param name         the spread's name (unique within its scaler)
 * @param requirements host label to required value; empty matches every host
 * @param weight       relative share of a spreadscaler's instances ({@value #DEFAULT_WEIGHT} when not given)
 */
public record Spread(String name, Map<String, String> requirements, int weight) {
    /** The weight of a spread that gives none. */
    public static final int DEFAULT_WEIGHT = 100;

    public Spread {
        requirements = Maps.copy(requirements);
    }

    /** True when a host with these labels matches every requirement. */
    public boolean matches(Map<String, String> hostLabels) {
        for (var r : requirements.entrySet()) if (!r.getValue().equals(hostLabels.get(r.getKey()))) return false;
        return true;
    }
}
