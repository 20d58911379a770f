package io.spindle.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The JavaScript LTTB peers under Node: {@code bench/peers/js} of the Spindle checkout, whose pinned npm packages
 * are installed with {@code npm ci} on first use. Each script times itself in-process, excluding reading the file,
 * converting it into the shape its package takes, and Node's start.
 */
final class NodePeers {
    /** Report key and script of each peer, in report order. */
    static final List<String[]> PEERS = List.of(
            new String[]{"js_downsample", "run-downsample.js"},
            new String[]{"js_downsample_lttb", "run-downsample-lttb.js"});

    private final Path dir;
    private final Consumer<String> progress;

    NodePeers(Path spindleHome, Consumer<String> progress) {
        this.dir = spindleHome.resolve("bench/peers/js");
        this.progress = progress;
    }

    /** Why the peers cannot run on this machine (node or npm missing), or null when they can. */
    static String unavailable() {
        if (PeerProcess.which("node") == null) return "node is not on PATH";
        if (PeerProcess.which("npm") == null) return "npm is not on PATH";
        return null;
    }

    /** Installs the pinned packages unless node_modules already matches package-lock.json. */
    void install() throws BenchException {
        Path lock = dir.resolve("package-lock.json");
        if (!Files.isRegularFile(lock) || !Files.isRegularFile(dir.resolve("package.json")))
            throw new BenchException("the JavaScript peers are missing: no package.json/package-lock.json in " + dir);
        Path installed = dir.resolve("node_modules/.package-lock.json");
        if (Files.isRegularFile(installed) && !newer(lock, installed)) return;
        progress.accept("bench: installing the JavaScript peers with npm ci in " + dir + " ...");
        PeerProcess.run(List.of("npm", "ci", "--no-audit", "--no-fund"), dir, Duration.ofMinutes(5), "npm ci",
                progress, true);
    }

    /** Runs one peer script on input. */
    PeerProcess.Output run(String label, String script, PeerInput input, int threshold, int warmups, int runs)
            throws BenchException {
        Path js = dir.resolve(script);
        if (!Files.isRegularFile(js)) throw new BenchException(label + ": peer script " + js + " is missing");
        // [x, y] pair arrays cost ~60-100 bytes per point in V8 and the library copies them once more per call.
        long heapMb = Math.max(2048, (long) input.n() * 400 / (1 << 20));
        String stdout = PeerProcess.run(List.of("node", "--max-old-space-size=" + heapMb, js.toString(),
                        input.file().toString(), Integer.toString(threshold), Integer.toString(warmups),
                        Integer.toString(runs)),
                dir, timeout(input.n(), warmups + runs), label, progress, false);
        return PeerProcess.parse(stdout, label);
    }

    static Duration timeout(int n, int passes) {
        return Duration.ofSeconds(60 + (long) n * passes / 200_000);
    }

    private static boolean newer(Path a, Path b) throws BenchException {
        try {
            FileTime ta = Files.getLastModifiedTime(a);
            return ta.compareTo(Files.getLastModifiedTime(b)) > 0;
        } catch (IOException e) {
            throw new BenchException("cannot read the modification time of " + a + " or " + b + ": " + e.getMessage(), e);
        }
    }
}
