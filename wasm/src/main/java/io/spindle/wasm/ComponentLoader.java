package io.spindle.wasm;

import com.dylibso.chicory.wasm.WasmModule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import com.dylibso.chicory.wasm.types.FunctionType;

/** Parses, validates and checks a module against its world; every problem found is listed in one error. */
final class ComponentLoader {
    private ComponentLoader() {
    }

    static Component load(String name, byte[] bytes, InstanceLimits limits) {
        if (bytes.length > limits.maxModuleBytes())
            throw new ComponentException(name, "load", ComponentException.Kind.MODULE_TOO_LARGE,
                    "module is " + bytes.length + " bytes, over the limit of " + limits.maxModuleBytes() + " bytes");
        WasmModule module = ModuleShape.parse(name, bytes);
        ModuleShape shape = ModuleShape.of(bytes, module);
        String declared = shape.declaredWorld();
        List<String> problems = new ArrayList<>();
        Map<String, String> exportTypes = new java.util.HashMap<>();
        boolean memoryExported = false;
        for (ModuleShape.Function e : shape.exports()) {
            if (e.kind().equals("func")) exportTypes.put(e.name(), e.signature());
            if (e.kind().equals("memory") && e.name().equals("memory")) memoryExported = true;
        }
        World world = null;
        if (declared != null) {
            for (World w : World.known()) if (w.id().equals(declared)) world = w;
            if (world == null)
                throw new ComponentException(name, "load", ComponentException.Kind.WORLD_MISMATCH, "declares world '" + declared
                        + "', which this host does not implement (it knows " + World.known().stream().map(World::id).toList() + ")");
        } else {
            for (World w : World.known()) if (exportTypes.keySet().containsAll(w.requiredExports().keySet())) world = w;
            if (world == null)
                throw new ComponentException(name, "load", ComponentException.Kind.WORLD_MISMATCH, "has no spindle:world section and its exports "
                        + new TreeSet<>(exportTypes.keySet()) + " match no known world " + World.known().stream().map(World::id).toList());
        }
        if (!memoryExported) problems.add("exports no memory named 'memory'");
        for (var req : new java.util.TreeMap<>(world.requiredExports()).entrySet()) {
            String t = exportTypes.get(req.getKey()), want = ModuleShape.signature(req.getValue());
            if (t == null) problems.add("does not export '" + req.getKey() + "' " + want);
            else if (!t.equals(want)) problems.add("exports '" + req.getKey() + "' as " + t + ", the world needs " + want);
        }
        for (var opt : world.optionalExports().entrySet()) {
            String t = exportTypes.get(opt.getKey()), want = ModuleShape.signature(opt.getValue());
            if (t != null && !t.equals(want)) problems.add("exports '" + opt.getKey() + "' as " + t + ", the world needs " + want);
        }
        for (ModuleShape.Function imp : shape.imports()) {
            Map<String, FunctionType> iface = world.imports().get(imp.module());
            if (!imp.kind().equals("func")) {
                problems.add("imports " + imp.kind() + " " + imp.qualifiedName() + "; the world imports functions only");
            } else if (iface == null) {
                problems.add("imports " + imp.qualifiedName() + " from interface '" + imp.module() + "', which world "
                        + world.id() + " does not offer (it offers " + new TreeSet<>(world.imports().keySet()) + ")");
            } else if (!iface.containsKey(imp.name())) {
                problems.add("imports " + imp.qualifiedName() + ", which interface " + imp.module() + " does not have (it has "
                        + new TreeSet<>(iface.keySet()) + ")");
            } else if (!ModuleShape.signature(iface.get(imp.name())).equals(imp.signature())) {
                problems.add("imports " + imp.qualifiedName() + " as " + imp.signature() + ", the interface defines "
                        + ModuleShape.signature(iface.get(imp.name())));
            }
        }
        if (!problems.isEmpty())
            throw new ComponentException(name, "load", ComponentException.Kind.WORLD_MISMATCH,
                    "does not match world " + world.id() + ": " + String.join("; ", problems));
        return new Component(name, world, shape, module);
    }
}
