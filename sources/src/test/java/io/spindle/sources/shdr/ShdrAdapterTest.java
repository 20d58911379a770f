package io.spindle.sources.shdr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay adapter seen from plain TCP clients on loopback. */
class ShdrAdapterTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long SECOND = 1_000_000_000L;

    /** A client that reads lines with a timeout. */
    static final class Client implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;

        Client(int port) throws IOException {
            this(port, 0);
        }

        Client(int port, int receiveBuffer) throws IOException {
            socket = new Socket();
            if (receiveBuffer > 0) socket.setReceiveBufferSize(receiveBuffer);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            socket.setSoTimeout(20_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        }

        List<String> read(int n) throws IOException {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String line = in.readLine();
                if (line == null) throw new AssertionError("the adapter hung up after " + i + " lines: " + lines);
                lines.add(line);
            }
            return lines;
        }

        void send(String text) throws IOException {
            OutputStream out = socket.getOutputStream();
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static String iso(long nanos) {
        return IsoInstant.format(nanos, new StringBuilder()).toString();
    }

    private static long time(String line) {
        int end = line.indexOf('|');
        int at = line.lastIndexOf('@', end);
        return IsoInstant.parseNanos(line, 0, at < 0 ? end : at);
    }

    private static Path write(Path dir, String... lines) throws IOException {
        Path f = dir.resolve("log.shdr");
        Files.writeString(f, String.join("\n", lines) + "\n");
        return f;
    }

    @Test
    void everyClientGetsTheWholeLogVerbatimAndItsPingsAnswered() throws IOException {
        Path log = ShdrReplayEndToEndTest.okumaLog();
        List<String> file = Files.readAllLines(log, StandardCharsets.UTF_8);
        try (ShdrAdapter adapter = ShdrAdapter.builder(log).port(0).speed(ShdrAdapter.MAX_SPEED).pongMillis(2_500).start();
             Client a = new Client(adapter.port()); Client b = new Client(adapter.port())) {
            assertThat(adapter.port()).isPositive();
            assertThat(adapter.fileLines()).isEqualTo(file.size());
            assertThat(a.read(file.size())).isEqualTo(file);
            assertThat(b.read(file.size())).isEqualTo(file);
            a.send("* PING\n");
            assertThat(a.in.readLine()).isEqualTo("* PONG 2500");
            b.send("  *PING \r\n");
            assertThat(b.in.readLine()).isEqualTo("* PONG 2500");
            Await.until(WAIT, () -> adapter.linesSent() == 2L * file.size(), () -> "both replays counted");
            assertThat(adapter.clients()).isEqualTo(2);
            assertThat(adapter.connections()).isEqualTo(2);
            Await.until(WAIT, () -> adapter.pongs() == 2, () -> "two PINGs answered, counted " + adapter.pongs());
            // After the end of the log the adapter keeps the client, as an adapter with nothing new to say does.
            a.socket.setSoTimeout(300);
            assertThatThrownBy(a.in::readLine).isInstanceOf(java.net.SocketTimeoutException.class);
        }
    }

    @Test
    void timingFollowsTheTimestampsScaledByTheSpeedWithLongPausesShortened(@TempDir Path dir) throws IOException {
        long t0 = Instant.parse("2022-08-08T13:00:00Z").getEpochSecond() * SECOND;
        Path log = write(dir,
                iso(t0) + "|a|0",
                iso(t0 + SECOND / 5) + "|a|1",
                iso(t0 + SECOND / 10) + "|a|out-of-order: at once",
                iso(t0 + 2 * SECOND / 5) + "|a|2",
                iso(t0 + 3600 * SECOND) + "|a|after an hour's pause, capped at 0.2 s",
                iso(t0 - 7200 * SECOND) + "|a|a new session two hours earlier: at once",
                iso(t0 - 7200 * SECOND + SECOND / 5) + "|a|0.2 s into it");
        try (ShdrAdapter adapter = ShdrAdapter.builder(log).port(0).speed(2).maxGap(Duration.ofMillis(200)).start();
             Client c = new Client(adapter.port())) {
            long[] at = new long[7];
            for (int i = 0; i < 7; i++) {
                assertThat(c.in.readLine()).isNotNull();
                at[i] = System.nanoTime();
            }
            // File-clock offsets 0, .2, .2, .4, .6, .6, .8 s at 2x: due at 0, .1, .1, .2, .3, .3, .4 s.
            long total = (at[6] - at[0]) / 1_000_000;
            assertThat(total).as("ms from first to last line").isBetween(350L, 1_500L);
            assertThat((at[1] - at[0]) / 1_000_000).as("0.2 s of file time at 2x").isBetween(60L, 600L);
            assertThat((at[2] - at[1]) / 1_000_000).as("an out-of-order line goes out at once").isLessThan(60L);
            assertThat((at[5] - at[4]) / 1_000_000).as("a new session starts at once").isLessThan(60L);
        }
    }

    @Test
    void loopingShiftsEachPassPastThePreviousOne(@TempDir Path dir) throws IOException {
        long t0 = Instant.parse("2022-08-08T13:00:00.25Z").getEpochSecond() * SECOND + SECOND / 4;
        Path log = write(dir, iso(t0) + "|a|1", iso(t0 + SECOND) + "@1000|a|2", "* adapterVersion: 2.0", iso(t0 + 2 * SECOND) + "|a|3");
        try (ShdrAdapter adapter = ShdrAdapter.builder(log).port(0).speed(ShdrAdapter.MAX_SPEED).loop(true).start();
             Client c = new Client(adapter.port())) {
            List<String> lines = c.read(12);
            assertThat(lines.subList(0, 4)).isEqualTo(Files.readAllLines(log)); // the first pass as the file has it
            long shift = 3 * SECOND; // span 2 s + 1 s
            assertThat(lines.get(4)).isEqualTo(iso(t0 + shift) + "|a|1");
            assertThat(lines.get(5)).isEqualTo(iso(t0 + SECOND + shift) + "@1000|a|2");
            assertThat(lines.get(6)).isEqualTo("* adapterVersion: 2.0");
            assertThat(lines.get(11)).isEqualTo(iso(t0 + 2 * SECOND + 2 * shift) + "|a|3");
            long previous = Long.MIN_VALUE;
            for (String l : lines) {
                if (l.startsWith("*")) continue;
                assertThat(time(l)).isGreaterThan(previous);
                previous = time(l);
            }
        }
    }

    @Test
    void nowRewritesTimestampsFromTheConnectKeepingTheSpacing(@TempDir Path dir) throws IOException {
        long t0 = Instant.parse("2022-08-08T13:00:00Z").getEpochSecond() * SECOND;
        Path log = write(dir,
                iso(t0) + "|a|1",
                iso(t0 + SECOND / 2) + "|a|2",
                iso(t0 + SECOND / 4) + "|a|3 (a quarter second out of order)",
                iso(t0 - 3600 * SECOND) + "|a|4 (new session an hour earlier)",
                "bad|line",
                iso(t0 - 3600 * SECOND + SECOND) + "|a|5");
        Instant before = Instant.now();
        try (ShdrAdapter adapter = ShdrAdapter.builder(log).port(0).speed(ShdrAdapter.MAX_SPEED).now(true).loop(true).start();
             Client c = new Client(adapter.port())) {
            List<String> lines = c.read(12);
            long start = time(lines.get(0));
            long beforeNanos = before.getEpochSecond() * SECOND + before.getNano();
            assertThat(start - beforeNanos).as("starts at the connect").isBetween(0L, 5 * SECOND);
            assertThat(time(lines.get(1)) - start).isEqualTo(SECOND / 2);
            assertThat(time(lines.get(2)) - start).isEqualTo(SECOND / 4);
            assertThat(time(lines.get(3)) - start).as("the new session goes on from the newest time").isEqualTo(SECOND / 2);
            assertThat(lines.get(4)).isEqualTo("bad|line");
            assertThat(time(lines.get(5)) - start).isEqualTo(3 * SECOND / 2);
            assertThat(time(lines.get(6)) - start).as("second pass after a 1 s pause").isEqualTo(5 * SECOND / 2);
            assertThat(lines.get(7)).endsWith("|a|2");
            assertThat(lines.get(0)).endsWith("|a|1");
        }
    }

    @Test
    void multilineAssetBlocksGoOutWhole(@TempDir Path dir) throws IOException {
        long t0 = Instant.parse("2022-08-08T13:00:00Z").getEpochSecond() * SECOND;
        List<String> lines = List.of(
                iso(t0) + "|a|1",
                iso(t0 - 99 * SECOND) + "|@ASSET@|T1|CuttingTool|--multiline--AB",
                "<CuttingTool assetId=\"T1\">",
                iso(t0 + 5 * SECOND) + "|not|data",
                "</CuttingTool>",
                "--multiline--AB",
                iso(t0 + SECOND / 5) + "|a|2");
        Path log = write(dir, lines.toArray(String[]::new));
        try (ShdrAdapter adapter = ShdrAdapter.builder(log).port(0).start(); Client c = new Client(adapter.port())) {
            long start = System.nanoTime();
            assertThat(c.read(7)).isEqualTo(lines);
            // The body's timestamped line is not data: it did not hold the replay for 5 s.
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3_000L);
        }
        ReplayUnits.Unit asset;
        try (ReplayUnits units = new ReplayUnits(log)) {
            units.next();
            asset = units.next();
        }
        assertThat(asset.kind()).isEqualTo(ReplayUnits.Kind.ASSET);
        assertThat(asset.lines()).isEqualTo(lines.subList(1, 6));
    }

    @Test
    void aClientThatDoesNotReadStallsOnlyItsOwnReplay() throws Exception {
        Path log = ShdrReplayEndToEndTest.okumaLog();
        try (ShdrAdapter adapter = ShdrAdapter.builder(log).port(0).speed(ShdrAdapter.MAX_SPEED).loop(true).start();
             Client stuck = new Client(adapter.port(), 4096)) {
            // An endless stream at max speed into a client that reads nothing: the replay must stop when the socket
            // buffers are full, not queue lines in the server.
            long[] last = {-1};
            long[] stableSince = {System.nanoTime()};
            Await.until(WAIT, () -> {
                long now = adapter.linesSent();
                if (now != last[0]) {
                    last[0] = now;
                    stableSince[0] = System.nanoTime();
                }
                return now > 0 && System.nanoTime() - stableSince[0] > 500_000_000L;
            }, () -> "the replay to stall, lines sent " + adapter.linesSent());
            long stalledAt = adapter.linesSent();
            System.out.printf("replay stalled by a client that does not read after %d lines (%d passes)%n",
                    stalledAt, stalledAt / adapter.fileLines());
            // Meanwhile another client is served in full.
            try (Client other = new Client(adapter.port())) {
                assertThat(other.read((int) adapter.fileLines())).hasSize((int) adapter.fileLines());
            }
            assertThat(stuck.read(100_000)).hasSize(100_000); // reading again resumes it
            Await.until(WAIT, () -> adapter.linesSent() > stalledAt + 100_000, () -> "the stuck client's replay to resume");
        }
    }

    @Test
    void closeHangsUpOnClientsAndMaxClientsIsEnforced(@TempDir Path dir) throws Exception {
        Path log = write(dir, "2022-08-08T13:00:00Z|a|1");
        ShdrAdapter adapter = ShdrAdapter.builder(log).port(0).maxClients(1).start();
        try (Client a = new Client(adapter.port()); Client b = new Client(adapter.port())) {
            assertThat(a.read(1)).containsExactly("2022-08-08T13:00:00Z|a|1");
            assertThat(b.in.readLine()).as("the second client is turned away").isNull();
            assertThat(adapter.refused()).isEqualTo(1);
            adapter.close();
            assertThat(a.in.readLine()).isNull();
            assertThat(adapter.clients()).isZero();
        }
        assertThatThrownBy(() -> new Client(adapter.port())).isInstanceOf(IOException.class);
    }

    @Test
    void refusesWhatItCannotServe(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> ShdrAdapter.builder(dir.resolve("none.shdr")).port(0).start())
                .isInstanceOf(IOException.class).hasMessageEndingWith("none.shdr: no such file");
        Path log = write(dir, "2022-08-08T13:00:00Z|a|1");
        try (ShdrAdapter taken = ShdrAdapter.builder(log).port(0).start()) {
            assertThatThrownBy(() -> ShdrAdapter.builder(log).port(taken.port()).start())
                    .isInstanceOf(IOException.class).hasMessageContaining("cannot listen on 127.0.0.1:" + taken.port());
        }
        assertThat(ShdrAdapter.parseSpeed("10x")).isEqualTo(10);
        assertThat(ShdrAdapter.parseSpeed("0.5x")).isEqualTo(0.5);
        assertThat(ShdrAdapter.parseSpeed(" MAX ")).isEqualTo(ShdrAdapter.MAX_SPEED);
        for (String bad : new String[] {"10", "x", "0x", "-1x", "fast", "1e3x", "", "2000000x", "NaNx"})
            assertThatThrownBy(() -> ShdrAdapter.parseSpeed(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "' is not a speed");
    }
}
