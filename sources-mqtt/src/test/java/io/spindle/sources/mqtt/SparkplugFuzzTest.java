package io.spindle.sources.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.spindle.sources.SourceCounters;
import io.spindle.testkit.Fuzz;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.junit.jupiter.api.Test;

/**
 * Sparkplug B payloads from the broker are outside input: mutated births, data and deaths (Tahu-encoded seeds) go
 * through one long-lived session handler; nothing may escape it (bad payloads are counted and rejected).
 */
class SparkplugFuzzTest {
    private static final String[] TOPICS = {"spBv1.0/G1/NBIRTH/E1", "spBv1.0/G1/NDATA/E1", "spBv1.0/G1/DBIRTH/E1/D1",
            "spBv1.0/G1/DDATA/E1/D1", "spBv1.0/G1/NDEATH/E1", "spBv1.0/G1/DDEATH/E1/D1"};

    @Test
    void mutatedPayloadsNeverEscapeTheHandler() throws Exception {
        SparkplugBPayloadEncoder enc = new SparkplugBPayloadEncoder();
        List<byte[]> seeds = new ArrayList<>();
        long t0 = 1_700_000_000_000L;
        for (int s = 0; s < 4; s++) {
            SparkplugBPayload.SparkplugBPayloadBuilder b = new SparkplugBPayload.SparkplugBPayloadBuilder().setTimestamp(new Date(t0)).setSeq((long) s);
            b.addMetric(new Metric.MetricBuilder("bdSeq", MetricDataType.Int64, (long) s).timestamp(new Date(t0)).createMetric());
            b.addMetric(new Metric.MetricBuilder("Temperature", MetricDataType.Double, 21.5 + s).alias(10L).timestamp(new Date(t0)).createMetric());
            b.addMetric(new Metric.MetricBuilder("Count", MetricDataType.Int64, 7L * s).alias(11L).timestamp(new Date(t0)).createMetric());
            b.addMetric(new Metric.MetricBuilder("Mode", MetricDataType.String, "AUTO").alias(12L).timestamp(new Date(t0)).createMetric());
            b.addMetric(new Metric.MetricBuilder("Running", MetricDataType.Boolean, s % 2 == 0).alias(13L).timestamp(new Date(t0)).createMetric());
            b.addMetric(new Metric.MetricBuilder("Speed", MetricDataType.Float, 1.5f * s).alias(14L).timestamp(new Date(t0)).createMetric());
            seeds.add(enc.getBytes(b.createPayload(), false));
            seeds.add(enc.getBytes(b.createPayload(), true));
        }
        RecordingSink sink = new RecordingSink();
        SparkplugCounters sp = new SparkplugCounters();
        int[] topic = {0};
        SparkplugHandler h = new SparkplugHandler(new Emitter("fuzz", sink, new SourceCounters()), sp, SeriesNaming.FULL, true, 0,
                (g, e) -> { }, System::currentTimeMillis);
        Fuzz.Report r = Fuzz.run("sparkplug", seeds, e -> false, in -> {
            h.onMessage(TOPICS[topic[0]++ % TOPICS.length], in);
            if (sink.size() > 100_000) sink.clear(); // the sink records everything: keep the heap flat on long runs
        });
        assertThat(r.inputs()).isGreaterThanOrEqualTo(Fuzz.DEFAULT_INPUTS);
    }
}
