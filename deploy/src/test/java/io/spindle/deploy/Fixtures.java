package io.spindle.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** The examples and a fixed table of component worlds (the lookup the CLI does with the wasm module). */
final class Fixtures {
    private Fixtures() {
    }

    static final String LTTB = "../components/lttb/lttb.wasm";
    static final String PROCESSOR_WORLD = "spindle:telemetry/processor@0.1.0";

    /** lttb.wasm imports config only; publisher.wasm also imports the publisher; other.wasm exports no processor. */
    static final ComponentWorlds TABLE = image -> Map.of(
            LTTB, ComponentWorlds.Lookup.of(PROCESSOR_WORLD, Set.of("spindle:telemetry/config"), Set.of(Linkables.PROCESSOR)),
            "publisher.wasm", ComponentWorlds.Lookup.of(PROCESSOR_WORLD,
                    Set.of("spindle:telemetry/log", "spindle:messaging/publisher"), Set.of(Linkables.PROCESSOR)),
            "other.wasm", ComponentWorlds.Lookup.of("example:other/world@1.0.0", Set.of(), Set.of()))
            .getOrDefault(image, ComponentWorlds.Lookup.failed("no such file: " + image));

    static Path root() {
        String dir = System.getProperty("spindle.root");
        if (dir == null) throw new IllegalStateException("system property spindle.root is not set (surefire sets it)");
        return Path.of(dir);
    }

    static String example(String name) {
        try {
            return Manifests.read(root().resolve("examples").resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Validation validate(String text) {
        return Manifests.validate(text, TABLE);
    }
}
