package io.spindle.lattice.transport;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A nats-server with JetStream for tests, on a free loopback port, storing under its own directory; the binary is
 * {@code /usr/sbin/nats-server} (Debian's {@code nats-server}) or {@code $NATS_SERVER}, else the one on PATH.
 * {@link #kill()} stops it like a crash (SIGKILL), {@link #start()} starts it again on the same port and store, so
 * tests can restart it under a connected client. Output goes to {@code server.log} in the store's parent.
 * Other modules use it through the {@code spindle-lattice} test-jar.
 *
 * <pre>
 * try (NatsServerProcess nats = NatsServerProcess.start(tempDir)) {
 *     Transport t = NatsTransport.connect(nats.url(), "test");
 * }
 * </pre>
 */
public final class NatsServerProcess implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final String config;
    private Process process;

    private NatsServerProcess(Path dir, int port, String config) {
        this.dir = dir;
        this.port = port;
        this.config = config;
    }

    /** Starts a server storing under dir (created when missing) on a free port; waits until it accepts clients. */
    public static NatsServerProcess start(Path dir) throws IOException {
        NatsServerProcess s = new NatsServerProcess(dir, freePort(), null);
        s.start();
        return s;
    }

    /**
     * Starts a server from a configuration: {@code listen} (loopback, a free port) and {@code jetstream} (under dir)
     * are written by this class, config adds the rest (e.g. {@code tls {...}}, {@code authorization {...}}).
     */
    public static NatsServerProcess startWithConfig(Path dir, String config) throws IOException {
        NatsServerProcess s = new NatsServerProcess(dir, freePort(), config);
        s.start();
        return s;
    }

    /** The binary to run, or null when there is none (tests then skip with a message). */
    public static String binary() {
        String env = System.getenv("NATS_SERVER");
        if (env != null && Files.isExecutable(Path.of(env))) return env;
        if (Files.isExecutable(Path.of("/usr/sbin/nats-server"))) return "/usr/sbin/nats-server";
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, "nats-server"))) return Path.of(d, "nats-server").toString();
        return null;
    }

    /** True when a nats-server binary is available. */
    public static boolean available() {
        return binary() != null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    /** Starts (again) on the same port and store directory; waits up to 10 s until it accepts connections. */
    public synchronized void start() throws IOException {
        if (process != null && process.isAlive()) throw new IllegalStateException("nats-server already running");
        String bin = binary();
        if (bin == null) throw new IOException("no nats-server binary (install the Debian package nats-server)");
        Path store = dir.resolve("store");
        Files.createDirectories(store);
        List<String> cmd = new ArrayList<>(List.of(bin, "-js", "-sd", store.toString(), "-a", "127.0.0.1", "-p",
                Integer.toString(port), "-n", "spindle-test-" + port));
        if (config != null) {
            Path conf = dir.resolve("server.conf");
            Files.writeString(conf, "server_name: spindle-test-" + port + "\nlisten: 127.0.0.1:" + port + "\njetstream { store_dir: \""
                    + store.toString().replace("\\", "\\\\") + "\" }\n" + config + "\n");
            cmd = new ArrayList<>(List.of(bin, "-c", conf.toString()));
        }
        Path logFile = dir.resolve("server.log");
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        IOException last = null;
        while (System.nanoTime() < end) {
            if (!process.isAlive())
                throw new IOException("nats-server exited with " + process.exitValue() + ": " + tail(logFile));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                s.setSoTimeout(1000);
                InputStream in = s.getInputStream();
                byte[] info = new byte[4];
                if (in.readNBytes(info, 0, 4) == 4 && new String(info, StandardCharsets.US_ASCII).equals("INFO")) return;
            } catch (IOException e) {
                last = e;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for nats-server", e);
            }
        }
        process.destroyForcibly();
        throw new IOException("nats-server did not accept connections on port " + port + " within 10 s: " + last + "; " + tail(logFile));
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** {@code nats://127.0.0.1:<port>}. */
    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    /** {@code tls://127.0.0.1:<port>}. */
    public String tlsUrl() {
        return "tls://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The directory holding the store ({@code store/}) and the log ({@code server.log}). */
    public Path dir() {
        return dir;
    }

    /** Kills the server like a crash (SIGKILL) and waits for it to be gone. */
    public synchronized void kill() {
        stop(true);
    }

    /** Stops the server (SIGTERM, then SIGKILL after 5 s). */
    public synchronized void stop() {
        stop(false);
    }

    private void stop(boolean force) {
        if (process == null) return;
        if (force) process.destroyForcibly();
        else process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** True while the server process runs. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The server log so far (for failure messages). */
    public String log() {
        return tail(dir.resolve("server.log"));
    }

    @Override
    public void close() {
        stop(false);
    }

    /** Waits for up to timeout until the server accepts connections again (after a restart by someone else). */
    public void awaitUp(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("nats-server on port " + port + " is not up");
    }
}
