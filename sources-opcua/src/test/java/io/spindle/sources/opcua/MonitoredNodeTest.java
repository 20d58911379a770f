package io.spindle.sources.opcua;

import io.spindle.sources.SourceCounters;
import io.spindle.sources.opcua.RecordingSink.Event;
import io.spindle.sources.opcua.RecordingSink.Rejected;
import io.spindle.sources.opcua.RecordingSink.Sample;
import io.spindle.sources.opcua.RecordingSink.Stale;
import java.time.Instant;
import java.util.Map;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.ULong;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Notification handling without a server: conversions, timestamps, bad statuses, rejections, ordering. */
class MonitoredNodeTest {
    private static final Instant T0 = Instant.parse("2026-04-01T06:30:00.000000100Z");
    private static final long T0_NANOS = T0.getEpochSecond() * 1_000_000_000L + T0.getNano();

    private final RecordingSink sink = new RecordingSink();
    private final SourceCounters counters = new SourceCounters();
    private final MonitoredNode node = new MonitoredNode(NodeSpec.parse("ns=2;s=X"), "opcua:test", sink, counters);

    MonitoredNodeTest() {
        node.bind("dev/X", null);
    }

    private static DataValue at(Object v, long plusMillis) {
        return new DataValue(new Variant(v), StatusCode.GOOD, new DateTime(T0.plusMillis(plusMillis)), null);
    }

    @Test
    void everyNumericTypeIsASample() {
        Object[] values = {(byte) -3, UByte.valueOf(200), (short) -300, UShort.valueOf(60000), -70000,
                UInteger.valueOf(4_000_000_000L), -5_000_000_000L, ULong.valueOf(9_000_000_000L), 1.5f, 2.25, true, false};
        for (int i = 0; i < values.length; i++) node.onValue(at(values[i], i), 0);
        node.flush();
        assertThat(sink.samples("dev/X")).extracting(Sample::v).containsExactly(-3.0, 200.0, -300.0, 60000.0, -70000.0,
                4e9, -5e9, 9e9, 1.5, 2.25, 1.0, 0.0);
        assertThat(sink.samples("dev/X")).extracting(Sample::t).first().isEqualTo(T0_NANOS);
        assertThat(counters.samples.get()).isEqualTo(values.length);
        assertThat(sink.batches()).isEqualTo(1);
    }

    @Test
    void timestampsFallBackFromSourceToServerToReceipt() {
        DateTime server = new DateTime(T0.plusSeconds(1));
        node.onValue(new DataValue(new Variant(1.0), StatusCode.GOOD, new DateTime(T0), server), 7);
        node.onValue(new DataValue(new Variant(2.0), StatusCode.GOOD, null, server), 7);
        node.onValue(new DataValue(new Variant(3.0), StatusCode.GOOD, DateTime.NULL_VALUE, null), 7);
        node.onValue(new DataValue(new Variant(4.0), StatusCode.GOOD, new DateTime(Instant.parse("1601-01-01T00:00:01Z")), null), 7);
        // picoseconds below the 100 ns tick: 4321 x 10 ps = 43 ns
        node.onValue(new DataValue(new Variant(5.0), StatusCode.GOOD, new DateTime(T0), UShort.valueOf(4321), null, null), 7);
        node.flush();
        assertThat(sink.samples("dev/X")).extracting(Sample::t)
                .containsExactly(T0_NANOS, T0_NANOS + 1_000_000_000L, 7L, 7L, T0_NANOS + 43);
        assertThat(OpcUaTime.epochNanos(new DateTime(Instant.parse("2300-01-01T00:00:00Z")), null)).isEqualTo(OpcUaTime.NONE);
        assertThat(OpcUaTime.nowNanos()).isCloseTo(System.currentTimeMillis() * 1_000_000L,
                within(5_000_000_000L));
    }

