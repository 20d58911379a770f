package io.spindle.sources.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.eclipse.tahu.message.model.MetricDataType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The source against a real Mosquitto on loopback, fed by a Sparkplug B edge node made with Eclipse Tahu: births and
 * aliases, rebirth on a sequence gap, deaths, bad input, a broker restart.
 */
class MqttSourceSparkplugTest {
    private static final String DEV = "press1";
    private static final String P = "G1/edge1/" + DEV + "/";

    private MosquittoBroker broker;
    private MqttSource source;
    private EdgeNode node;
    private final RecordingSink sink = new RecordingSink();
    private String clientId;

    @BeforeEach
    void start() throws Exception {
        broker = MosquittoBroker.start();
        clientId = "spindle-test-" + System.nanoTime();
        source = new MqttSource(MqttConfig.builder().broker(broker.url()).clientId(clientId).groups("G1")
            .rebirthInterval(Duration.ofMillis(300))
            .reconnectInitial(Duration.ofMillis(1500)).reconnectMax(Duration.ofSeconds(3)).build());
        source.start(sink);
        RecordingSink.awaitTrue(() -> source.counters().connected(), "the source to subscribe");
        node = newNode(7);
    }

    private EdgeNode newNode(long bdSeq) {
        return new EdgeNode(broker.port(), "G1", "edge1", bdSeq)
            .nodeMetric("Uptime", 1, MetricDataType.Int64, 100L)
            .deviceMetric(DEV, "Temperature", 10, MetricDataType.Double, 20.5)
            .deviceMetric(DEV, "Motor/Speed", 11, MetricDataType.Float, 0f)
            .deviceMetric(DEV, "Count", 12, MetricDataType.UInt32, 4_000_000_000L)
            .deviceMetric(DEV, "Running", 13, MetricDataType.Boolean, false)
            .deviceMetric(DEV, "Mode", 14, MetricDataType.String, "IDLE");
    }

    /** Waits for the first births' last value (the DBIRTH's Mode), so that all of them are in. */
    private void awaitFirstBirth() {
        RecordingSink.await(() -> sink.events().stream().filter(e -> e.series().equals(P + "Mode")).findFirst()
            .orElse(null), "the DBIRTH's last metric");
    }

    @AfterEach
    void stop() throws Exception {
        if (node != null) assertThat(node.malformedCommands()).as("NCMDs that are not rebirth requests").isEmpty();
        if (source != null) source.close();
        if (node != null) node.close();
        if (broker != null) broker.close();
    }

    @Test
    void birthsAndDataByAliasArriveAsSamplesAndEventsWithTheirTimes() throws Exception {
        node.connectAndBirth();
        awaitFirstBirth();
        assertThat(sink.samples(P + "Count")).singleElement().extracting(RecordingSink.Sample::v).isEqualTo(4e9);
        assertThat(sink.samples("G1/edge1/Uptime")).singleElement().extracting(RecordingSink.Sample::v)
            .isEqualTo(100d);

        long t = System.currentTimeMillis() - 10_000;
        node.data(DEV, 10, MetricDataType.Double, 21.25, t);
        node.data(DEV, 11, MetricDataType.Float, 1450.5f, t + 1);
        node.data(DEV, 13, MetricDataType.Boolean, true, t + 2);
        node.data(DEV, 14, MetricDataType.String, "IDLE", t + 3);
        node.data(DEV, 14, MetricDataType.String, "RUN", t + 4);
        node.data(null, 1, MetricDataType.Int64, 101L, t + 5);
        sink.awaitSample(s -> s.series().equals("G1/edge1/Uptime") && s.v() == 101, "the NDATA sample");

        assertThat(sink.samples(P + "Temperature")).last().isEqualTo(
            new RecordingSink.Sample(P + "Temperature", t * 1_000_000L, 21.25));
        assertThat(sink.samples(P + "Motor/Speed")).last().isEqualTo(
            new RecordingSink.Sample(P + "Motor/Speed", (t + 1) * 1_000_000L, 1450.5));
        assertThat(sink.samples(P + "Running")).extracting(RecordingSink.Sample::v).containsExactly(0d, 1d);
        assertThat(sink.events()).extracting(RecordingSink.Event::text).containsExactly("IDLE", "RUN");
        assertThat(sink.events().get(1).t()).isEqualTo((t + 4) * 1_000_000L);
        assertThat(sink.rejected()).isEmpty();
        assertThat(source.counters().samples.get()).isEqualTo(sink.samples().size());
        assertThat(source.counters().bytes.get()).isPositive();
        assertThat(source.sparkplugCounters().births.get()).isEqualTo(2);
        assertThat(sink.threads()).as("one named worker calls the sink").extracting(Thread::getName)
            .containsExactly("spindle-mqtt-" + clientId);
    }

