package io.spindle.sources.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.spindle.sources.SourceCounters;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The two JSON shapes, their times, and refusals of what fits neither. */
class JsonTopicHandlerTest {
    private final RecordingSink sink = new RecordingSink();
    private final SourceCounters counters = new SourceCounters();
    private final JsonTopicHandler h = new JsonTopicHandler(new Emitter("json", sink, counters), () -> 5_000L);

    private void send(String topic, String json) {
        h.onMessage(topic, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void valueShapeNamesTheSeriesAfterTheTopic() {
        send("plant/line1/temp", "{\"t\": 1700000000123, \"v\": 21.5}");
        send("plant/line1/temp", "{\"v\": 22}");
        send("plant/line1/temp", "{\"t\": \"2024-05-01T12:00:00.000000250+02:00\", \"v\": true}");
        send("plant/line1/temp", "{\"t\": 1700000000123.456789, \"v\": -1e3}");
        assertThat(sink.samples()).containsExactly(
            new RecordingSink.Sample("plant/line1/temp", 1_700_000_000_123_000_000L, 21.5),
            new RecordingSink.Sample("plant/line1/temp", 5_000_000_000L, 22),
            new RecordingSink.Sample("plant/line1/temp", 1_714_557_600_000_000_250L, 1),
            new RecordingSink.Sample("plant/line1/temp", 1_700_000_000_123_456_789L, -1000));
    }

    @Test
    void objectShapeFlattensKeysUnderTheTopic() {
        send("m1", "{\"spindle\": {\"load\": 12.5, \"rpm\": 8000}, \"mode\": \"AUTO\", \"alarms\": [1, 2],"
            + " \"door\": null, \"timestamp\": \"2024-05-01T10:00:00Z\"}");
        send("m1", "{\"mode\": \"AUTO\", \"timestamp\": 1714557600001}");
        long t = 1_714_557_600_000_000_000L;
        assertThat(sink.samples()).containsExactly(
            new RecordingSink.Sample("m1/spindle/load", t, 12.5),
            new RecordingSink.Sample("m1/spindle/rpm", t, 8000));
        assertThat(sink.events()).containsExactly(
            new RecordingSink.Event("m1/mode", t, "AUTO"),
            new RecordingSink.Event("m1/alarms", t, "[1,2]"));
        assertThat(sink.stale()).containsExactly(new RecordingSink.Stale("m1/door", t));
        assertThat(counters.samples.get()).isEqualTo(2);
        assertThat(counters.events.get()).as("the second AUTO is no change").isEqualTo(2);
    }

    @Test
    void whatFitsNeitherShapeIsRejectedNamingTheTopicAndReason() {
        send("a", "{\"v\": 1,");
        send("a", "[1, 2]");
        send("a", "{\"t\": \"yesterday\", \"v\": 1}");
        send("a", "{\"t\": \"2024-05-01T10:00:00\", \"v\": 1}");
        send("a", "{\"v\": {\"x\": 1}}");
        send("a", "{\"x\": 1e400}");
        send("a", "{\"x\": 1, \"timestamp\": true}");
        send("a", "{\"t\": 1e30, \"v\": 1}");
        send("a", "");
        assertThat(sink.rejected()).allSatisfy(r -> assertThat(r.input()).isEqualTo("a"))
            .extracting(RecordingSink.Rejected::reason).satisfiesExactly(
                r -> assertThat(r).startsWith("malformed JSON (8 bytes): Unexpected end-of-input"),
                r -> assertThat(r).isEqualTo("payload must be a JSON object, got ARRAY"),
                r -> assertThat(r).startsWith("\"t\": 'yesterday' is not ISO-8601"),
                r -> assertThat(r).startsWith("\"t\": '2024-05-01T10:00:00' is not ISO-8601 with an offset"),
                r -> assertThat(r).startsWith("\"v\" must be a number"),
                r -> assertThat(r).isEqualTo("a/x: 1E+400 is beyond the range of a double"),
                r -> assertThat(r).isEqualTo("\"timestamp\": must be epoch milliseconds or an ISO-8601 string, got BOOLEAN"),
                r -> assertThat(r).startsWith("\"t\": 1E+30 ms is outside"),
                r -> assertThat(r).isEqualTo("empty payload: expected a JSON object"));
        assertThat(counters.rejected.get()).isEqualTo(9);
        assertThat(sink.samples()).isEmpty();
    }

    @Test
    void aLostConnectionMarksTheNumericSeriesStale() {
        send("a", "{\"x\": 1, \"s\": \"on\"}");
        h.connectionLost(99L);
        assertThat(sink.stale()).containsExactly(new RecordingSink.Stale("a/x", 99L));
    }
}