    @Test
    void textIsAChangeOnlyEventAndKeepsOrderWithSamples() {
        node.onValue(at(1.0, 0), 0);
        node.onValue(at("AUTO", 1), 0);
        node.onValue(at(new LocalizedText("en", "AUTO"), 2), 0);
        node.onValue(at(2.0, 3), 0);
        node.onValue(at(new String[] {"a", "b"}, 4), 0);
        node.onValue(new DataValue(Variant.NULL_VALUE, StatusCode.GOOD, new DateTime(T0.plusMillis(5)), null), 0);
        node.flush();
        assertThat(sink.calls()).containsExactly(
                new Sample("dev/X", T0_NANOS, 1.0),
                new Event("dev/X", T0_NANOS + 1_000_000, "AUTO"),
                new Sample("dev/X", T0_NANOS + 3_000_000, 2.0),
                new Event("dev/X", T0_NANOS + 4_000_000, "[a, b]"),
                new Event("dev/X", T0_NANOS + 5_000_000, "NULL"));
        assertThat(counters.events.get()).isEqualTo(3);
    }

    @Test
    void enumerationValuesAreNamedEvents() {
        node.bind("dev/X", Map.of(0L, "Running", 1L, "Failed"));
        node.onValue(at(0, 0), 0);
        node.onValue(at(1, 1), 0);
        node.onValue(at(9, 2), 0);
        assertThat(sink.events("dev/X")).extracting(Event::text).containsExactly("Running", "Failed", "9");
        assertThat(sink.samples("dev/X")).isEmpty();
    }

    @Test
    void aBadSpellIsOneEventPerStatusAndNoSamples() {
        node.onValue(at(1.0, 0), 0);
        StatusCode noComm = new StatusCode(StatusCodes.Bad_NoCommunication);
        node.onValue(new DataValue(new Variant(5.0), noComm, new DateTime(T0.plusMillis(1)), null), 0);
        node.onValue(new DataValue(Variant.NULL_VALUE, noComm, new DateTime(T0.plusMillis(2)), null), 0);
        node.onValue(new DataValue(Variant.NULL_VALUE, new StatusCode(StatusCodes.Bad_OutOfService), new DateTime(T0.plusMillis(3)), null), 0);
        node.onValue(at(2.0, 4), 0);
        node.onValue(new DataValue(Variant.NULL_VALUE, noComm, new DateTime(T0.plusMillis(5)), null), 0);
        node.flush();
        assertThat(sink.calls()).containsExactly(
                new Sample("dev/X", T0_NANOS, 1.0),
                new Event("dev/X", T0_NANOS + 1_000_000, "BAD Bad_NoCommunication"),
                new Event("dev/X", T0_NANOS + 3_000_000, "BAD Bad_OutOfService"),
                new Sample("dev/X", T0_NANOS + 4_000_000, 2.0),
                new Event("dev/X", T0_NANOS + 5_000_000, "BAD Bad_NoCommunication"));
    }

    @Test
    void nanAndInfinityAreRejectedWithTheNodeAndReason() {
        node.onValue(at(Double.NaN, 0), 0);
        node.onValue(at(Float.NEGATIVE_INFINITY, 1), 0);
        node.onValue(at(3.0, 2), 0);
        node.flush();
        assertThat(sink.calls()).containsExactly(
                new Rejected("opcua:test", "ns=2;s=X", "NaN value"),
                new Rejected("opcua:test", "ns=2;s=X", "infinite value (-Infinity)"),
                new Sample("dev/X", T0_NANOS + 2_000_000, 3.0));
        assertThat(counters.rejected.get()).isEqualTo(2);
        assertThat(counters.lastError()).isEqualTo("node 'ns=2;s=X': infinite value (-Infinity)");
    }

    @Test
    void staleFlushesAndMakesTheNextRepeatNews() {
        node.onValue(at("IDLE", 0), 0);
        node.onValue(at(4.0, 1), 0);
        node.stale(99);
        node.onValue(at("IDLE", 2), 0);
        assertThat(sink.calls()).containsExactly(
                new Event("dev/X", T0_NANOS, "IDLE"),
                new Sample("dev/X", T0_NANOS + 1_000_000, 4.0),
                new Stale("dev/X", 99),
                new Event("dev/X", T0_NANOS + 2_000_000, "IDLE"));
    }

    @Test
    void aLongPublishIsHandedOverInFullBuffers() {
        for (int i = 0; i < 1000; i++) node.onValue(at((double) i, i), 0);
        node.flush();
        assertThat(sink.samples("dev/X")).extracting(Sample::v).hasSize(1000).isSorted();
        assertThat(sink.batches()).isEqualTo(4); // 256 + 256 + 256 + 232
    }
}
