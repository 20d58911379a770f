package io.spindle.sources.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.spindle.sources.SourceCounters;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.DataSet;
import org.eclipse.tahu.message.model.DataSetDataType;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.Row;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.eclipse.tahu.message.model.Value;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload;
import org.junit.jupiter.api.Test;

/** The Sparkplug B session logic on payloads made by Eclipse Tahu's encoder (and raw protobuf for broken ones). */
class SparkplugHandlerTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final String NBIRTH = "spBv1.0/G1/NBIRTH/E1";
    private static final String NDEATH = "spBv1.0/G1/NDEATH/E1";
    private static final String NDATA = "spBv1.0/G1/NDATA/E1";
    private static final String DBIRTH = "spBv1.0/G1/DBIRTH/E1/D1";
    private static final String DDATA = "spBv1.0/G1/DDATA/E1/D1";
    private static final String DDEATH = "spBv1.0/G1/DDEATH/E1/D1";

    private final RecordingSink sink = new RecordingSink();
    private final SourceCounters counters = new SourceCounters();
    private final SparkplugCounters sp = new SparkplugCounters();
    private final List<String> rebirths = new ArrayList<>();
    private final SparkplugBPayloadEncoder encoder = new SparkplugBPayloadEncoder();
    private long clock = T0 + 999_000;
    private int seq;

    private SparkplugHandler handler(SeriesNaming naming, boolean rebirth, long intervalNanos) {
        return new SparkplugHandler(new Emitter("test", sink, counters), sp, naming, rebirth, intervalNanos,
            (g, e) -> rebirths.add(g + "/" + e), () -> clock);
    }

    private SparkplugHandler handler() {
        return handler(SeriesNaming.FULL, true, 60_000_000_000L);
    }

    private static Metric birth(String name, long alias, MetricDataType type, Object value) throws Exception {
        return new Metric.MetricBuilder(name, type, value).alias(alias).timestamp(new Date(T0)).createMetric();
    }

    private static Metric data(long alias, MetricDataType type, Object value, long t) throws Exception {
        return new Metric.MetricBuilder(alias, type, value).timestamp(new Date(t)).createMetric();
    }

    private byte[] payload(Long seqNo, boolean strip, Metric... metrics) throws Exception {
        SparkplugBPayload.SparkplugBPayloadBuilder b = new SparkplugBPayload.SparkplugBPayloadBuilder()
            .setTimestamp(new Date(T0 + 500)).setSeq(seqNo);
        for (Metric m : metrics) b.addMetric(m);
        return encoder.getBytes(b.createPayload(), strip);
    }

    private void nbirth(SparkplugHandler h, long bdSeq, Metric... metrics) throws Exception {
        seq = 0;
        List<Metric> all = new ArrayList<>(List.of(
            new Metric.MetricBuilder("bdSeq", MetricDataType.Int64, bdSeq).timestamp(new Date(T0)).createMetric(),
            new Metric.MetricBuilder("Node Control/Rebirth", MetricDataType.Boolean, false).createMetric()));
        all.addAll(List.of(metrics));
        h.onMessage(NBIRTH, payload(0L, false, all.toArray(Metric[]::new)));
    }

    private void send(SparkplugHandler h, String topic, Metric... metrics) throws Exception {
        seq = (seq + 1) & 0xFF;
        h.onMessage(topic, payload((long) seq, !topic.contains("BIRTH"), metrics));
    }

    /** A node metric (alias 1) and a device with one metric per numeric datatype (aliases 10..21). */
    private SparkplugHandler bornWithAllNumbers() throws Exception {
        SparkplugHandler h = handler();
        nbirth(h, 7, birth("Uptime", 1, MetricDataType.Int64, 5L));
        send(h, DBIRTH,
            birth("i8", 10, MetricDataType.Int8, (byte) 0),
            birth("i16", 11, MetricDataType.Int16, (short) 0),
            birth("i32", 12, MetricDataType.Int32, 0),
            birth("i64", 13, MetricDataType.Int64, 0L),
            birth("u8", 14, MetricDataType.UInt8, (short) 0),
            birth("u16", 15, MetricDataType.UInt16, 0),
            birth("u32", 16, MetricDataType.UInt32, 0L),
            birth("u64", 17, MetricDataType.UInt64, BigInteger.ZERO),
            birth("Motor/Speed", 18, MetricDataType.Float, 0f),
            birth("Temperature", 19, MetricDataType.Double, 20.5),
            birth("Running", 20, MetricDataType.Boolean, false),
            birth("Mode", 21, MetricDataType.String, "IDLE"));
        return h;
    }

    @Test
    void birthsDefineSeriesAndDataByAliasBecomesSamplesOfEveryNumericType() throws Exception {
        SparkplugHandler h = bornWithAllNumbers();
        assertThat(sink.samples()).as("birth values are samples too, bdSeq and Node Control are not")
            .extracting(RecordingSink.Sample::series)
            .contains("G1/E1/Uptime", "G1/E1/D1/Temperature", "G1/E1/D1/Motor/Speed")
            .doesNotContain("G1/E1/bdSeq", "G1/E1/Node Control/Rebirth");
        assertThat(sink.samples("G1/E1/D1/Temperature").get(0)).isEqualTo(
            new RecordingSink.Sample("G1/E1/D1/Temperature", T0 * 1_000_000L, 20.5));
        int before = sink.samples().size();

        long t = T0 + 1234;
        send(h, DDATA,
            data(10, MetricDataType.Int8, (byte) -5, t),
            data(11, MetricDataType.Int16, (short) -300, t),
            data(12, MetricDataType.Int32, -70_000, t),
            data(13, MetricDataType.Int64, -50_000_000_000L, t),
            data(14, MetricDataType.UInt8, (short) 200, t),
            data(15, MetricDataType.UInt16, 60_000, t),
            data(16, MetricDataType.UInt32, 4_000_000_000L, t),
            data(17, MetricDataType.UInt64, new BigInteger("18446744073709551615"), t),
            data(18, MetricDataType.Float, 1.1f, t),
            data(19, MetricDataType.Double, 21.75, t),
            data(20, MetricDataType.Boolean, true, t));
        List<RecordingSink.Sample> got = sink.samples().subList(before, sink.samples().size());
        String p = "G1/E1/D1/";
        long ns = t * 1_000_000L;
        assertThat(got).containsExactly(
            new RecordingSink.Sample(p + "i8", ns, -5),
            new RecordingSink.Sample(p + "i16", ns, -300),
            new RecordingSink.Sample(p + "i32", ns, -70_000),
            new RecordingSink.Sample(p + "i64", ns, -50_000_000_000d),
            new RecordingSink.Sample(p + "u8", ns, 200),
            new RecordingSink.Sample(p + "u16", ns, 60_000),
            new RecordingSink.Sample(p + "u32", ns, 4_000_000_000d),
            new RecordingSink.Sample(p + "u64", ns, 18446744073709551615d),
            new RecordingSink.Sample(p + "Motor/Speed", ns, (double) 1.1f),
            new RecordingSink.Sample(p + "Temperature", ns, 21.75),
            new RecordingSink.Sample(p + "Running", ns, 1));
        assertThat(counters.rejected.get()).isZero();
        assertThat(sp.births.get()).isEqualTo(2);
        assertThat(rebirths).isEmpty();
    }

    @Test
    void stringsAreChangeOnlyEventsAndNamesWorkWithoutAliases() throws Exception {
        SparkplugHandler h = bornWithAllNumbers();
        assertThat(sink.events()).containsExactly(new RecordingSink.Event("G1/E1/D1/Mode", T0 * 1_000_000L, "IDLE"));
        send(h, DDATA, data(21, MetricDataType.String, "IDLE", T0 + 1));
        send(h, DDATA, data(21, MetricDataType.String, "RUN", T0 + 2));
        send(h, DDATA, new Metric.MetricBuilder("Mode", MetricDataType.String, "RUN").timestamp(new Date(T0 + 3))
            .createMetric());
        send(h, DDATA, new Metric.MetricBuilder("Mode", MetricDataType.String, "STOP").timestamp(new Date(T0 + 4))
            .createMetric());
        assertThat(sink.events()).extracting(RecordingSink.Event::text).containsExactly("IDLE", "RUN", "STOP");
        assertThat(sink.events().get(2).t()).isEqualTo((T0 + 4) * 1_000_000L);
        assertThat(counters.events.get()).isEqualTo(3);
    }

    @Test
    void seriesNamingIsConfigurable() throws Exception {
        for (SeriesNaming n : SeriesNaming.values()) {
            RecordingSink s = new RecordingSink();
            SparkplugHandler h = new SparkplugHandler(new Emitter("t", s, new SourceCounters()), sp, n, true, 0,
                (g, e) -> { }, () -> clock);
            nbirth(h, 1, birth("Uptime", 1, MetricDataType.Int64, 5L));
            send(h, DBIRTH, birth("Axis/X", 2, MetricDataType.Double, 1.0));
            assertThat(s.samples()).extracting(RecordingSink.Sample::series).containsExactly(
                switch (n) {
                    case FULL -> new String[] {"G1/E1/Uptime", "G1/E1/D1/Axis/X"};
                    case NODE -> new String[] {"E1/Uptime", "E1/D1/Axis/X"};
                    case DEVICE -> new String[] {"E1/Uptime", "D1/Axis/X"};
                });
        }
    }

    @Test
    void timesComeFromTheMetricElseThePayloadElseTheClock() throws Exception {
        SparkplugHandler h = bornWithAllNumbers();
        int before = sink.samples().size();
        Payload.Metric noTime = Payload.Metric.newBuilder().setAlias(19).setDoubleValue(1.0).build();
        seq++;
        h.onMessage(DDATA, Payload.newBuilder().setSeq(seq).setTimestamp(T0 + 77).addMetrics(noTime).build()
            .toByteArray());
        seq++;
        h.onMessage(DDATA, Payload.newBuilder().setSeq(seq).addMetrics(noTime).build().toByteArray());
        assertThat(sink.samples().subList(before, before + 2)).extracting(RecordingSink.Sample::t)
            .containsExactly((T0 + 77) * 1_000_000L, clock * 1_000_000L);
    }

    @Test
    void nanAndInfinityAreRejectedWithTheReasonAndTheStreamGoesOn() throws Exception {
        SparkplugHandler h = bornWithAllNumbers();
        send(h, DDATA, data(19, MetricDataType.Double, Double.NaN, T0 + 1));
        send(h, DDATA, data(18, MetricDataType.Float, Float.POSITIVE_INFINITY, T0 + 2));
        send(h, DDATA, data(19, MetricDataType.Double, 3.5, T0 + 3));
        assertThat(sink.rejected()).extracting(RecordingSink.Rejected::reason).satisfiesExactly(
            r -> assertThat(r).contains("'Temperature'", "NaN", "finite"),
            r -> assertThat(r).contains("'Motor/Speed'", "Infinity"));
        assertThat(sink.rejected()).allSatisfy(r -> assertThat(r.input()).isEqualTo(DDATA));
        assertThat(counters.rejected.get()).isEqualTo(2);
        assertThat(sink.samples("G1/E1/D1/Temperature")).extracting(RecordingSink.Sample::v).containsExactly(20.5, 3.5);
        assertThat(rebirths).as("a NaN is a value, not a broken session").isEmpty();
    }

    @Test
    void aNullValueMarksTheSeriesStale() throws Exception {
        SparkplugHandler h = bornWithAllNumbers();
        send(h, DDATA, data(19, MetricDataType.Double, null, T0 + 5));
        assertThat(sink.stale()).containsExactly(new RecordingSink.Stale("G1/E1/D1/Temperature", (T0 + 5) * 1_000_000L));
        assertThat(counters.rejected.get()).isZero();
    }

    @Test
    void aSequenceGapRequestsOneRebirthAndDropsDataUntilTheNextBirth() throws Exception {
        SparkplugHandler h = handler(SeriesNaming.FULL, true, 60_000_000_000L);
        nbirth(h, 3, birth("Uptime", 1, MetricDataType.Int64, 5L));
        send(h, NDATA, data(1, MetricDataType.Int64, 6L, T0 + 1));
        seq++; // a lost message
        send(h, NDATA, data(1, MetricDataType.Int64, 7L, T0 + 2));
        send(h, NDATA, data(1, MetricDataType.Int64, 8L, T0 + 3));
        assertThat(rebirths).as("rate-limited to one per interval").containsExactly("G1/E1");
        assertThat(sp.sequenceGaps.get()).isEqualTo(1);
        assertThat(sp.droppedAwaitingBirth.get()).isEqualTo(1);
        assertThat(sink.rejected()).extracting(RecordingSink.Rejected::reason).satisfiesExactly(
            r -> assertThat(r).contains("sequence gap on edge node G1/E1: seq 3, expected 2", "rebirth requested"),
            r -> assertThat(r).contains("awaits a birth (sequence gap: seq 3, expected 2)", "dropped"));
        nbirth(h, 3, birth("Uptime", 1, MetricDataType.Int64, 9L));
        send(h, NDATA, data(1, MetricDataType.Int64, 10L, T0 + 4));
        assertThat(sink.samples("G1/E1/Uptime")).extracting(RecordingSink.Sample::v).containsExactly(5d, 6d, 9d, 10d);
    }

    @Test
    void sequenceNumbersWrapFrom255To0() throws Exception {
        SparkplugHandler h = bornWithAllNumbers();
        for (int i = 0; i < 600; i++) send(h, DDATA, data(19, MetricDataType.Double, (double) i, T0 + i));
        assertThat(sink.samples("G1/E1/D1/Temperature")).hasSize(601);
        assertThat(counters.rejected.get()).isZero();
        assertThat(sp.sequenceGaps.get()).isZero();
    }

    @Test
    void withRebirthsOffAGapIsCountedAndTheDataKept() throws Exception {
        SparkplugHandler h = handler(SeriesNaming.FULL, false, 0);
        nbirth(h, 3, birth("Uptime", 1, MetricDataType.Int64, 5L));
        seq += 5;
        send(h, NDATA, data(1, MetricDataType.Int64, 6L, T0 + 1));
        assertThat(rebirths).isEmpty();
        assertThat(sp.sequenceGaps.get()).isEqualTo(1);
        assertThat(counters.lastError()).contains("sequence gap");
        assertThat(sink.samples("G1/E1/Uptime")).extracting(RecordingSink.Sample::v).containsExactly(5d, 6d);
    }

    @Test
    void dataBeforeAnyBirthIsDroppedAndARebirthRequested() throws Exception {
        SparkplugHandler h = handler();
        seq = 41;
        send(h, DDATA, data(19, MetricDataType.Double, 1.0, T0));
        assertThat(rebirths).containsExactly("G1/E1");
        assertThat(sink.rejected()).singleElement().extracting(RecordingSink.Rejected::reason).asString()
            .contains("awaits a birth (no NBIRTH received yet)");
        assertThat(sink.samples()).isEmpty();
    }

    @Test
    void anUnknownAliasIsRejectedTheRestOfThePayloadKeptAndARebirthRequested() throws Exception {
        SparkplugHandler h = bornWithAllNumbers();
        send(h, DDATA, data(99, MetricDataType.Double, 1.0, T0 + 1), data(19, MetricDataType.Double, 2.0, T0 + 1));
        send(h, DDATA, data(19, MetricDataType.Double, 3.0, T0 + 2));
        assertThat(sink.rejected()).extracting(RecordingSink.Rejected::reason).satisfiesExactly(
            r -> assertThat(r).contains("unknown alias 99", "G1/E1/D1"),
            r -> assertThat(r).contains("awaits a birth (unknown alias 99 in DDATA)"));
        assertThat(rebirths).containsExactly("G1/E1");
        assertThat(sink.samples("G1/E1/D1/Temperature")).extracting(RecordingSink.Sample::v).containsExactly(20.5, 2.0);
    }

    @Test
    void anAliasOfAnotherDeviceIsUnknownHere() throws Exception {
        SparkplugHandler h = bornWithAllNumbers();
        send(h, "spBv1.0/G1/DBIRTH/E1/D2", birth("Pressure", 30, MetricDataType.Double, 1.0));
        send(h, "spBv1.0/G1/DDATA/E1/D2", data(19, MetricDataType.Double, 2.0, T0 + 1));
        assertThat(sink.rejected()).singleElement().extracting(RecordingSink.Rejected::reason).asString()
            .contains("unknown alias 19", "G1/E1/D2");
        assertThat(sink.samples("G1/E1/D2/Temperature")).isEmpty();
    }

    @Test
    void deathsMarkSeriesStaleAndADeathOfAnotherSessionIsIgnored() throws Exception {
        SparkplugHandler h = bornWithAllNumbers();
        send(h, "spBv1.0/G1/DBIRTH/E1/D2", birth("Pressure", 30, MetricDataType.Double, 1.0));
        send(h, "spBv1.0/G1/DDEATH/E1/D2");
        assertThat(sink.stale()).containsExactly(new RecordingSink.Stale("G1/E1/D2/Pressure", clock * 1_000_000L));

        h.onMessage(NDEATH, death(6)); // the will of an earlier session, delivered late
        assertThat(sp.deathsIgnored.get()).isEqualTo(1);
        assertThat(sink.stale()).hasSize(1);
        send(h, DDATA, data(19, MetricDataType.Double, 22.0, T0 + 9));
        assertThat(sink.samples("G1/E1/D1/Temperature")).hasSize(2);

        clock += 1000;
        h.onMessage(NDEATH, death(7));
        assertThat(sink.stale()).hasSize(1 + 13).extracting(RecordingSink.Stale::series)
            .contains("G1/E1/Uptime", "G1/E1/D1/Temperature", "G1/E1/D1/Mode");
        assertThat(sink.stale().get(1).t()).isEqualTo(clock * 1_000_000L);
        h.onMessage(NDEATH, death(7)); // the will after an explicit NDEATH: the same bdSeq, once is enough
        assertThat(sink.stale()).hasSize(14);
        assertThat(sp.deaths.get()).isEqualTo(2);
        assertThat(sp.deathsIgnored.get()).isEqualTo(2);
    }

    private byte[] death(long bdSeq) throws Exception {
        return encoder.getBytes(new SparkplugBPayload.SparkplugBPayloadBuilder().setTimestamp(new Date(T0))
            .addMetric(new Metric.MetricBuilder("bdSeq", MetricDataType.Int64, bdSeq).createMetric())
            .createPayload(), false);
    }

    @Test
    void malformedPayloadsAndForeignTopicsAreRejectedCommandsIgnored() throws Exception {
        SparkplugHandler h = bornWithAllNumbers();
        h.onMessage(DDATA, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
        h.onMessage("spBv1.0/G1/DDATA/E1", payload(9L, true));
        h.onMessage("spBv1.0/G1/NCMD/E1", new byte[] {1});
        h.onMessage("spBv1.0/STATE/host", "{\"online\":true}".getBytes());
        assertThat(sink.rejected()).extracting(RecordingSink.Rejected::reason).satisfiesExactly(
            r -> assertThat(r).startsWith("malformed Sparkplug B payload (3 bytes)"),
            r -> assertThat(r).startsWith("not a Sparkplug B topic"));
        assertThat(counters.rejected.get()).isEqualTo(2);
        send(h, DDATA, data(19, MetricDataType.Double, 5.0, T0 + 1));
        assertThat(sink.samples("G1/E1/D1/Temperature")).hasSize(2);
    }

    @Test
    void valuesThatDoNotFitTheirDatatypeAreRejected() throws Exception {
        SparkplugHandler h = bornWithAllNumbers();
        seq++;
        h.onMessage(DDATA, Payload.newBuilder().setSeq(seq).setTimestamp(T0)
            .addMetrics(Payload.Metric.newBuilder().setAlias(19).setStringValue("hot"))
            .addMetrics(Payload.Metric.newBuilder().setAlias(21).setDoubleValue(1.0))
            .addMetrics(Payload.Metric.newBuilder().setAlias(19).setDatatype(12).setStringValue("x"))
            .addMetrics(Payload.Metric.newBuilder().setAlias(19).setTimestamp(-5).setDoubleValue(1.0))
            .build().toByteArray());
        assertThat(sink.rejected()).extracting(RecordingSink.Rejected::reason).satisfiesExactly(
            r -> assertThat(r).isEqualTo("metric 'Temperature' (Double) carries string_value"),
            r -> assertThat(r).isEqualTo("metric 'Mode': String metric carries double_value instead of string_value"),
            r -> assertThat(r).isEqualTo("metric 'Temperature': datatype String differs from Double in its birth"),
            r -> assertThat(r).contains("timestamp 18446744073709551611 ms is outside"));
    }

    @Test
    void birthsWithoutNameOrDatatypeOrWithDuplicateAliasesRejectThoseMetrics() throws Exception {
        SparkplugHandler h = handler();
        h.onMessage(NBIRTH, Payload.newBuilder().setSeq(0).setTimestamp(T0)
            .addMetrics(Payload.Metric.newBuilder().setAlias(1).setDatatype(10).setDoubleValue(1))
            .addMetrics(Payload.Metric.newBuilder().setName("a").setAlias(2).setDoubleValue(1))
            .addMetrics(Payload.Metric.newBuilder().setName("b").setAlias(3).setDatatype(10).setDoubleValue(1))
            .addMetrics(Payload.Metric.newBuilder().setName("c").setAlias(3).setDatatype(10).setDoubleValue(2))
            .build().toByteArray());
        assertThat(sink.rejected()).extracting(RecordingSink.Rejected::reason).containsExactly(
            "birth metric with alias 1 has no name",
            "birth metric 'a' has no datatype",
            "birth metric 'c': alias 3 already names G1/E1/b (aliases are unique per edge node)");
        assertThat(sink.samples()).extracting(RecordingSink.Sample::series).containsExactly("G1/E1/b");
        h.onMessage(NDATA, Payload.newBuilder().setSeq(1)
            .addMetrics(Payload.Metric.newBuilder().setAlias(3).setTimestamp(T0 + 1).setDoubleValue(4)).build()
            .toByteArray());
        assertThat(sink.samples("G1/E1/b")).extracting(RecordingSink.Sample::v).containsExactly(1d, 4d);
    }

    @Test
    void anNbirthWithoutSeqIsRejectedAndARebirthRequested() throws Exception {
        SparkplugHandler h = handler();
        h.onMessage(NBIRTH, Payload.newBuilder().setTimestamp(T0).build().toByteArray());
        assertThat(sink.rejected()).singleElement().extracting(RecordingSink.Rejected::reason).asString()
            .isEqualTo("NBIRTH has no seq; rebirth requested");
        assertThat(rebirths).containsExactly("G1/E1");
    }

    @Test
    void nonNumericTypesBecomeEventsOfTheirText() throws Exception {
        SparkplugHandler h = handler();
        DataSet ds = new DataSet.DataSetBuilder(2).addColumnNames(List.of("part", "count"))
            .addTypes(List.of(DataSetDataType.String, DataSetDataType.Int32))
            .addRow(new Row.RowBuilder().addValue(new Value<>(DataSetDataType.String, "A-1"))
                .addValue(new Value<>(DataSetDataType.Int32, 3)).createRow())
            .createDataSet();
        nbirth(h, 1,
            birth("When", 1, MetricDataType.DateTime, new Date(T0)),
            birth("Blob", 2, MetricDataType.Bytes, new byte[] {1, 2, 3}),
            birth("Parts", 3, MetricDataType.DataSet, ds),
            birth("Temps", 4, MetricDataType.FloatArray, new Float[] {1.5f, -2f}),
            birth("Flags", 5, MetricDataType.BooleanArray, new Boolean[] {false, true, true}),
            birth("Names", 6, MetricDataType.StringArray, new String[] {"a", "bc"}),
            birth("Id", 7, MetricDataType.UUID, "123e4567-e89b-12d3-a456-426614174000"),
            birth("Counts", 8, MetricDataType.UInt32Array, new Long[] {4_000_000_000L, 1L}));
        assertThat(sink.events()).extracting(RecordingSink.Event::series, RecordingSink.Event::text).containsExactly(
            org.assertj.core.groups.Tuple.tuple("G1/E1/When", "2023-11-14T22:13:20Z"),
            org.assertj.core.groups.Tuple.tuple("G1/E1/Blob", "AQID"),
            org.assertj.core.groups.Tuple.tuple("G1/E1/Parts",
                "{\"columns\":[\"part\",\"count\"],\"types\":[\"String\",\"Int32\"],\"rows\":[[\"A-1\",3]]}"),
            org.assertj.core.groups.Tuple.tuple("G1/E1/Temps", "[1.5,-2.0]"),
            org.assertj.core.groups.Tuple.tuple("G1/E1/Flags", "[false,true,true]"),
            org.assertj.core.groups.Tuple.tuple("G1/E1/Names", "[\"a\",\"bc\"]"),
            org.assertj.core.groups.Tuple.tuple("G1/E1/Id", "123e4567-e89b-12d3-a456-426614174000"),
            org.assertj.core.groups.Tuple.tuple("G1/E1/Counts", "[4000000000,1]"));
        assertThat(counters.rejected.get()).isZero();
    }

    @Test
    void arraysFollowTheSpecsLittleEndianExamples() {
        // Sparkplug 3.0 datatype details: Int16Array [-30000, 30000] -> D0 8A 30 75; BooleanArray bit order
        assertThat(SparkplugText.array(new byte[] {(byte) 0xD0, (byte) 0x8A, 0x30, 0x75}, SparkplugTypes.INT16_ARRAY))
            .hasToString("[-30000,30000]");
        assertThat(SparkplugText.array(new byte[] {0x0C, 0, 0, 0, 0x34, (byte) 0xD0}, SparkplugTypes.BOOLEAN_ARRAY))
            .hasToString("[false,false,true,true,false,true,false,false,true,true,false,true]");
        assertThat(SparkplugText.array(new byte[] {0x34, 0, 0, 0, 0x49, (byte) 0xFB, 0x55, (byte) 0xC4},
            SparkplugTypes.UINT32_ARRAY)).hasToString("[52,3293969225]");
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(-1);
        assertThat(SparkplugText.array(b.array(), SparkplugTypes.UINT64_ARRAY)).hasToString("[18446744073709551615]");
    }

    @Test
    void brokenArraysAreRejected() throws Exception {
        SparkplugHandler h = handler();
        h.onMessage(NBIRTH, Payload.newBuilder().setSeq(0).setTimestamp(T0)
            .addMetrics(Payload.Metric.newBuilder().setName("odd").setDatatype(SparkplugTypes.INT32_ARRAY)
                .setBytesValue(ByteString.copyFrom(new byte[7])))
            .addMetrics(Payload.Metric.newBuilder().setName("open").setDatatype(SparkplugTypes.STRING_ARRAY)
                .setBytesValue(ByteString.copyFromUtf8("abc")))
            .build().toByteArray());
        assertThat(sink.rejected()).extracting(RecordingSink.Rejected::reason).containsExactly(
            "metric 'odd': Int32Array of 7 bytes is not a whole number of 4-byte elements",
            "metric 'open': StringArray does not end with a NUL byte");
    }

    @Test
    void aLostConnectionMarksEverythingStaleAndTheResubscriptionAsksForBirths() throws Exception {
        SparkplugHandler h = bornWithAllNumbers();
        h.connectionLost(42L);
        assertThat(sink.stale()).hasSize(13).allSatisfy(s -> assertThat(s.t()).isEqualTo(42L));
        assertThat(rebirths).isEmpty();
        h.subscribed();
        assertThat(rebirths).containsExactly("G1/E1");
        h.subscribed();
        assertThat(rebirths).as("once per lost connection").hasSize(1);
        send(h, DDATA, data(19, MetricDataType.Double, 1.0, T0));
        assertThat(sink.rejected()).singleElement().extracting(RecordingSink.Rejected::reason).asString()
            .contains("the connection to the broker was lost");
    }
}
