package io.spindle.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compile cache: memory hits within a runtime, disk hits across runtimes (JVM starts), recovery from damage. */
class CompiledModulesTest {
    @TempDir
    Path dir;

    private static List<Path> cacheFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".classes")).toList();
        }
    }

    private static void startOnce(ComponentRuntime rt, Component c) {
        rt.instantiate(c, Grants.none()).close();
    }

    @Test
    void secondStartHitsMemoryThenDisk() throws IOException {
        Path cache = dir.resolve("wasm-cache");
        byte[] bytes = Guests.adversarial("trap");
        ComponentRuntime first = new ComponentRuntime(InstanceLimits.DEFAULTS, cache);
        Component c = first.load("trap", bytes);
        startOnce(first, c);
        assertThat(first.cacheStats()).containsExactly(0, 0, 1);
        startOnce(first, c);
        assertThat(first.cacheStats()).containsExactly(1, 0, 1);
        List<Path> files = cacheFiles(cache);
        assertThat(files).hasSize(1);
        assertThat(files.get(0).getFileName().toString()).startsWith(c.sha256() + ".chicory-1.6.1.");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache))).isEqualTo("rwx------");

        // A new runtime on the same directory is a new JVM start: no compile.
        ComponentRuntime second = new ComponentRuntime(InstanceLimits.DEFAULTS, cache);
        startOnce(second, second.load("trap", bytes));
        assertThat(second.cacheStats()).containsExactly(0, 1, 0);
    }

    @Test
    void damagedCacheFileIsReplacedByACompile() throws IOException {
        Path cache = dir.resolve("wasm-cache");
        byte[] bytes = Guests.adversarial("trap");
        ComponentRuntime first = new ComponentRuntime(InstanceLimits.DEFAULTS, cache);
        startOnce(first, first.load("trap", bytes));
        Path f = cacheFiles(cache).get(0);
        Files.write(f, new byte[] {1, 2, 3, 4});
        ComponentRuntime second = new ComponentRuntime(InstanceLimits.DEFAULTS, cache);
        Component c = second.load("trap", bytes);
        try (ProcessorInstance p = second.instantiate(c, Grants.none())) {
            assertThat(p.stoppedBy()).isNull();
        }
        assertThat(second.cacheStats()[2]).isEqualTo(1);
    }

    @Test
    void differentModulesGetDifferentEntries() throws IOException {
        Path cache = dir.resolve("c");
        ComponentRuntime rt = new ComponentRuntime(InstanceLimits.DEFAULTS, cache);
        startOnce(rt, rt.load("trap", Guests.adversarial("trap")));
        startOnce(rt, rt.load("bad_pointer", Guests.adversarial("bad_pointer")));
        assertThat(cacheFiles(cache)).hasSize(2);
        assertThat(rt.cacheStats()).containsExactly(0, 0, 2);
    }

    @Test
    void interpreterNeedsNoCompile() {
        ComponentRuntime rt = new ComponentRuntime(InstanceLimits.DEFAULTS, dir.resolve("unused"));
        Component c = rt.load("trap", Guests.adversarial("trap"));
        rt.instantiate(c, Grants.none(), InstanceLimits.DEFAULTS, Engine.INTERPRETED).close();
        assertThat(rt.cacheStats()).containsExactly(0, 0, 0);
        assertThat(Files.exists(dir.resolve("unused"))).isFalse();
    }
}
