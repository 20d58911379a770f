package io.spindle.wasm;

/** How an instance executes: Chicory's compiler to JVM bytecode (the default) or its interpreter (the fallback). */
public enum Engine {
    /** Compiled to JVM bytecode at load, cached by the module's SHA-256. */
    COMPILED,
    /** Interpreted: no compile time, much slower calls. */
    INTERPRETED
}