    @Test
    void aSkippedSeqBringsARebirthRequestAndDataResumesAfterTheBirth() throws Exception {
        node.connectAndBirth();
        awaitFirstBirth();
        node.skipSeq();
        node.data(DEV, 10, MetricDataType.Double, 30.0, System.currentTimeMillis());
        RecordingSink.awaitTrue(() -> !node.rebirthRequests().isEmpty(), "an NCMD Node Control/Rebirth");
        sink.awaitSample(s -> s.series().equals("G1/edge1/Uptime") && sink.samples("G1/edge1/Uptime").size() == 2,
            "the NBIRTH that answered");
        node.data(DEV, 10, MetricDataType.Double, 31.0, System.currentTimeMillis());
        sink.awaitSample(s -> s.v() == 31.0, "data after the rebirth");

        assertThat(sink.samples(P + "Temperature")).extracting(RecordingSink.Sample::v).doesNotContain(30.0);
        assertThat(sink.rejected()).first().satisfies(r -> {
            assertThat(r.source()).isEqualTo(source.name());
            assertThat(r.input()).isEqualTo("spBv1.0/G1/DDATA/edge1/" + DEV);
            assertThat(r.reason()).contains("sequence gap on edge node G1/edge1", "rebirth requested");
        });
        assertThat(source.sparkplugCounters().sequenceGaps.get()).isEqualTo(1);
        assertThat(node.malformedCommands()).isEmpty();
        assertThat(source.sparkplugCounters().rebirthRequests.get()).isEqualTo(node.rebirthRequests().size());
        assertThat(source.counters().rejected.get()).isEqualTo(sink.rejected().size());
    }

    @Test
    void deathsMarkSeriesStaleAndADeathWithAnOldBdSeqIsIgnored() throws Exception {
        node.connectAndBirth();
        awaitFirstBirth();
        node.deviceDeath(DEV);
        sink.awaitStale(P + "Mode"); // the DBIRTH's last metric
        assertThat(sink.stale()).extracting(RecordingSink.Stale::series).containsExactlyInAnyOrder(
            P + "Temperature", P + "Motor/Speed", P + "Count", P + "Running", P + "Mode");

        node.nodeDeath(6); // the will of an earlier session
        node.data(null, 1, MetricDataType.Int64, 150L, System.currentTimeMillis());
        sink.awaitSample(s -> s.v() == 150, "NDATA after the ignored death");
        assertThat(source.sparkplugCounters().deathsIgnored.get()).isEqualTo(1);
        assertThat(sink.stale()).hasSize(5);

        node.nodeDeath(7);
        sink.awaitStale("G1/edge1/Uptime");
        assertThat(source.sparkplugCounters().deaths.get()).isEqualTo(2);
        assertThat(sink.rejected()).isEmpty();
    }

