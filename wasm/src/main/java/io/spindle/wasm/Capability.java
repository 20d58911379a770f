package io.spindle.wasm;

import com.dylibso.chicory.runtime.HostFunction;
import java.util.List;

/**
 * Host functions implementing one WIT interface for one guest. A guest may import an interface only when a
 * capability for it is granted ({@link Grants}); nothing is reachable otherwise.
 */
public interface Capability {
    /** The interface id, which is also the core import module, e.g. {@code spindle:telemetry/log@0.1.0}. */
    String interfaceId();

    /** The host functions for one guest instance. */
    List<HostFunction> bind(GuestContext guest);
}
