package io.spindle.bench;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * The C port of the reference LTTB ({@code bench/peers/c/lttb.c}), compiled with {@code gcc -O3} on first use into
 * {@code ~/.cache/spindle/bench/} (or {@code $XDG_CACHE_HOME/spindle/bench/}) and rebuilt when the source changes.
 */
final class NativePeer {
    static final String NAME = "native_c_lttb";

    private final Path source;
    private final Consumer<String> progress;

    NativePeer(Path spindleHome, Consumer<String> progress) {
        this.source = spindleHome.resolve("bench/peers/c/lttb.c");
        this.progress = progress;
    }

    /** Why the peer cannot run on this machine (no gcc), or null when it can. */
    static String unavailable() {
        return PeerProcess.which("gcc") == null ? "gcc is not on PATH" : null;
    }

    /** The compiled program, building it when it is missing or older than its source. */
    Path build() throws BenchException {
        if (!Files.isRegularFile(source)) throw new BenchException(NAME + ": peer source " + source + " is missing");
        try {
            byte[] src = Files.readAllBytes(source);
            // Keyed by content so that two checkouts with different sources never share a binary.
            String key = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(src), 0, 6);
            Path dir = cacheDir();
            Files.createDirectories(dir);
            Path exe = dir.resolve("lttb-" + key);
            if (Files.isExecutable(exe)
                    && Files.getLastModifiedTime(exe).compareTo(Files.getLastModifiedTime(source)) >= 0) return exe;
            progress.accept("bench: compiling " + source + " with gcc -O3 into " + exe + " ...");
            Path tmp = Files.createTempFile(dir, "lttb-", ".tmp");
            try {
                PeerProcess.run(List.of("gcc", "-O3", "-std=c11", "-o", tmp.toString(), source.toString(), "-lm"),
                        dir, Duration.ofMinutes(2), "gcc", progress, true);
            } catch (BenchException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            try {
                Files.move(tmp, exe, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, exe, StandardCopyOption.REPLACE_EXISTING);
            }
            return exe;
        } catch (IOException e) {
            throw new BenchException(NAME + ": cannot build " + source + " in " + cacheDir() + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    /** Runs the compiled program on input. */
    PeerProcess.Output run(Path exe, PeerInput input, int threshold, int warmups, int runs) throws BenchException {
        String stdout = PeerProcess.run(List.of(exe.toString(), input.file().toString(), Integer.toString(threshold),
                        Integer.toString(warmups), Integer.toString(runs)),
                exe.getParent(), NodePeers.timeout(input.n(), warmups + runs), NAME, progress, false);
        return PeerProcess.parse(stdout, NAME);
    }

    private static Path cacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("spindle/bench");
    }
}
