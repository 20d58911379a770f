package io.spindle.cli;

import java.nio.file.Path;

/** Where compiled components are cached across runs: {@code $XDG_CACHE_HOME/spindle/components} or ~/.cache/... */
final class ComponentCache {
    private ComponentCache() {
    }

    /** The cache directory (created by the runtime on first use, owner-only), or null without a home directory. */
    static Path dir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "spindle", "components");
        String home = System.getProperty("user.home");
        return home == null || home.isBlank() ? null : Path.of(home, ".cache", "spindle", "components");
    }
}
