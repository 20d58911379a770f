package io.spindle.sources.mqtt;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Mosquitto on a free loopback port for the tests (its own config file, no persistence), which can be killed
 * and started again on the same port. Without the binary the tests are skipped, or fail when CI=true.
 */
final class MosquittoBroker implements AutoCloseable {
    private final String binary;
    private final Path dir;
    private final int port;
    private Process process;

    private MosquittoBroker(String binary, Path dir, int port) {
        this.binary = binary;
        this.dir = dir;
        this.port = port;
    }

    /** Starts a broker, or skips the calling test (fails it when CI=true) when mosquitto is not installed. */
    static MosquittoBroker start() throws IOException, InterruptedException {
        String bin = binary();
        if (bin == null) {
            String why = "mosquitto is not installed (Debian package mosquitto; looked for /usr/sbin/mosquitto and PATH)";
            if ("true".equals(System.getenv("CI"))) Assertions.fail(why + " and CI=true");
            Assumptions.abort(why + ": skipping the broker tests");
        }
        Path dir = Files.createTempDirectory("spindle-mosquitto");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.writeString(dir.resolve("mosquitto.conf"), "listener " + port + " 127.0.0.1\nallow_anonymous true\n"
            + "persistence false\nlog_dest stderr\nlog_type error\nlog_type warning\nlog_type notice\n");
        MosquittoBroker b = new MosquittoBroker(bin, dir, port);
        b.launch();
        return b;
    }

    private static String binary() {
        if (Files.isExecutable(Path.of("/usr/sbin/mosquitto"))) return "/usr/sbin/mosquitto";
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, "mosquitto"))) return Path.of(d, "mosquitto").toString();
        }
        return null;
    }

    int port() {
        return port;
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Kills the broker at once (SIGKILL): no goodbyes, like a crash or a pulled cable. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Starts the broker again on the same port. */
    void restart() throws IOException, InterruptedException {
        if (process.isAlive()) throw new IllegalStateException("mosquitto still runs");
        launch();
    }

    private void launch() throws IOException, InterruptedException {
        process = new ProcessBuilder(binary, "-c", dir.resolve("mosquitto.conf").toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.log").toFile()))
            .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("mosquitto exited with " + process.exitValue() + ": "
                    + Files.readString(dir.resolve("mosquitto.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                Thread.onSpinWait();
            }
        }
        throw new IOException("mosquitto did not listen on port " + port + " within 10 s");
    }

    @Override
    public void close() throws IOException {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
