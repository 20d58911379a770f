package io.spindle.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A nats-server of the benchmark's own: JetStream on, a store under the run's temp directory, a free loopback port.
 * The binary is {@code $NATS_SERVER}, {@code /usr/sbin/nats-server} (Debian's package) or the first on PATH (the
 * logic of the lattice tests' NatsServerProcess, whose test-jar is not on the CLI's class path).
 */
final class BenchNats implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;
    private final String version;

    private BenchNats(Process process, int port, Path log, String version) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.version = version;
    }

    /** The nats-server binary, or null when there is none. */
    static String binary() {
        String env = System.getenv("NATS_SERVER");
        if (env != null && !env.isBlank() && Files.isExecutable(Path.of(env))) return env;
        if (Files.isExecutable(Path.of("/usr/sbin/nats-server"))) return "/usr/sbin/nats-server";
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, "nats-server"))) return Path.of(d, "nats-server").toString();
        return null;
    }

    /** Starts a server storing under dir; waits up to 10 s until it accepts clients. */
    static BenchNats start(Path dir) throws BenchException {
        String bin = binary();
        if (bin == null)
            throw new BenchException("nats-server not found (looked at $NATS_SERVER, /usr/sbin/nats-server and PATH): install it, "
                    + "e.g. sudo apt-get install nats-server (scripts/services.sh does), or set NATS_SERVER to the binary");
        String version = version(bin);
        try {
            Path store = Files.createDirectories(dir.resolve("store"));
            Path log = dir.resolve("nats-server.log");
            int port = freePort();
            Process p = new ProcessBuilder(List.of(bin, "-js", "-sd", store.toString(), "-a", "127.0.0.1", "-p", Integer.toString(port),
                    "-n", "spindle-bench-" + port)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            BenchNats n = new BenchNats(p, port, log, version);
            n.awaitUp();
            return n;
        } catch (IOException e) {
            throw new BenchException("cannot start " + bin + ": " + e.getMessage(), e);
        }
    }

    private static String version(String bin) {
        try {
            Process p = new ProcessBuilder(bin, "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor(5, TimeUnit.SECONDS);
            return out.replaceFirst("^nats-server:\\s*", "");
        } catch (IOException e) {
            return "unknown version";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown version";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    private void awaitUp() throws BenchException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            if (!process.isAlive()) throw new BenchException("nats-server exited with " + process.exitValue() + ": " + logTail());
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                s.setSoTimeout(1000);
                InputStream in = s.getInputStream();
                byte[] info = new byte[4];
                if (in.readNBytes(info, 0, 4) == 4 && new String(info, StandardCharsets.US_ASCII).equals("INFO")) return;
            } catch (IOException e) {
                // not yet
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
        throw new BenchException("nats-server did not accept connections on port " + port + " within 10 s: " + logTail());
    }

    String url() {
        return "nats://127.0.0.1:" + port;
    }

    String version() {
        return version;
    }

    String logTail() {
        try {
            List<String> l = Files.readAllLines(log);
            return String.join("\n", l.subList(Math.max(0, l.size() - 10), l.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