    @Test
    void malformedPayloadsUnknownAliasesAndNaNAreCountedAndTheStreamGoesOn() throws Exception {
        node.connectAndBirth();
        awaitFirstBirth();
        node.publishRaw(node.topic("DDATA", DEV), "not protobuf at all".getBytes());
        node.data(DEV, 10, MetricDataType.Double, Double.NaN, System.currentTimeMillis());
        node.data(DEV, 999, MetricDataType.Double, 1.0, System.currentTimeMillis());
        RecordingSink.awaitTrue(() -> !node.rebirthRequests().isEmpty(), "a rebirth request for the unknown alias");
        RecordingSink.awaitTrue(() -> sink.samples(P + "Temperature").size() == 2, "the answering DBIRTH");
        node.data(DEV, 10, MetricDataType.Double, 23.0, System.currentTimeMillis());
        sink.awaitSample(s -> s.v() == 23.0, "data after the rebirth");

        assertThat(sink.rejected()).extracting(RecordingSink.Rejected::reason).satisfiesExactly(
            r -> assertThat(r).startsWith("malformed Sparkplug B payload (19 bytes)"),
            r -> assertThat(r).contains("'Temperature'", "NaN"),
            r -> assertThat(r).contains("unknown alias 999"));
        assertThat(source.counters().rejected.get()).isEqualTo(3);
        assertThat(source.counters().lastError()).contains("unknown alias 999");
    }

    @Test
    void aBrokerRestartIsSurvivedTheNodesAskedForBirthsAndDataResumes() throws Exception {
        node.connectAndBirth();
        awaitFirstBirth();
        broker.kill();
        RecordingSink.awaitTrue(() -> !source.counters().connected(), "the source to notice");
        sink.awaitStale(P + "Temperature");
        sink.awaitStale("G1/edge1/Uptime");
        node.close();

        broker.restart();
        node = newNode(8); // the edge node's new MQTT session; it waits to be asked (the source reconnects later)
        node.connect();
        RecordingSink.awaitTrue(() -> !node.rebirthRequests().isEmpty(), "the source's rebirth request on reconnect");
        RecordingSink.awaitTrue(() -> source.counters().connected(), "the source to subscribe again");
        RecordingSink.awaitTrue(() -> sink.samples(P + "Temperature").size() == 2, "the births after the restart"
            + sink.samples() + sink.rejected() + source.counters().toMap() + source.sparkplugCounters().toMap());
        node.data(DEV, 10, MetricDataType.Double, 24.0, System.currentTimeMillis());
        sink.awaitSample(s -> s.v() == 24.0, "data after the restart");

        assertThat(source.counters().reconnects.get()).isEqualTo(1);
        assertThat(source.counters().lastError()).contains(broker.url());
        assertThat(sink.rejected()).isEmpty();
    }

    @Test
    void startsBeforeTheBrokerIsUpAndClosesCleanly() throws Exception {
        source.close();
        source.close();
        broker.kill();
        String id = "spindle-early-" + System.nanoTime();
        RecordingSink early = new RecordingSink();
        try (MqttSource s = new MqttSource(MqttConfig.builder().broker(broker.url()).clientId(id).groups("G1")
            .reconnectInitial(Duration.ofMillis(50)).reconnectMax(Duration.ofMillis(200)).build())) {
            s.start(early);
            RecordingSink.awaitTrue(() -> s.counters().lastError() != null, "a failed first connect");
            assertThat(s.counters().connected()).isFalse();
            broker.restart();
            RecordingSink.awaitTrue(() -> s.counters().connected(), "the connection once the broker is up");
            assertThat(s.counters().reconnects.get()).as("the first connection is not a reconnect").isZero();
        }
        RecordingSink.awaitTrue(() -> threads(id).isEmpty(), "the source's threads to end: " + threads(id));
    }

    @Test
    void closeBetweenReconnectsStopsReconnecting() throws Exception {
        broker.kill();
        RecordingSink.awaitTrue(() -> !source.counters().connected(), "the source to notice");
        source.close();
        RecordingSink.awaitTrue(() -> threads(clientId).isEmpty(), "the source's threads to end: "
            + threads(clientId));
        broker.restart();
        assertThat(source.counters().connected()).isFalse();
        assertThat(source.counters().reconnects.get()).isZero();
    }

    private static List<String> threads(String id) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
            .filter(n -> n.equals("spindle-mqtt-" + id) || n.equals("spindle-mqtt-io-" + id)).toList();
    }
}
