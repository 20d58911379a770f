package io.spindle.cli;

import io.spindle.deploy.ComponentWorlds;
import io.spindle.wasm.Component;
import io.spindle.wasm.ComponentException;
import io.spindle.wasm.ComponentRuntime;
import io.spindle.wasm.ModuleShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * Component worlds from the module files a manifest names: a relative image is resolved against the manifest's
 * directory, the module is loaded (parsed, validated, checked against its world; nothing runs) and its actual core
 * imports and its world's export become the lookup. Digests ({@code sha256-...}) name modules in the lattice's
 * store, which validation does not reach: unchecked.
 */
final class AppComponentWorlds implements ComponentWorlds {
    private final Path baseDir;
    private final ComponentRuntime runtime;

    /** Looks images up relative to baseDir with runtime's limits. */
    AppComponentWorlds(Path baseDir, ComponentRuntime runtime) {
        this.baseDir = baseDir;
        this.runtime = runtime;
    }

    @Override
    public Lookup lookup(String image) {
        if (image.startsWith("sha256-")) return Lookup.unchecked();
        Path file;
        try {
            file = baseDir.resolve(image.startsWith("file://") ? image.substring("file://".length()) : image).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            return Lookup.failed("not a file path: " + e.getReason());
        }
        try {
            if (Files.isDirectory(file)) return Lookup.failed(file + " is a directory, not a WebAssembly module");
            long size = Files.size(file);
            if (size > runtime.defaults().maxModuleBytes())
                return Lookup.failed(file + " is " + size + " bytes, over the module limit of " + runtime.defaults().maxModuleBytes());
            Component c = runtime.load(ComponentCommand.nameOf(file), Files.readAllBytes(file));
            Set<String> imports = new TreeSet<>();
            for (ModuleShape.Function f : c.imports()) if (!f.module().isEmpty()) imports.add(unversioned(f.module()));
            return Lookup.of(c.world().id(), imports, Set.of(unversioned(c.world().id())));
        } catch (NoSuchFileException e) {
            return Lookup.failed("no such file: " + file);
        } catch (IOException e) {
            return Lookup.failed("cannot read " + file + ": " + FailureHandler.ioReason(e));
        } catch (ComponentException e) {
            return Lookup.failed(file + ": " + e.getMessage());
        }
    }

    private static String unversioned(String id) {
        int at = id.indexOf('@');
        return at < 0 ? id : id.substring(0, at);
    }
}
