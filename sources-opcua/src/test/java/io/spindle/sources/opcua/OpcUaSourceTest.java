package io.spindle.sources.opcua;

import io.spindle.sources.opcua.RecordingSink.Event;
import io.spindle.sources.opcua.RecordingSink.Rejected;
import io.spindle.sources.opcua.RecordingSink.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.ULong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The source against one in-process Milo server over loopback TCP, shared by the tests (each uses its own nodes). */
class OpcUaSourceTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static TestServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = TestServer.start(TestServer.freePort());
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) server.close();
    }

    private static DataValue value(Object v, Instant sourceTime) {
        return new DataValue(new Variant(v), StatusCode.GOOD, new DateTime(sourceTime), DateTime.now());
    }

    private static String nsu(String name) {
        return "nsu=" + TestNamespace.URI + ";s=Machine/" + name;
    }

    private static OpcUaSource source(String... nodes) {
        return new OpcUaSource(OpcUaSourceConfig.fromMap(Map.of(
                "endpoint", server.endpoint(),
                "device", "mill",
                "nodes", String.join("\n", nodes),
                "sampling_ms", "10",
                "publishing_ms", "50",
                "queue_size", "100")));
    }

    private static long nanos(Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    @Test
    void doubleAt100HzArrivesCompleteInOrderWithSourceTimestamps() throws Exception {
        NodeId id = server.namespace.addVariable("SpindleLoad", NodeIds.Double, value(-1.0, Instant.parse("2026-01-01T00:00:00Z")));
        RecordingSink sink = new RecordingSink();
        try (OpcUaSource source = source(nsu("SpindleLoad"))) {
            source.start(sink);
            sink.await(() -> sink.samples("mill/SpindleLoad").size() == 1, WAIT, "the initial value");
            assertThat(sink.samples("mill/SpindleLoad").get(0))
                    .isEqualTo(new Sample("mill/SpindleLoad", nanos(Instant.parse("2026-01-01T00:00:00Z")), -1.0));

            Instant base = Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.MILLIS);
            int n = 200;
            AtomicInteger next = new AtomicInteger();
            ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
            try {
                writer.scheduleAtFixedRate(() -> {
                    int i = next.getAndIncrement();
                    if (i < n) server.namespace.write(id, value(i * 0.5, base.plusMillis(10L * i).plusNanos(300)));
                }, 0, 10, TimeUnit.MILLISECONDS);
                sink.await(() -> sink.samples("mill/SpindleLoad").size() == n + 1, WAIT, n + " samples");
            } finally {
                writer.shutdownNow();
            }
            List<Sample> got = sink.samples("mill/SpindleLoad").subList(1, n + 1);
            for (int i = 0; i < n; i++) {
                assertThat(got.get(i).v()).isEqualTo(i * 0.5);
                assertThat(got.get(i).t()).isEqualTo(nanos(base) + 10_000_000L * i + 300);
            }
            assertThat(sink.batches()).as("samples of one publish go in one call").isPositive();
            assertThat(source.counters().samples.get()).isEqualTo(n + 1);
            assertThat(source.counters().connected()).isTrue();
            // each notification carries at least a double and a timestamp: the counter sees the socket, not just the handshake
            assertThat(source.counters().bytes.get()).isGreaterThan(16L * n);
            assertThat(source.counters().reconnects.get()).isZero();
        }
    }

    @Test
    void numbersBooleansStringsAndEnumsBecomeSamplesAndEvents() throws Exception {
        Instant t0 = Instant.parse("2026-02-01T08:00:00.123456700Z");
        server.namespace.addVariable("Count", NodeIds.Int32, value(42, t0));
        server.namespace.addVariable("Running", NodeIds.Boolean, value(true, t0));
        server.namespace.addVariable("Temp", NodeIds.Float, value(21.5f, t0));
        server.namespace.addVariable("Parts", NodeIds.UInt64,
                value(ULong.valueOf(7), t0));
        server.namespace.addVariable("Program", NodeIds.String, value("O1000", t0));
        server.namespace.addVariable("State", NodeIds.ServerState, value(0, t0));
        RecordingSink sink = new RecordingSink();
        try (OpcUaSource source = source(nsu("Count"), nsu("Running"), "temperature=" + nsu("Temp"),
                "cell7/parts=" + nsu("Parts"), nsu("Program"), nsu("State"))) {
            source.start(sink);
            sink.await(() -> sink.calls().size() == 6, WAIT, "six initial values");
            long t = nanos(t0);
            assertThat(sink.calls()).containsExactlyInAnyOrder(
                    new Sample("mill/Count", t, 42),
                    new Sample("mill/Running", t, 1),
                    new Sample("mill/temperature", t, 21.5),
                    new Sample("cell7/parts", t, 7),
                    new Event("mill/Program", t, "O1000"),
                    new Event("mill/State", t, "Running"));
            assertThat(source.counters().samples.get()).isEqualTo(4);
            assertThat(source.counters().events.get()).isEqualTo(2);
        }
    }

    @Test
    void unknownNodesAreRejectedByNameAndTheRestIsSubscribed() throws Exception {
        Instant t0 = Instant.parse("2026-02-01T09:00:00Z");
        NodeId id = server.namespace.addVariable("Feed", NodeIds.Double, value(100.0, t0));
        int ns = id.getNamespaceIndex().intValue();
        RecordingSink sink = new RecordingSink();
        try (OpcUaSource source = source("ns=" + ns + ";s=Machine/NoSuchNode", nsu("Feed"),
                "nsu=urn:not:on:this:server;s=X", "i=987654")) {
            source.start(sink);
            sink.await(() -> sink.rejections().size() == 3 && sink.samples("mill/Feed").size() == 1, WAIT,
                    "three rejections and the good node's value");
            assertThat(sink.rejections()).extracting(Rejected::input).containsExactlyInAnyOrder(
                    "ns=" + ns + ";s=Machine/NoSuchNode", "nsu=urn:not:on:this:server;s=X", "i=987654");
            assertThat(sink.rejections()).allSatisfy(r -> {
                assertThat(r.source()).isEqualTo(source.name());
                assertThat(r.reason()).startsWith("Bad_NodeIdUnknown");
            });
            assertThat(source.counters().rejected.get()).isEqualTo(3);
            assertThat(source.counters().lastError()).contains("Bad_NodeIdUnknown");

            server.namespace.write(id, value(101.0, t0.plusMillis(1)));
            sink.await(() -> sink.samples("mill/Feed").size() == 2, WAIT, "the next value of the good node");
            assertThat(sink.samples("mill/Feed")).extracting(Sample::v).containsExactly(100.0, 101.0);
        }
    }

    @Test
    void stringsAreChangeOnlyEventsWithSourceTimestamps() throws Exception {
        Instant t0 = Instant.parse("2026-02-01T10:00:00Z");
        NodeId id = server.namespace.addVariable("ActiveProgram", NodeIds.String, value("O1000", t0));
        RecordingSink sink = new RecordingSink();
        try (OpcUaSource source = source(nsu("ActiveProgram"))) {
            source.start(sink);
            sink.await(() -> sink.events("mill/ActiveProgram").size() == 1, WAIT, "the initial program");
            server.namespace.write(id, value("O2000", t0.plusSeconds(1)));
            // same text with another status: the server reports it, the source must not repeat the event
            server.namespace.write(id, new DataValue(new Variant("O2000"), new StatusCode(StatusCodes.Uncertain_LastUsableValue),
                    new DateTime(t0.plusSeconds(2)), DateTime.now()));
            server.namespace.write(id, value("O3000", t0.plusSeconds(3)));
            sink.await(() -> sink.events("mill/ActiveProgram").size() == 3, WAIT, "two program changes");
            assertThat(sink.events("mill/ActiveProgram")).containsExactly(
                    new Event("mill/ActiveProgram", nanos(t0), "O1000"),
                    new Event("mill/ActiveProgram", nanos(t0.plusSeconds(1)), "O2000"),
                    new Event("mill/ActiveProgram", nanos(t0.plusSeconds(3)), "O3000"));
            assertThat(sink.samples("mill/ActiveProgram")).isEmpty();
        }
    }

    @Test
    void aBadStatusIsOneEventAndNoSample() throws Exception {
        Instant t0 = Instant.parse("2026-02-01T11:00:00Z");
        NodeId id = server.namespace.addVariable("AxisLoad", NodeIds.Double, value(1.0, t0));
        RecordingSink sink = new RecordingSink();
        try (OpcUaSource source = source(nsu("AxisLoad"))) {
            source.start(sink);
            sink.await(() -> sink.samples("mill/AxisLoad").size() == 1, WAIT, "the initial value");
            StatusCode failure = new StatusCode(StatusCodes.Bad_DeviceFailure);
            server.namespace.write(id, new DataValue(new Variant(2.0), failure, new DateTime(t0.plusSeconds(1)), DateTime.now()));
            server.namespace.write(id, new DataValue(new Variant(3.0), failure, new DateTime(t0.plusSeconds(2)), DateTime.now()));
            server.namespace.write(id, value(4.0, t0.plusSeconds(3)));
            sink.await(() -> sink.samples("mill/AxisLoad").size() == 2, WAIT, "the good value after the bad ones");
            assertThat(sink.calls()).containsExactly(
                    new Sample("mill/AxisLoad", nanos(t0), 1.0),
                    new Event("mill/AxisLoad", nanos(t0.plusSeconds(1)), "BAD Bad_DeviceFailure"),
                    new Sample("mill/AxisLoad", nanos(t0.plusSeconds(3)), 4.0));
        }
    }

    @Test
    void nanIsRejectedAndCountedAndTheStreamGoesOn() throws Exception {
        Instant t0 = Instant.parse("2026-02-01T12:00:00Z");
        NodeId id = server.namespace.addVariable("Vibration", NodeIds.Double, value(1.0, t0));
        RecordingSink sink = new RecordingSink();
        try (OpcUaSource source = source(nsu("Vibration"))) {
            source.start(sink);
            sink.await(() -> sink.samples("mill/Vibration").size() == 1, WAIT, "the initial value");
            server.namespace.write(id, value(Double.NaN, t0.plusMillis(1)));
            server.namespace.write(id, value(2.0, t0.plusMillis(2)));
            sink.await(() -> sink.samples("mill/Vibration").size() == 2, WAIT, "the value after NaN");
            assertThat(sink.samples("mill/Vibration")).extracting(Sample::v).containsExactly(1.0, 2.0);
            assertThat(sink.rejections()).containsExactly(new Rejected(source.name(), nsu("Vibration"), "NaN value"));
            assertThat(source.counters().rejected.get()).isEqualTo(1);
            assertThat(source.counters().lastError()).contains("NaN");
        }
    }

    @Test
    void aUserNameIdentityIsUsedAndAWrongPasswordNeverConnects() throws Exception {
        Instant t0 = Instant.parse("2026-02-01T13:00:00Z");
        server.namespace.addVariable("Door", NodeIds.Boolean, value(false, t0));
        Map<String, String> base = Map.of("endpoint", server.endpoint(), "device", "cell", "nodes", nsu("Door"));
        RecordingSink wrongSink = new RecordingSink();
        RecordingSink rightSink = new RecordingSink();
        var wrong = new HashMap<>(base);
        wrong.put("username", TestServer.USER);
        wrong.put("password", "not-the-password");
        var right = new HashMap<>(base);
        right.put("username", TestServer.USER);
        right.put("password", TestServer.PASSWORD);
        try (OpcUaSource refused = OpcUaSource.fromConfig(wrong); OpcUaSource accepted = OpcUaSource.fromConfig(right)) {
            refused.start(wrongSink);
            accepted.start(rightSink);
            rightSink.await(() -> rightSink.samples("cell/Door").size() == 1, WAIT, "the value read as " + TestServer.USER);
            rightSink.await(() -> refused.counters().lastError() != null, WAIT, "the refused login");
            assertThat(refused.counters().lastError()).contains("Bad_UserAccessDenied");
            assertThat(refused.counters().connected()).isFalse();
            assertThat(wrongSink.calls()).isEmpty();
        }
    }

    @Test
    void closeIsIdempotentStopsDeliveryAndEndsTheSourcesThreads() throws Exception {
        Instant t0 = Instant.parse("2026-02-01T14:00:00Z");
        NodeId id = server.namespace.addVariable("Coolant", NodeIds.Double, value(1.0, t0));
        RecordingSink sink = new RecordingSink();
        OpcUaSource source = new OpcUaSource(OpcUaSourceConfig.builder(server.endpoint()).device("closer")
                .node(nsu("Coolant")).samplingMs(10).publishingMs(20).build());
        source.start(sink);
        sink.await(() -> sink.samples("closer/Coolant").size() == 1, WAIT, "the initial value");
        assertThat(threadsNamed("opcua-closer-")).isNotEmpty();
        assertThat(catchThrowable(() -> source.start(sink)))
                .isInstanceOf(IllegalStateException.class);
        source.close();
        source.close();
        assertThat(source.counters().connected()).isFalse();
        int before = sink.calls().size();
        server.namespace.write(id, value(2.0, t0.plusSeconds(1)));
        sink.await(() -> threadsNamed("opcua-closer-").isEmpty(), WAIT, "the source's threads to end");
        Thread.sleep(200); // ten publishing intervals: a value delivered after close would be here by now
        assertThat(sink.calls()).hasSize(before);
    }

    @Test
    void aFullQueueDiscardsTheOldestValues() throws Exception {
        Instant t0 = Instant.parse("2026-02-01T15:00:00Z");
        NodeId id = server.namespace.addVariable("Burst", NodeIds.Double, value(0.0, t0));
        RecordingSink sink = new RecordingSink();
        try (OpcUaSource source = new OpcUaSource(OpcUaSourceConfig.builder(server.endpoint()).device("mill")
                .node(nsu("Burst")).samplingMs(10).publishingMs(400).queueSize(10).build())) {
            source.start(sink);
            sink.await(() -> sink.samples("mill/Burst").size() == 1, WAIT, "the initial value");
            // 50 values within a few ms of one 400 ms publishing interval: the server's queue keeps the newest 10
            for (int i = 1; i <= 50; i++) server.namespace.write(id, value(i, t0.plusMillis(i)));
            sink.await(() -> sink.samples("mill/Burst").stream().anyMatch(s -> s.v() == 50.0), WAIT, "the last value");
            List<Double> got = sink.samples("mill/Burst").stream().skip(1).map(Sample::v).toList();
            // the newest ten always arrive, the oldest are gone (a publish inside the burst may save a few between)
            assertThat(got).isSorted().doesNotContain(1.0).hasSizeLessThan(50)
                    .endsWith(41.0, 42.0, 43.0, 44.0, 45.0, 46.0, 47.0, 48.0, 49.0, 50.0);
        }
    }

    @Test
    void basic256Sha256ConnectsOnceBothSidesTrustTheOthersCertificate(@TempDir Path pki) throws Exception {
        Instant t0 = Instant.parse("2026-02-01T16:00:00Z");
        server.namespace.addVariable("Torque", NodeIds.Double, value(12.5, t0));
        RecordingSink sink = new RecordingSink();
        try (OpcUaSource source = OpcUaSource.fromConfig(Map.of("endpoint", server.endpoint(), "device", "secure",
                "nodes", nsu("Torque"), "security_policy", "Basic256Sha256", "pki_dir", pki.toString()))) {
            source.start(sink);
            // the server does not know the client's certificate (created in pki_dir on the first connect)
            sink.await(() -> source.counters().lastError() != null, WAIT, "the refused secure channel");
            assertThat(source.counters().lastError()).contains("Bad_SecurityChecksFailed");
            server.trust(ClientSecurity.certificate(pki));
            // now the client refuses the server's certificate and parks it in rejected/ for an operator to inspect
            sink.await(() -> filesIn(pki.resolve("rejected")) > 0, WAIT, "the server certificate in rejected/");
            sink.await(() -> source.counters().lastError().contains("trustAnchors"), WAIT, "the client's refusal");
            assertThat(source.counters().lastError()).contains(pki.resolve("trusted/certs").toString());
            assertThat(sink.calls()).isEmpty();
            assertThat(source.counters().connected()).isFalse();
            Path tmp = pki.resolve("server.der.tmp");
            Files.write(tmp, TestServer.certificate().getEncoded());
            Files.move(tmp, pki.resolve("trusted/certs/server.der"), StandardCopyOption.ATOMIC_MOVE);
            sink.await(() -> sink.samples("secure/Torque").size() == 1, WAIT, "the value over the secure channel");
            assertThat(sink.samples("secure/Torque").get(0).v()).isEqualTo(12.5);
            assertThat(Files.exists(pki.resolve(ClientSecurity.KEYSTORE))).isTrue();
        }
    }

    private static long filesIn(Path dir) {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static List<String> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith(prefix)).toList();
    }
}
