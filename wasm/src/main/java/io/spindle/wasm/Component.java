package io.spindle.wasm;

import com.dylibso.chicory.wasm.WasmModule;
import java.util.List;

/**
 * A module that was parsed, validated and checked against its world, ready to instantiate. Immutable.
 *
 * @param name   the component's name (for messages, logs and metrics)
 * @param world  the world it implements
 * @param shape  what it is made of: identity, imports, exports, custom sections, memory
 * @param module Chicory's parsed module
 */
public record Component(String name, World world, ModuleShape shape, WasmModule module) {
    /** Lowercase hex SHA-256 of the module bytes. */
    public String sha256() {
        return shape.sha256();
    }

    /** Module size in bytes. */
    public long size() {
        return shape.size();
    }

    /** Its core imports. */
    public List<ModuleShape.Function> imports() {
        return shape.imports();
    }

    /** Its core exports. */
    public List<ModuleShape.Function> exports() {
        return shape.exports();
    }
}
