package io.spindle.wasm;

import com.dylibso.chicory.runtime.Instance;

/** What a capability's host functions know of the guest calling them: its name, the current call, its memory. */
public final class GuestContext {
    private final String component;
    private volatile String call = "instantiate";
    private GuestMemory memory;

    GuestContext(String component) {
        this.component = component;
    }

    /** The component's name. */
    public String component() {
        return component;
    }

    /** The export being called ("instantiate" during start-up). */
    public String call() {
        return call;
    }

    void call(String name) {
        this.call = name;
    }

    /** The guest's memory; host functions receive the instance, which may still be starting. */
    GuestMemory memory(Instance instance) {
        GuestMemory m = memory;
        if (m == null || m.instance() != instance) memory = m = new GuestMemory(instance);
        return m;
    }
}
