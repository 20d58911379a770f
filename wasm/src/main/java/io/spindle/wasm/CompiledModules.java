package io.spindle.wasm;

import com.dylibso.chicory.compiler.Cache;
import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import com.dylibso.chicory.wasm.WasmModule;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Compiled modules keyed by the module's SHA-256: in memory (the loaded JVM classes, so a second instance costs no
 * compile and no class loading) and on disk under the data directory (Chicory's class bytes, so a second start of the
 * JVM skips the compile). A corrupt or unreadable cache file is deleted and the module compiled again.
 */
final class CompiledModules {
    /** Chicory's version: a compiled module is only valid for the compiler that made it. */
    static final String COMPILER = "chicory-1.6.1";

    private final Path dir;
    /** Most compiled modules kept loaded; the least recently used is dropped (its disk entry stays). */
    static final int MAX_LOADED = 64;
    /** A compiled module: the parsed module it was compiled from (Chicory ties the classes to it) and the factory. */
    record Compiled(WasmModule module, Function<Instance, Machine> factory) {
    }

    private final Map<String, Compiled> loaded = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Compiled> eldest) {
            return size() > MAX_LOADED;
        }
    };
    final AtomicLong memoryHits = new AtomicLong(), diskHits = new AtomicLong(), compiles = new AtomicLong();

    /** dir may be null: memory only. */
    CompiledModules(Path dir) {
        this.dir = dir;
    }

    /** The compiled module for c, compiled (or read from disk) on first use; instantiate with its module(). */
    synchronized Compiled machineFactory(Component c) {
        Compiled f = loaded.get(c.sha256());
        if (f != null) {
            memoryHits.incrementAndGet();
            return f;
        }
        f = new Compiled(c.module(), compile(c));
        loaded.put(c.sha256(), f);
        return f;
    }

    /** Forgets the in-memory compiled modules (the disk cache stays): the next instance starts as in a fresh JVM. */
    synchronized void clearMemory() {
        loaded.clear();
    }

    private Function<Instance, Machine> compile(Component c) {
        var builder = MachineFactoryCompiler.builder(c.module()).withInterpreterFallback(InterpreterFallback.SILENT);
        DiskCache disk = dir == null ? null : new DiskCache(dir, c.sha256());
        if (disk != null) builder.withCache(disk);
        try {
            Function<Instance, Machine> f = builder.compile();
            if (disk != null && disk.hit) diskHits.incrementAndGet();
            else compiles.incrementAndGet();
            return f;
        } catch (RuntimeException e) {
            if (disk == null || !disk.hit) throw e;
            disk.delete(); // a damaged cache entry: compile from the module instead
            compiles.incrementAndGet();
            return MachineFactoryCompiler.builder(c.module()).withInterpreterFallback(InterpreterFallback.SILENT).compile();
        }
    }

    /** Chicory's cache hook, pinned to one module: files {@code <sha256>.<compiler>.<key hash>.classes}. */
    private static final class DiskCache implements Cache {
        private final Path dir;
        private final String sha;
        private Path file;
        boolean hit;

        DiskCache(Path dir, String sha) {
            this.dir = dir;
            this.sha = sha;
        }

        private Path file(String key) {
            return dir.resolve(sha + "." + COMPILER + "." + ModuleShape.sha256(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 16) + ".classes");
        }

        @Override
        public byte[] get(String key) {
            file = file(key);
            try {
                byte[] b = Files.readAllBytes(file);
                hit = true;
                return b;
            } catch (IOException e) {
                return null;
            }
        }

        @Override
        public void putIfAbsent(String key, byte[] data) throws IOException {
            Path f = file(key);
            if (Files.exists(f)) return;
            ensureDir(dir);
            Path tmp = Files.createTempFile(dir, sha, ".tmp");
            try {
                Files.write(tmp, data);
                try {
                    Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        }

        void delete() {
            try {
                if (file != null) Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the next start tries again
            }
        }
    }

    /** The cache holds JVM bytecode that will be loaded: only its owner may write it. */
    static void ensureDir(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return;
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(dir);
        }
    }
}
