package io.spindle.sources.shdr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SHDR source against a hand-driven peer on loopback TCP: the protocol's corners, one at a time. */
class ShdrSourceTest {
    private static final String T0 = "2022-08-08T13:51:34.7167146Z";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static long nanos(String iso) {
        Instant i = Instant.parse(iso);
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    private static ShdrSourceConfig.Builder config(RawPeer peer) {
        return ShdrSourceConfig.builder("127.0.0.1", "mill").port(peer.port())
                .backoffMin(Duration.ofMillis(20)).backoffMax(Duration.ofMillis(200));
    }

    @Test
    void pingsOnConnectAndDeliversSamplesEventsAndUnavailable() throws Exception {
        try (RawPeer peer = new RawPeer(); ShdrSource source = new ShdrSource(config(peer).build())) {
            RecordingSink sink = new RecordingSink();
            source.start(sink);
            RawPeer.Conn c = peer.next(5_000);
            Await.until(WAIT, () -> c.received.contains("* PING"), () -> "a PING on connect, got " + c.received);
            assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                    .contains("shdr-source shdr:mill@127.0.0.1:" + peer.port());
            c.send(T0 + "|load|12.5|mode|AUTOMATIC|other:temp|40\n"
                    + T0 + "|load|UNAVAILABLE|mode|AUTOMATIC\n"
                    + T0 + "|load|13|mode|MANUAL\n"
                    + T0 + "|accel|4|1000|1 2 3 4\n");
            Await.until(WAIT, () -> sink.sampleCount() == 7, () -> "7 samples, got " + sink.samples());
            long t = nanos(T0);
            assertThat(sink.samples().get("mill/load")).containsExactly(new RecordingSink.Sample(t, 12.5), new RecordingSink.Sample(t, 13));
            assertThat(sink.samples().get("other/temp")).containsExactly(new RecordingSink.Sample(t, 40));
            // A time series arrives as one batch, its samples 1 ms apart, the last at the line's time.
            assertThat(sink.batches()).containsExactly(4);
            assertThat(sink.samples().get("mill/accel")).extracting(RecordingSink.Sample::t)
                    .containsExactly(t - 3_000_000, t - 2_000_000, t - 1_000_000, t);
            // UNAVAILABLE is an event of the numeric item, never a NaN sample; repeated AUTOMATIC is dropped.
            assertThat(sink.events()).containsExactly(
                    new RecordingSink.Event("mill/mode", t, "AUTOMATIC"),
                    new RecordingSink.Event("mill/load", t, "UNAVAILABLE"),
                    new RecordingSink.Event("mill/mode", t, "MANUAL"));
            assertThat(sink.samples().values()).allSatisfy(l -> assertThat(l).noneMatch(s -> Double.isNaN(s.v())));
            assertThat(source.counters().samples.get()).isEqualTo(7);
            assertThat(source.counters().events.get()).isEqualTo(3);
            assertThat(source.counters().connected()).isTrue();
            assertThat(source.counters().bytes.get()).isPositive();
        }
    }

    @Test
    void malformedLinesAreRejectedWithTheirTextAndTheStreamGoesOn() throws Exception {
        try (RawPeer peer = new RawPeer(); ShdrSource source = new ShdrSource(config(peer).maxLineBytes(1024).build())) {
            RecordingSink sink = new RecordingSink();
            source.start(sink);
            RawPeer.Conn c = peer.next(5_000);
            c.send("yesterday|a|1\n"
                    + T0 + "|a|1|b\n"
                    + T0 + "|a|" + "9".repeat(2000) + "\n"             // longer than max-line-bytes
                    + T0 + "|a|1e999\n"                                 // beyond a double
                    + "\u00ff\u00fe\n"                                   // not even a timestamp
                    + T0 + "|a|2\r\n");
            Await.until(WAIT, () -> sink.sampleCount() == 1 && sink.rejected().size() == 5,
                    () -> "1 sample and 5 rejections, got " + sink.samples() + " " + sink.rejected());
            List<RecordingSink.Rejected> r = sink.rejected();
            assertThat(r).extracting(RecordingSink.Rejected::source).containsOnly(source.name());
            assertThat(r.get(0)).isEqualTo(new RecordingSink.Rejected(source.name(), "yesterday|a|1", "bad timestamp 'yesterday'"));
            assertThat(r.get(1).input()).isEqualTo(T0 + "|a|1|b");
            assertThat(r.get(1).reason()).isEqualTo("data item 'b' has no value (odd number of fields)");
            assertThat(r.get(2).reason()).contains("longer than 1024");
            assertThat(r.get(2).input()).startsWith(T0 + "|a|999").endsWith("...");
            assertThat(r.get(3).reason()).contains("'1e999'", "beyond the range of a double");
            assertThat(r.get(4).input()).isEqualTo("\u00ff\u00fe");
            assertThat(sink.samples().get("mill/a")).containsExactly(new RecordingSink.Sample(nanos(T0), 2));
            assertThat(source.counters().rejected.get()).isEqualTo(5);
            assertThat(source.counters().lastError()).isEqualTo(r.get(4).reason());
            assertThat(source.counters().connected()).isTrue();
            assertThat(source.counters().reconnects.get()).isZero();
        }
    }

    @Test
    void pongSetsTheHeartbeatAndABadPongIsRejected() throws Exception {
        try (RawPeer peer = new RawPeer(); ShdrSource source = new ShdrSource(config(peer).heartbeat(Duration.ofSeconds(30)).build())) {
            RecordingSink sink = new RecordingSink();
            source.start(sink);
            RawPeer.Conn c = peer.next(5_000);
            Await.until(WAIT, () -> c.received.size() == 1, () -> "the first PING");
            c.send("* PONG 100\n");
            Await.until(WAIT, () -> source.heartbeat().equals(Duration.ofMillis(100)), () -> "heartbeat from the PONG");
            // From now on the source pings every 100 ms; answering keeps the connection up.
            for (int answered = 0; answered < 5; answered++) {
                int seen = c.received.size();
                Await.until(WAIT, () -> c.received.size() > seen, () -> "another PING");
                c.send("* PONG 100\n");
            }
            assertThat(c.received).containsOnly("* PING");
            assertThat(source.counters().reconnects.get()).isZero();
            assertThat(c.ended()).isFalse();
            c.send("* PONG soon\n");
            Await.until(WAIT, () -> sink.rejected().size() == 1, () -> "the bad PONG rejected");
            assertThat(sink.rejected().get(0).reason()).contains("PONG interval 'soon'");
            assertThat(source.heartbeat()).isEqualTo(Duration.ofMillis(100));
            assertThat(source.pongs()).isEqualTo(6);
        }
    }

    @Test
    void aSilentPeerIsDeadAfterTwiceTheHeartbeatAndTheSourceReconnects() throws Exception {
        try (RawPeer peer = new RawPeer(); ShdrSource source = new ShdrSource(config(peer).heartbeat(Duration.ofMillis(300)).build())) {
            source.start(new RecordingSink());
            RawPeer.Conn first = peer.next(5_000);
            Await.until(WAIT, first::ended, () -> "the source to give up on the silent peer");
            long deadAfterMillis = (first.endedNanos - first.acceptedNanos) / 1_000_000;
            assertThat(deadAfterMillis).as("ms until the silent connection was dropped").isBetween(550L, 1_500L);
            assertThat(first.received).as("pinged at the configured heartbeat meanwhile").hasSizeGreaterThanOrEqualTo(2)
                    .containsOnly("* PING");
            RawPeer.Conn second = peer.next(5_000);
            Await.until(WAIT, () -> source.counters().reconnects.get() == 1, () -> "one reconnect");
            assertThat(source.counters().lastError()).contains("is dead", "no data and no PONG", "heartbeat 300ms");
            assertThat(second.ended()).isFalse();
        }
    }

    @Test
    void dataAloneKeepsAConnectionAlive() throws Exception {
        try (RawPeer peer = new RawPeer(); ShdrSource source = new ShdrSource(config(peer).heartbeat(Duration.ofMillis(100)).build())) {
            RecordingSink sink = new RecordingSink();
            source.start(sink);
            RawPeer.Conn c = peer.next(5_000);
            for (int i = 0; i < 15; i++) { // 750 ms of data every 50 ms, no PONG: well past 2 x 100 ms
                c.send(T0 + "|a|" + i + "\n");
                Thread.sleep(50);
            }
            assertThat(c.ended()).isFalse();
            assertThat(source.counters().reconnects.get()).isZero();
            Await.until(WAIT, () -> sink.sampleCount() == 15, () -> "15 samples");
        }
    }

    @Test
    void aLineCutByTheConnectionIsRejectedAndChangeOnlyStateSurvivesTheReconnect() throws Exception {
        try (RawPeer peer = new RawPeer(); ShdrSource source = new ShdrSource(config(peer).build())) {
            RecordingSink sink = new RecordingSink();
            source.start(sink);
            RawPeer.Conn c = peer.next(5_000);
            c.send(T0 + "|mode|AUTOMATIC|cond|FAULT|E1|1|HIGH|Overtravel|a|1\n" + T0 + "|a|2|mo");
            Await.until(WAIT, () -> sink.sampleCount() == 1, () -> "the first sample");
            c.socket.close();
            Await.until(WAIT, () -> sink.rejected().size() == 1, () -> "the cut line rejected");
            assertThat(sink.rejected().get(0).input()).isEqualTo(T0 + "|a|2|mo");
            assertThat(sink.rejected().get(0).reason()).contains("connection ended");
            RawPeer.Conn again = peer.next(5_000);
            // As adapters do on reconnect: the current values again (unchanged: not delivered), then a change.
            again.send(T0 + "|mode|AUTOMATIC|cond|FAULT|E1|1|HIGH|Overtravel|a|1\n" + T0 + "|mode|MANUAL|cond|NORMAL||||\n");
            Await.until(WAIT, () -> sink.eventValues("mill/mode").size() == 2, () -> "the changed mode");
            assertThat(sink.eventValues("mill/mode")).containsExactly("AUTOMATIC", "MANUAL");
            assertThat(sink.eventValues("mill/cond")).containsExactly("FAULT|E1|1|HIGH|Overtravel", "NORMAL");
            assertThat(sink.samples().get("mill/a")).hasSize(2); // a sample is a measurement: delivered again
            assertThat(source.counters().reconnects.get()).isEqualTo(1);
        }
    }

    @Test
    void keepsTryingARefusedPortAndCloseStopsEverything() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ShdrSource source = new ShdrSource(ShdrSourceConfig.builder("127.0.0.1", "mill").port(port)
                .backoffMin(Duration.ofMillis(10)).backoffMax(Duration.ofMillis(50)).build());
        RecordingSink sink = new RecordingSink();
        source.start(sink);
        Await.until(WAIT, () -> source.counters().lastError() != null, () -> "a failed connect");
        assertThat(source.counters().lastError()).startsWith("connect to 127.0.0.1:" + port + ": ");
        assertThat(source.counters().connected()).isFalse();
        source.close();
        source.close(); // idempotent
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName).doesNotContain("shdr-source " + source.name());
        assertThatThrownBy(() -> source.start(sink)).isInstanceOf(IllegalStateException.class);
    }
}
