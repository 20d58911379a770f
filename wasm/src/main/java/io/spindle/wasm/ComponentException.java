package io.spindle.wasm;

/**
 * A component was refused or stopped. The message names the component, the call (or "load"/"instantiate") and the
 * reason; {@link #kind()} says which rule was broken, for counters and events.
 */
public final class ComponentException extends RuntimeException {
    /** Why a component was refused or stopped. */
    public enum Kind {
        /** Not a valid WebAssembly module (bad bytes, truncated, fails validation). */
        MALFORMED,
        /** Larger than the module size limit. */
        MODULE_TOO_LARGE,
        /** Its imports or exports do not match the world. */
        WORLD_MISMATCH,
        /** It imports a capability that no link grants. */
        NOT_GRANTED,
        /** It tried to use more linear memory than allowed. */
        MEMORY_LIMIT,
        /** A call ran past its deadline and was interrupted. */
        DEADLINE,
        /** A call returned more than the output limit. */
        OUTPUT_LIMIT,
        /** The guest trapped (unreachable, out-of-bounds access, division by zero, ...). */
        TRAP,
        /** The guest recursed deeper than the host's stack allows. */
        STACK_EXHAUSTED,
        /** The guest broke the canonical ABI (pointers or lengths outside memory, inconsistent results). */
        ABI_VIOLATION,
        /** The guest returned an error result (err(message)); the instance stays usable. */
        GUEST_ERROR,
        /** The instance was stopped by an earlier failure and takes no more calls. */
        STOPPED
    }

    private final String component;
    private final String call;
    private final Kind kind;

    /** A failure of component in call (e.g. "process", "load", "instantiate"). */
    public ComponentException(String component, String call, Kind kind, String reason, Throwable cause) {
        super("component '" + component + "' " + call + ": " + reason, cause);
        this.component = component;
        this.call = call;
        this.kind = kind;
    }

    /** A failure without an underlying exception. */
    public ComponentException(String component, String call, Kind kind, String reason) {
        this(component, call, kind, reason, null);
    }

    /** The component's name. */
    public String component() {
        return component;
    }

    /** The call that failed, or "load" / "instantiate". */
    public String call() {
        return call;
    }

    /** Which rule was broken. */
    public Kind kind() {
        return kind;
    }
}
