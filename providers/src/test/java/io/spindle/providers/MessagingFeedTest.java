package io.spindle.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spindle.codec.SampleBatchCodec;
import io.spindle.lattice.Subjects;
import io.spindle.lattice.transport.DurableStream;
import io.spindle.lattice.transport.InProcessTransport;
import io.spindle.wasm.Emitted;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Feeds: durable from an offset on, plain subscriptions, undecodable messages and refusals skipped and counted. */
class MessagingFeedTest {
    final InProcessTransport transport = new InProcessTransport();
    final Subjects subjects = new Subjects("test");
    final SampleBatchCodec codec = new SampleBatchCodec();

    @AfterEach
    void close() {
        transport.close();
    }

    /** Records what it is given; refuses series "refuse". */
    static final class Recorder implements ProcessorTarget {
        final List<String> seen = new CopyOnWriteArrayList<>();
        final long resumeAfter;

        Recorder(long resumeAfter) {
            this.resumeAfter = resumeAfter;
        }

        @Override
        public String componentId() {
            return "rec";
        }

        @Override
        public long resumeAfter(String input) {
            return resumeAfter;
        }

        @Override
        public void process(String input, long offset, List<SeriesBatch> batches, EmittedSink sink) throws Exception {
            for (SeriesBatch b : batches) {
                if (b.series().equals("refuse")) throw new IllegalStateException("refused " + b.series());
                seen.add(input + "@" + offset + ":" + b.series() + "/" + b.count() + "/" + (b.count() > 0 ? b.times()[b.count() - 1] : -1));
                sink.accept(b.series(), new Emitted());
            }
        }
    }

    byte[] batch(String series, int n, long t0) {
        long[] t = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = t0 + i;
            v[i] = i;
        }
        return codec.encodeToArray(series, t, v, 0, n);
    }

    static void await(java.util.function.BooleanSupplier c) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("condition not met within 10 s");
            Thread.sleep(5);
        }
    }

    @Test
    void aDurableFeedResumesAfterTheTargetsOffsetInOrder() throws Exception {
        DurableStream ds = transport.stream(subjects.dataStream(), List.of(subjects.dataSubjects()));
        for (int i = 1; i <= 6; i++) ds.publish("spindle.data.test.m" + (i % 2) + ".load", batch("s" + i, i, 100L * i));
        MessagingProvider mp = new MessagingProvider("msg", transport, subjects, Map.of());
        Recorder r = new Recorder(3);
        MessagingProvider.Feed f = mp.feed("msg.default.spindle.telemetry", r, Map.of("subscribe", "spindle.data.test.>"));
        assertThat(f.durable()).isTrue();
        assertThat(f.startedFrom()).isEqualTo(4);
        await(() -> r.seen.size() == 3);
        assertThat(r.seen).containsExactly("msg.default.spindle.telemetry@4:s4/4/403", "msg.default.spindle.telemetry@5:s5/5/504",
                "msg.default.spindle.telemetry@6:s6/6/605");
        ds.publish("spindle.data.test.x", batch("s7", 1, 700));
        await(() -> r.seen.size() == 4 && f.lastOffset() == 7); // the offset moves once process returned
        f.close();
        ds.publish("spindle.data.test.x", batch("s8", 1, 800));
        Thread.sleep(100);
        assertThat(r.seen).hasSize(4);
        assertThat(mp.feeds()).isEmpty();
    }

    @Test
    void filtersDeliverNewAndPlainSubscriptions() throws Exception {
        DurableStream ds = transport.stream(subjects.dataStream(), List.of(subjects.dataSubjects()));
        ds.publish("spindle.data.test.a", batch("old", 1, 1));
        MessagingProvider mp = new MessagingProvider("msg", transport, subjects, Map.of());
        Recorder onlyB = new Recorder(0), fresh = new Recorder(0), plain = new Recorder(0);
        mp.feed("b", onlyB, Map.of("subscribe", "spindle.data.test.b"));
        mp.feed("new", fresh, Map.of("subscribe", "spindle.data.test.>", "deliver", "new"));
        MessagingProvider.Feed p = mp.feed("plain", plain, Map.of("subscribe", "plant.*.load"));
        assertThat(p.durable()).isFalse();
        ds.publish("spindle.data.test.b", batch("b1", 2, 10));
        transport.publish("plant.m1.load", batch("p1", 3, 20));
        transport.publish("plant.m1.other", batch("p2", 3, 20));
        await(() -> onlyB.seen.size() == 1 && fresh.seen.size() == 1 && plain.seen.size() == 1);
        assertThat(onlyB.seen).containsExactly("b@2:b1/2/11");
        assertThat(fresh.seen).containsExactly("new@2:b1/2/11");
        assertThat(plain.seen).containsExactly("plain@-1:p1/3/22");
        mp.close();
        assertThat(mp.feeds()).isEmpty();
    }

    @Test
    void undecodableAndRefusedMessagesAreSkippedAndCounted() throws Exception {
        DurableStream ds = transport.stream(subjects.dataStream(), List.of(subjects.dataSubjects()));
        ds.publish("spindle.data.test.a", "not a batch".getBytes());
        ds.publish("spindle.data.test.a", batch("refuse", 1, 1));
        ds.publish("spindle.data.test.a", batch("ok", 1, 5));
        MessagingProvider mp = new MessagingProvider("msg", transport, subjects, Map.of());
        Recorder r = new Recorder(0);
        MessagingProvider.Feed f = mp.feed("in", r, Map.of("subscribe", "spindle.data.test.>"));
        // the counters move once process returned, a moment after the recorder saw the batch
        await(() -> r.seen.size() == 1 && f.messages() == 1);
        assertThat(r.seen).containsExactly("in@3:ok/1/5");
        assertThat(f.failures()).isEqualTo(2);
        assertThat(f.messages()).isEqualTo(1);
        assertThat(f.lastError()).contains("refused the message on spindle.data.test.a (sequence 2): refused refuse");
        f.close();
    }

    @Test
    void aFeedWithABadConfigDoesNotStart() {
        MessagingProvider mp = new MessagingProvider("msg", transport, subjects, Map.of());
        assertThatThrownBy(() -> mp.feed("in", new Recorder(0), Map.of("subscribe", "x.>", "durable", "true")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not in the lattice's data subjects");
        assertThat(mp.feeds()).isEmpty();
        assertThatThrownBy(() -> new MessagingProvider("m2", transport, subjects, Map.of("publish-allow", "a.>.b")))
                .isInstanceOf(IllegalArgumentException.class);
        List<String> none = new ArrayList<>(mp.checkLinkConfig(Interfaces.PROCESSOR, "c", Map.of("subscribe", "spindle.data.test.in")));
        assertThat(none).isEmpty();
    }
}
