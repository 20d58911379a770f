package io.spindle.wasm;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The capabilities granted to one component (by links, in a host). Deny by default: {@link #none()} grants nothing. */
public final class Grants {
    private final Map<String, Capability> byInterface;

    private Grants(Map<String, Capability> byInterface) {
        this.byInterface = byInterface;
    }

    /** Nothing granted. */
    public static Grants none() {
        return new Grants(Map.of());
    }

    /** The given capabilities, one per interface. */
    public static Grants of(Capability... capabilities) {
        Grants g = none();
        for (Capability c : capabilities) g = g.with(c);
        return g;
    }

    /** A copy that also grants c (replacing any capability for the same interface). */
    public Grants with(Capability c) {
        Map<String, Capability> m = new LinkedHashMap<>(byInterface);
        m.put(c.interfaceId(), c);
        return new Grants(Map.copyOf(m));
    }

    /** The capability for an interface id, if granted. */
    public Optional<Capability> get(String interfaceId) {
        return Optional.ofNullable(byInterface.get(interfaceId));
    }

    /** The granted interface ids. */
    public Set<String> interfaces() {
        return byInterface.keySet();
    }

    Collection<Capability> all() {
        return byInterface.values();
    }
}
