package io.spindle.sources.opcua;

import io.spindle.sources.opcua.RecordingSink.Sample;
import io.spindle.sources.opcua.RecordingSink.Stale;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The source outlives its server: it waits for a server that is not there yet, and when the server is shut down and a
 * new one (new process state: no sessions, no subscriptions) starts on the same port, it reconnects and data resumes.
 */
class OpcUaReconnectTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SERIES = "press/Force";

    private static DataValue value(double v, Instant sourceTime) {
        return new DataValue(new Variant(v), StatusCode.GOOD, new DateTime(sourceTime), DateTime.now());
    }

    private static long nanos(Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    @Test
    void waitsForTheServerThenSurvivesARestartAndResumes() throws Exception {
        int port = TestServer.freePort();
        RecordingSink sink = new RecordingSink();
        Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
        try (OpcUaSource source = OpcUaSource.fromConfig(Map.of(
                "endpoint", "opc.tcp://127.0.0.1:" + port + "/spindle",
                "device", "press",
                "nodes", "nsu=" + TestNamespace.URI + ";s=Machine/Force",
                "sampling_ms", "10",
                "publishing_ms", "50",
                "queue_size", "100"))) {
            source.start(sink);
            sink.await(() -> source.counters().lastError() != null, WAIT, "a failed connect while no server listens");
            assertThat(source.counters().lastError()).startsWith("connect to opc.tcp://127.0.0.1:" + port);
            assertThat(source.counters().connected()).isFalse();

            TestServer first = TestServer.start(port);
            NodeId id;
            try {
                id = first.namespace.addVariable("Force", NodeIds.Double, value(1.0, t0));
                sink.await(() -> sink.samples(SERIES).size() == 1, WAIT, "the first server's value");
                first.namespace.write(id, value(2.0, t0.plusMillis(10)));
                sink.await(() -> sink.samples(SERIES).size() == 2, WAIT, "the first server's second value");
                assertThat(source.counters().connected()).isTrue();
                assertThat(source.counters().reconnects.get()).as("the first connection is no reconnect").isZero();
            } finally {
                first.close();
            }
            sink.await(() -> !source.counters().connected() && !sink.stales().isEmpty(), WAIT, "the lost session");
            assertThat(sink.stales()).extracting(Stale::series).containsExactly(SERIES);

            long restartedAt = System.nanoTime();
            try (TestServer second = TestServer.start(port)) {
                NodeId again = second.namespace.addVariable("Force", NodeIds.Double, value(3.0, t0.plusSeconds(60)));
                sink.await(() -> sink.samples(SERIES).size() == 3, WAIT, "the restarted server's value");
                long resumedMs = (System.nanoTime() - restartedAt) / 1_000_000;
                for (int i = 1; i <= 50; i++) second.namespace.write(again, value(3.0 + i, t0.plusSeconds(60).plusMillis(i)));
                sink.await(() -> sink.samples(SERIES).size() == 53, WAIT, "50 more values from the restarted server");
                List<Sample> samples = sink.samples(SERIES);
                assertThat(samples).extracting(Sample::v).startsWith(1.0, 2.0, 3.0, 4.0);
                for (int i = 1; i < samples.size(); i++) assertThat(samples.get(i).t()).isGreaterThan(samples.get(i - 1).t());
                assertThat(samples.get(2).t()).isEqualTo(nanos(t0.plusSeconds(60)));
                assertThat(source.counters().reconnects.get()).isEqualTo(1);
                assertThat(source.counters().connected()).isTrue();
                System.out.println("OPC UA source resumed " + resumedMs + " ms after the server restart began");
            }
        }
    }
}
