package io.spindle.wasm;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads components and starts sandboxed instances of them. Deny by default: an instance reaches exactly the host
 * functions of the capabilities it is granted, and a component importing anything else is refused before it runs.
 * Compiled modules are cached by SHA-256 in memory and, with a data directory, on disk. Thread-safe.
 */
public final class ComponentRuntime {
    private final InstanceLimits defaults;
    private final CompiledModules compiled;

    /** A runtime with the given default limits; cacheDir (nullable) keeps compiled modules across JVM starts. */
    public ComponentRuntime(InstanceLimits defaults, Path cacheDir) {
        this.defaults = defaults;
        this.compiled = new CompiledModules(cacheDir);
    }

    /** Default limits, no disk cache. */
    public ComponentRuntime() {
        this(InstanceLimits.DEFAULTS, null);
    }

    /** The default limits of new instances. */
    public InstanceLimits defaults() {
        return defaults;
    }

    /** Parses, validates and checks bytes against their world; nothing runs. */
    public Component load(String name, byte[] bytes) {
        return ComponentLoader.load(name, bytes, defaults);
    }

    /** Reads and loads a module file; the component is named after the file unless name is given. */
    public Component load(Path file) throws IOException {
        long size = Files.size(file);
        String name = file.getFileName().toString().replaceFirst("\\.wasm$", "");
        if (size > defaults.maxModuleBytes())
            throw new ComponentException(name, "load", ComponentException.Kind.MODULE_TOO_LARGE,
                    file + " is " + size + " bytes, over the limit of " + defaults.maxModuleBytes() + " bytes");
        return load(name, Files.readAllBytes(file));
    }

    /** Starts a processor instance with the default limits, compiled. */
    public ProcessorInstance instantiate(Component c, Grants grants) {
        return instantiate(c, grants, defaults, Engine.COMPILED);
    }

    /**
     * Starts a processor instance: checks that every import is granted, compiles (or takes the cached compiled
     * module), and runs the start function and {@code _initialize} under the limits.
     */
    public ProcessorInstance instantiate(Component c, Grants grants, InstanceLimits limits, Engine engine) {
        if (c.world() != World.PROCESSOR)
            throw new ComponentException(c.name(), "instantiate", ComponentException.Kind.WORLD_MISMATCH,
                    "implements " + c.world().id() + ", not " + World.PROCESSOR.id());
        GuestContext context = new GuestContext(c.name());
        ImportValues imports = link(c, grants, context);
        int declaredInitial = Math.max(0, c.shape().initialPages()), declaredMax = c.shape().maxPages();
        if (declaredInitial > limits.maxMemoryPages())
            throw new ComponentException(c.name(), "instantiate", ComponentException.Kind.MEMORY_LIMIT, "needs " + declaredInitial
                    + " pages of memory at start, over the limit of " + limits.maxMemoryPages() + " pages");
        int max = declaredMax < 0 ? limits.maxMemoryPages() : Math.min(declaredMax, limits.maxMemoryPages());
        CompiledModules.Compiled machine = null;
        if (engine == Engine.COMPILED) {
            try {
                machine = compiled.machineFactory(c);
            } catch (RuntimeException | AssertionError | LinkageError | StackOverflowError e) {
                throw new ComponentException(c.name(), "instantiate", ComponentException.Kind.MALFORMED,
                        "could not be compiled: " + ModuleShape.describe(e), e);
            }
        }
        // Same SHA-256, same module: the compiled classes are tied to the parsed module they came from.
        Instance.Builder b = Instance.builder(machine != null ? machine.module() : c.module()).withImportValues(imports)
                .withMemoryLimits(new MemoryLimits(declaredInitial, max)).withMemoryFactory(LimitedMemory::new);
        if (machine != null) b.withMachineFactory(machine.factory());
        ProcessorInstance p = new ProcessorInstance(c, limits, context);
        try {
            p.start(b::build);
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
        return p;
    }

    /** Host functions for every imported interface, refusing any interface that is not granted. */
    private static ImportValues link(Component c, Grants grants, GuestContext context) {
        List<String> missing = new ArrayList<>();
        List<String> needed = new ArrayList<>();
        for (ModuleShape.Function imp : c.imports()) {
            if (grants.get(imp.module()).isEmpty()) missing.add(imp.qualifiedName());
            else if (!needed.contains(imp.module())) needed.add(imp.module());
        }
        if (!missing.isEmpty()) {
            List<String> ifaces = c.imports().stream().map(ModuleShape.Function::module).filter(m -> grants.get(m).isEmpty()).distinct().toList();
            throw new ComponentException(c.name(), "instantiate", ComponentException.Kind.NOT_GRANTED, "imports " + String.join(", ", missing)
                    + ", but no link grants " + String.join(", ", ifaces) + " to it (deny by default; granted: "
                    + (grants.interfaces().isEmpty() ? "nothing" : String.join(", ", grants.interfaces())) + ")");
        }
        ImportValues.Builder b = ImportValues.builder();
        for (String iface : needed) {
            for (HostFunction f : grants.get(iface).orElseThrow().bind(context)) b.addFunction(f);
        }
        return b.build();
    }

    /** Compile-cache counters: hits in memory, hits on disk, compiles. */
    public long[] cacheStats() {
        return new long[] {compiled.memoryHits.get(), compiled.diskHits.get(), compiled.compiles.get()};
    }

    /** Drops the in-memory compiled modules, as a fresh JVM would start (the disk cache stays). */
    public void clearMemoryCache() {
        compiled.clearMemory();
    }
}
