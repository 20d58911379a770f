package io.spindle.sources.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Plain JSON topics through a real Mosquitto, next to a Sparkplug group, configured by string keys. */
class MqttSourceJsonTest {
    private MosquittoBroker broker;
    private MqttSource source;
    private Mqtt3BlockingClient publisher;
    private final RecordingSink sink = new RecordingSink();

    @BeforeEach
    void start() throws Exception {
        broker = MosquittoBroker.start();
        source = MqttSource.fromConfig(Map.of("broker", broker.url(), "client_id", "json-" + System.nanoTime(),
            "groups", "G1", "json_topics", "plant/#, cells/+/state", "qos", "1"));
        source.start(sink);
        RecordingSink.awaitTrue(() -> source.counters().connected(), "the source to subscribe");
        publisher = MqttClient.builder().useMqttVersion3().identifier("pub-" + System.nanoTime())
            .serverHost("127.0.0.1").serverPort(broker.port()).buildBlocking();
        publisher.connect();
    }

    @AfterEach
    void stop() throws Exception {
        if (publisher != null && publisher.getState().isConnected()) publisher.disconnect();
        if (source != null) source.close();
        if (broker != null) broker.close();
    }

    private void publish(String topic, String json) {
        publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(json.getBytes(StandardCharsets.UTF_8))
            .send();
    }

    @Test
    void bothShapesArriveAndBadPayloadsAreCounted() {
        publish("plant/line1/temp", "{\"t\": 1714557600123, \"v\": 71.5}");
        publish("plant/line1/temp", "not json");
        publish("cells/c1/state", "{\"mode\": \"AUTO\", \"spindle\": {\"load\": 42}, \"timestamp\": \"2024-05-01T10:00:00Z\"}");
        publish("plant/other", "{\"t\": \"soon\", \"v\": 1}");
        publish("plant/line1/temp", "{\"t\": 1714557600124, \"v\": 72}");
        sink.awaitSample(s -> s.v() == 72, "the last sample");

        assertThat(sink.samples()).containsExactly(
            new RecordingSink.Sample("plant/line1/temp", 1_714_557_600_123_000_000L, 71.5),
            new RecordingSink.Sample("cells/c1/state/spindle/load", 1_714_557_600_000_000_000L, 42),
            new RecordingSink.Sample("plant/line1/temp", 1_714_557_600_124_000_000L, 72));
        assertThat(sink.events()).containsExactly(
            new RecordingSink.Event("cells/c1/state/mode", 1_714_557_600_000_000_000L, "AUTO"));
        assertThat(sink.rejected()).extracting(RecordingSink.Rejected::input, RecordingSink.Rejected::reason)
            .satisfiesExactly(
                r -> assertThat(r.toList()).containsExactly("plant/line1/temp",
                    "malformed JSON (8 bytes): Unrecognized token 'not': was expecting (JSON String, Number, "
                        + "Array, Object or token 'null', 'true' or 'false')"),
                r -> assertThat(r.toList().get(1).toString()).startsWith("\"t\": 'soon' is not ISO-8601"));
        assertThat(source.counters().rejected.get()).isEqualTo(2);
        assertThat(source.counters().samples.get()).isEqualTo(3);
        assertThat(source.counters().events.get()).isEqualTo(1);
    }

    @Test
    void aSinkThatThrowsDoesNotEndTheSource() throws Exception {
        RecordingSink after = new RecordingSink();
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        try (MqttSource s = MqttSource.fromConfig(Map.of("broker", broker.url(), "json_topics", "fragile/#"))) {
            s.start(new io.spindle.sources.SourceSink() {
                @Override
                public void sample(String series, long tNanos, double value) {
                    if (calls.incrementAndGet() == 1) throw new IllegalStateException("store is full");
                    after.sample(series, tNanos, value);
                }

                @Override
                public void event(String series, long tNanos, String value) {
                }

                @Override
                public void rejected(String source, String input, String reason) {
                }
            });
            RecordingSink.awaitTrue(() -> s.counters().connected(), "the second source to subscribe");
            publish("fragile/a", "{\"v\": 1}");
            publish("fragile/a", "{\"v\": 2}");
            after.awaitSample(x -> x.v() == 2, "the sample after the failure");
            assertThat(s.counters().lastError()).contains("sink failed", "store is full");
        }
    }
}
