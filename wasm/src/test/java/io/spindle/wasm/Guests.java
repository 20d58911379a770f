package io.spindle.wasm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The committed guest modules under components/ (built by components/build.sh, checked by CI). */
final class Guests {
    private Guests() {
    }

    static Path root() {
        String p = System.getProperty("spindle.root");
        Path r = p != null ? Path.of(p) : Path.of("..").toAbsolutePath().normalize();
        if (!Files.isDirectory(r.resolve("components"))) r = Path.of("").toAbsolutePath().getParent();
        return r;
    }

    static Path path(String relative) {
        return root().resolve("components").resolve(relative);
    }

    static byte[] bytes(String relative) {
        try {
            return Files.readAllBytes(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] adversarial(String name) {
        return bytes("adversarial/" + name + ".wasm");
    }
}
