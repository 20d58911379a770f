package io.spindle.providers.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spindle.codec.SampleBatch;
import io.spindle.codec.SampleBatchCodec;
import io.spindle.lattice.Subjects;
import io.spindle.lattice.transport.DurableStream;
import io.spindle.lattice.transport.InProcessTransport;
import io.spindle.providers.ProviderContext;
import io.spindle.sources.Source;
import io.spindle.sources.SourceCounters;
import io.spindle.sources.SourceSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SourceProviderTest {
    private final InProcessTransport transport = new InProcessTransport();
    private final Subjects subjects = new Subjects("t");
    private final DurableStream stream = transport.stream(subjects.dataStream(), List.of(subjects.dataSubjects()));

    /** A source that hands what the test scripts to the sink when started, then idles. */
    private static final class ScriptedSource implements Source {
        private final Consumer<SourceSink> script;
        private final SourceCounters counters = new SourceCounters();
        volatile boolean closed;

        ScriptedSource(Consumer<SourceSink> script) {
            this.script = script;
        }

        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public void start(SourceSink sink) {
            script.accept(sink);
        }

        @Override
        public SourceCounters counters() {
            return counters;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private record Msg(String subject, byte[] data) {
    }

    private List<Msg> published() throws Exception {
        List<Msg> out = new CopyOnWriteArrayList<>();
        try (AutoCloseable c = stream.consume(subjects.dataSubjects(), 1, (seq, subj, data) -> out.add(new Msg(subj, data)))) {
            long end = System.nanoTime() + 2_000_000_000L;
            while (out.size() < stream.lastSequence() && System.nanoTime() < end) Thread.sleep(2);
        }
        return out;
    }

    @AfterEach
    void close() {
        transport.close();
    }

    private SourceProvider provider(Map<String, String> cfg, Consumer<SourceSink> script) {
        return new SourceProvider(new ProviderContext("src", transport, subjects, cfg, null), "spindle:test", own -> {
            assertThat(own).doesNotContainKeys(SourceProvider.KEYS.toArray(String[]::new));
            return new ScriptedSource(script);
        });
    }

    @Test
    void samplesAreBatchedPerSeriesAndTheRestGoesOutOnLingerOrClose() throws Exception {
        long[] t = new long[250];
        double[] v = new double[250];
        for (int i = 0; i < 250; i++) {
            t[i] = 1_000_000_000L * 1_700_000_000L + i * 1_000_000L;
            v[i] = i * 0.5;
        }
        SourceProvider p = provider(Map.of("batch", "100", "linger-ms", "60000"), sink -> {
            sink.samples("m/a", t, v, 250);
            for (int i = 0; i < 30; i++) sink.sample("m/b", t[i], -v[i]);
        });
        assertThat(p.stats().batches()).isEqualTo(2); // two full batches of m/a at once, the rest waits
        p.close();
        List<Msg> msgs = published();
        assertThat(msgs).extracting(Msg::subject).containsExactly("spindle.data.t.raw.m/a", "spindle.data.t.raw.m/a",
                "spindle.data.t.raw.m/a", "spindle.data.t.raw.m/b");
        SampleBatch b = new SampleBatch();
        List<Double> a = new ArrayList<>();
        for (Msg m : msgs.subList(0, 3)) {
            SampleBatchCodec.decode(m.data(), b);
            assertThat(b.series()).isEqualTo("m/a");
            for (int i = 0; i < b.count(); i++) a.add(b.value(i));
        }
        assertThat(a).hasSize(250).startsWith(0.0, 0.5).endsWith(124.5);
        SourceProvider.Stats st = p.stats();
        assertThat(st.samples()).isEqualTo(280);
        assertThat(st.wireBytes()).isEqualTo(msgs.stream().mapToLong(m -> m.data().length).sum());
    }

    @Test
    void lingeringBatchesAreFlushedWithoutMoreInput() throws Exception {
        SourceProvider p = provider(Map.of("linger-ms", "20"), sink -> sink.sample("m/a", 1, 1.0));
        long end = System.nanoTime() + 2_000_000_000L;
        while (p.stats().batches() == 0 && System.nanoTime() < end) Thread.sleep(2);
        assertThat(p.stats().batches()).isEqualTo(1);
        p.close();
    }

    @Test
    void nonFiniteValuesAreRefusedAndCountedEventsAndStaleGoToTheEventSubjects() throws Exception {
        SourceProvider p = provider(Map.of(), sink -> {
            sink.sample("m/a", 1, Double.NaN);
            sink.samples("m/a", new long[] {2, 3, 4}, new double[] {1, Double.POSITIVE_INFINITY, 3}, 3);
            sink.sample("m/a", 5, 5);
            sink.event("m/state", 6, "ACTIVE");
            sink.stale("m/a", 7);
            sink.rejected("scripted", "line 9: x|y", "bad timestamp");
        });
        p.close();
        SourceProvider.Stats st = p.stats();
        assertThat(st.samples()).isEqualTo(3);
        assertThat(st.rejected()).isEqualTo(3);
        assertThat(st.events()).isEqualTo(2);
        assertThat(st.lastRejection()).isEqualTo("line 9: x|y: bad timestamp");
        List<Msg> msgs = published();
        // the stale mark of m/a follows m/a's samples: the provider publishes a series' pending samples first
        assertThat(msgs).extracting(Msg::subject).containsExactly("spindle.data.t.event.m/state", "spindle.data.t.raw.m/a",
                "spindle.data.t.event.m/a");
        assertThat(EventMessage.decode(msgs.get(0).data())).isEqualTo(new EventMessage("m/state", 6, "ACTIVE"));
        assertThat(EventMessage.decode(msgs.get(2).data())).isEqualTo(new EventMessage("m/a", 7, "STALE"));
        SampleBatch b = new SampleBatch();
        SampleBatchCodec.decode(msgs.get(1).data(), b);
        assertThat(b.count()).isEqualTo(3);
        assertThat(b.value(0)).isEqualTo(1.0);
        assertThat(b.value(2)).isEqualTo(5.0);
    }

    @Test
    void badSettingsAreRefusedByName() {
        assertThatThrownBy(() -> provider(Map.of("batch", "0"), s -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch '0' must be an integer in [1, 1048576]");
        assertThatThrownBy(() -> provider(Map.of("publish-prefix", "elsewhere.raw"), s -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("publish-prefix 'elsewhere.raw' must be a subject in the lattice's data subjects");
        assertThatThrownBy(() -> new SourceProvider(new ProviderContext("src", transport, subjects, Map.of("colour", "red"), null),
                "spindle:test", own -> {
                    throw new IllegalArgumentException("colour: unknown setting");
                })).isInstanceOf(IllegalArgumentException.class).hasMessage("colour: unknown setting");
    }

    @Test
    void eventMessagesRefuseMalformedBodies() {
        assertThatThrownBy(() -> EventMessage.decode("nope".getBytes())).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> EventMessage.decode("{\"series\":\"a\",\"value\":\"x\"}".getBytes())).hasMessageContaining("no integer t");
        assertThatThrownBy(() -> EventMessage.decode("[1]".getBytes())).hasMessageContaining("not a JSON object");
    }
}
