package io.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayCommandTest {

    @TempDir
    Path tmp;

    private static String log() {
        return Cli.shared().resolve("data/okuma_mtconnect_shdr.txt").toString();
    }

    @Test
    void badArgumentsAreUsageErrors() {
        String[][] cases = {
                {"replay"},
                {"replay", "shdr"},
                {"replay", "shdr", log(), "--speed", "fast"},
                {"replay", "shdr", log(), "--speed", "10"},
                {"replay", "shdr", log(), "--speed", "0x"},
                {"replay", "shdr", log(), "--speed", "-2x"},
                {"replay", "shdr", log(), "--port", "70000"},
                {"replay", "shdr", log(), "--port", "http"},
                {"replay", "shdr", log(), "--max-gap", "soon"},
                {"replay", "shdr", log(), "--duration", "0s"},
                {"replay", "shdr", log(), "--bind", "no.such.host.invalid"},
                {"replay", "shdr", log(), "extra"},
        };
        for (String[] args : cases) {
            Cli.Result r = Cli.run(args);
            assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", args)).startsWith("spindle: replay").contains("Try 'spindle replay");
        }
        assertThat(Cli.run("replay", "shdr", log(), "--speed", "fast").err())
                .contains("'fast' is not a speed (e.g. 1x, 10x, 0.5x or max)");
        assertThat(Cli.run("replay").err()).contains("missing protocol (one of: shdr)");
    }

    @Test
    void aMissingFileOrATakenPortIsAFailure() throws IOException {
        Cli.Result missing = Cli.run("replay", "shdr", tmp.resolve("none.shdr").toString(), "--port", "0");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("spindle: " + tmp.resolve("none.shdr") + ": no such file\n");
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Cli.Result r = Cli.run("replay", "shdr", log(), "--port", "" + taken.getLocalPort());
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).startsWith("spindle: replay shdr: cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void servesTheLogUntilTheDurationEnds() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        CompletableFuture<Cli.Result> run = CompletableFuture.supplyAsync(() -> Cli.run("replay", "shdr", log(),
                "--port", "" + port, "--speed", "max", "--duration", "3s", "--status-every", "1s"));
        List<String> lines = new ArrayList<>();
        try (Socket s = connect(port)) {
            s.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            for (int i = 0; i < 10_770; i++) lines.add(in.readLine());
            s.getOutputStream().write("* PING\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(in.readLine()).isEqualTo("* PONG 10000");
        }
        assertThat(lines).isEqualTo(Files.readAllLines(Path.of(log()), StandardCharsets.UTF_8));
        Cli.Result r = run.get(20, TimeUnit.SECONDS);
        assertThat(r.exit()).isZero();
        assertThat(r.err()).contains("spindle: replay shdr: serving " + log() + " (10770 lines) on 127.0.0.1:" + port
                + " at max speed, pauses over 10s shortened; Ctrl-C stops");
        assertThat(r.err()).contains("lines sent,");
        assertThat(r.out()).startsWith("10770 lines sent, 0 clients connected (1 so far), 1 PINGs answered");
    }

    /** The command starts in another thread: retry until it listens. */
    private static Socket connect(int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
                return s;
            } catch (IOException e) {
                s.close();
                if (System.nanoTime() > deadline) throw e;
                Thread.sleep(20);
            }
        }
    }
}
