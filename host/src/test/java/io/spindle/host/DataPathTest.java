package io.spindle.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.spindle.lattice.CloudEvent;
import io.spindle.lattice.Link;
import io.spindle.lattice.Subjects;
import io.spindle.lattice.transport.DurableStream;
import io.spindle.lattice.transport.InProcessTransport;
import io.spindle.lattice.transport.Msg;
import io.spindle.lattice.transport.Transport;
import io.spindle.providers.MessagingProvider;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data path in one process: the LTTB component fed from the lattice's durable data stream by the messaging
 * provider equals the Java engine; a host halted (as a crash: no final checkpoint) at several points and replaced
 * resumes from the checkpoint, and its output after de-duplication by (series, t) equals an uninterrupted run;
 * linked interfaces and a failing component through a host.
 */
class DataPathTest {
    static final long BUCKET = 1_000_000; // 1 ms buckets of ~10 samples

    /** Sets up config and links for lttb fed from raw.> and publishing into lttb.<series>, both in the data stream. */
    static void wire(TestLattice lat) {
        String l = lat.lattice;
        lat.client.putConfig("lttb-cfg", Map.of("bucket-nanos", Long.toString(BUCKET)));
        lat.client.putConfig("feed", Map.of("subscribe", "spindle.data." + l + ".raw.>", "publish-prefix", "spindle.data." + l + ".lttb"));
    }

    static void startOn(TestLattice lat, Host h, Map<String, String> annotations) {
        lat.client.startProvider(h.id(), "spindle:messaging", "msg", null);
        lat.client.startComponent(h.id(), TestLattice.lttb(), "lttb", annotations, List.of("lttb-cfg"));
    }

    static Link feedLink() {
        return new Link("msg", "lttb", null, "spindle", "telemetry", List.of("processor"), List.of("feed"), null);
    }

    static void awaitProcessed(Host h, long seq) {
        TestLattice.await("lttb processed up to " + seq, () -> h.feeds().size() == 1 && h.feeds().get(0).lastOffset() >= seq);
    }

    static void checkAgainstJava(TestLattice lat, DurableStream ds, List<Series.Batch> input, boolean expectDuplicates) throws Exception {
        checkAgainstJava(lat, ds, input, expectDuplicates, false);
    }

    /** Output in the stream, deduped by (series, t), equals the Java engine's; duplicates expected, forbidden or (any) allowed. */
    static void checkAgainstJava(TestLattice lat, DurableStream ds, List<Series.Batch> input, boolean expectDuplicates, boolean any) throws Exception {
        Subjects s = new Subjects(lat.lattice);
        List<Map.Entry<String, List<Series.Point>>> published = Series.read(ds, s.dataSubjects(), "spindle.data." + lat.lattice + ".lttb.");
        int[] dups = {0};
        Map<String, List<Series.Point>> got = Series.dedupe(published, dups);
        Map<String, List<Series.Point>> want = Series.javaEngine(input, BUCKET);
        assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(want.keySet());
        for (String series : want.keySet()) {
            assertThat(want.get(series).size()).as("the engine emits something for " + series).isGreaterThan(1000);
            assertThat(got.get(series)).as(series).containsExactlyElementsOf(want.get(series));
        }
        if (any) return;
        if (expectDuplicates) assertThat(dups[0]).as("replays after halts re-emitted points").isPositive();
        else assertThat(dups[0]).isZero();
    }

    @Test
    void lttbFedFromTheDataStreamEqualsTheJavaEngine() throws Exception {
        try (InProcessTransport t = new InProcessTransport(); TestLattice lat = new TestLattice(t, "dp")) {
            Subjects s = new Subjects("dp");
            Host h = lat.host("h", Map.of());
            wire(lat);
            startOn(lat, h, null);
            lat.client.putLink(feedLink());
            DurableStream ds = t.stream(s.dataStream(), List.of(s.dataSubjects()));
            List<Series.Batch> input = Series.batches(1, "spindle.data.dp.raw", List.of("okuma/Xload", "mill/spindle.vib"), 25, 4096);
            long last = Series.publish(ds, input);
            awaitProcessed(h, last);
            assertThat(h.feeds().get(0).failures()).isZero();
            assertThat(h.feeds().get(0).samplesIn()).isEqualTo(50L * 4096);
            checkAgainstJava(lat, ds, input, false);
            // the output subjects are the series names made into tokens
            assertThat(MessagingProvider.seriesSubject("mill/spindle.vib")).isEqualTo("mill/spindle.vib");
        }
    }

    @Test
    void haltedHostsResumeFromTheirCheckpointsAndTheDedupedOutputEqualsAnUninterruptedRun(@TempDir Path dir) throws Exception {
        try (InProcessTransport t = new InProcessTransport(dir.resolve("transport")); TestLattice lat = new TestLattice(t, "ck")) {
            Subjects s = new Subjects("ck");
            DurableStream ds = t.stream(s.dataStream(), List.of(s.dataSubjects()));
            List<Series.Batch> input = Series.batches(2, "spindle.data.ck.raw", List.of("okuma/Xload", "okuma/Sload"), 30, 2048);
            int runs = runWithHalts(lat, () -> t, ds, input, 42);
            assertThat(runs).isGreaterThanOrEqualTo(3);
            checkAgainstJava(lat, ds, input, true);
            // the last checkpoint (clean close) covers the whole input
            Checkpoint c = Checkpoint.decode(t.keyValue(s.checkpointBucket()).get("lttb").orElseThrow().value());
            assertThat(c.offsets()).containsEntry("msg.default.spindle.telemetry", ds.lastSequence() - countOutputs(ds, s));
            assertThat(c.digest()).startsWith("sha256-");
        }
    }

    /**
     * Feeds input to lttb in portions; after each portion (but the last) the host is halted like a crash (no final
     * checkpoint; its own transport closed when it has one) and a new host takes over, restoring the checkpoint.
     * Checkpoints every 7 messages, and a halt never falls on one, so every restart replays some input and re-emits
     * some output. The last host closes cleanly. Returns the number of hosts that ran.
     */
    static int runWithHalts(TestLattice lat, java.util.function.Supplier<Transport> transports, DurableStream ds, List<Series.Batch> input, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int every = 7;
        Map<String, String> ann = Map.of(Host.CHECKPOINT_MESSAGES_ANNOTATION, Integer.toString(every));
        int done = 0, runs = 0;
        while (done < input.size()) {
            Transport own = transports.get();
            Host h = lat.add(lat.builder("run" + runs, own).build().start());
            if (runs == 0) wire(lat);
            startOn(lat, h, ann);
            if (runs == 0) lat.client.putLink(feedLink()); // stored once: every later host applies it from the bucket
            int n = Math.min(input.size() - done, 5 + r.nextInt(14));
            if ((done + n) % every == 0 && done + n < input.size()) n++; // halt between checkpoints: some output is re-emitted
            long last = Series.publish(ds, input.subList(done, done + n));
            done += n;
            awaitProcessed(h, last);
            if (done < input.size()) h.halt(); // as a crash: no final checkpoint, no host_stopped
            else h.close(); // clean: the final checkpoint covers everything
            lat.hosts.remove(h);
            if (own != lat.transport) own.close();
            runs++;
        }
        int restarts = runs - 1;
        TestLattice.await("restores reported", () -> lat.events("checkpoint_restored").size() == restarts);
        return runs;
    }

    @Test
    void aComponentStoppedOnOneHostAndStartedOnAnotherContinuesWithoutRepeats() throws Exception {
        try (InProcessTransport t = new InProcessTransport(); TestLattice lat = new TestLattice(t, "mv")) {
            Subjects s = new Subjects("mv");
            DurableStream ds = t.stream(s.dataStream(), List.of(s.dataSubjects()));
            List<Series.Batch> input = Series.batches(4, "spindle.data.mv.raw", List.of("press/force"), 24, 4096);
            Host a = lat.host("a", Map.of("zone", "edge")), b = lat.host("b", Map.of("zone", "cloud"));
            wire(lat);
            startOn(lat, a, null);
            lat.client.putLink(feedLink());
            awaitProcessed(a, Series.publish(ds, input.subList(0, 10)));
            lat.client.stopComponent(a.id(), "lttb"); // clean stop: its state goes to the checkpoints bucket
            TestLattice.await("unapplied on a", () -> a.feeds().isEmpty());
            startOn(lat, b, null); // b restores it and resumes after the offset a reached
            CloudEvent restored = lat.awaitEvent("checkpoint_restored", e -> e.source().equals(b.id()));
            assertThat(restored.data().path("offsets").path("msg.default.spindle.telemetry").asLong()).isPositive();
            awaitProcessed(b, Series.publish(ds, input.subList(10, input.size())));
            checkAgainstJava(lat, ds, input, false);
        }
    }

    /** Outputs published after the last input message (the last input's sequence = last - outputs after it). */
    private static long countOutputs(DurableStream ds, Subjects s) throws Exception {
        long last = ds.lastSequence();
        long[] lastInput = {0};
        var latch = new java.util.concurrent.CountDownLatch(1);
        AutoCloseable c = ds.consume(s.dataSubjects(), 1, (seq, subject, data) -> {
            if (subject.contains(".raw.")) lastInput[0] = seq;
            if (seq == last) latch.countDown();
        });
        latch.await(10, TimeUnit.SECONDS);
        c.close();
        return last - lastInput[0];
    }

    @Test
    void linkedInterfacesWorkThroughTheHostAndAFailingComponentIsRestarted() throws Exception {
        try (InProcessTransport t = new InProcessTransport(); TestLattice lat = new TestLattice(t, "lk")) {
            Host h = lat.host("h", Map.of());
            lat.client.startProvider(h.id(), "spindle:messaging", "msg", null);
            lat.client.startProvider(h.id(), "spindle:keyvalue", "kv", null);
            lat.client.startComponent(h.id(), TestLattice.linkedGuest(), "kvg", null, null);
            lat.client.putConfig("in", Map.of("subscribe", "in.kvg"));
            lat.client.putLink(new Link("msg", "kvg", null, "spindle", "telemetry", List.of("processor"), List.of("in"), null));
            TestLattice.await("feed", () -> h.feeds().size() == 1);
            LinkedBlockingQueue<Msg> out = new LinkedBlockingQueue<>();
            t.subscribe("guest.out", null, out::add);
            var codec = new io.spindle.codec.SampleBatchCodec();
            java.util.function.BiConsumer<String, Integer> send = (series, n) -> t.publish("in.kvg", codec.encodeToArray(series, new long[n], new double[n], 0, n));

            send.accept("s", 3); // no links for its imports yet: its calls fail, it reports the error
            TestLattice.await("refused", () -> h.feeds().get(0).failures() == 1);
            assertThat(h.feeds().get(0).lastError()).contains("no link grants spindle:keyvalue/store to component 'kvg'");

            lat.client.putLink(new Link("kvg", "kv", null, "spindle", "keyvalue", List.of("store"), null, null));
            lat.client.putLink(new Link("kvg", "msg", null, "spindle", "messaging", List.of("publisher"), null, null));
            TestLattice.await("both applied", () -> h.linkStatus().values().stream().filter("applied"::equals).count() == 3);
            send.accept("s", 4);
            Msg m = out.poll(10, TimeUnit.SECONDS);
            assertThat(m).isNotNull();
            assertThat(new String(m.data(), StandardCharsets.UTF_8)).isEqualTo("s");
            byte[] count = t.keyValue("SPINDLE_KV_lk").get("kvg.count").orElseThrow().value();
            assertThat(ByteBuffer.wrap(count).order(ByteOrder.LITTLE_ENDIAN).getLong()).isEqualTo(4);

            // an ABI violation stops the instance; the host restarts it from its checkpoint and it goes on
            send.accept("bad", 1);
            CloudEvent failed = lat.awaitEvent("health_check_failed", e -> e.data().path("id").asText().equals("kvg"));
            assertThat(failed.data().path("message").asText()).contains("messaging.publish: subject [4294967280, 4294967380) lies outside linear memory");
            TestLattice.await("restarted", () -> h.componentFailure("kvg").isEmpty() && h.feeds().size() == 1 && h.linkStatus().values().stream()
                    .filter("applied"::equals).count() == 3);
            lat.awaitEvent("health_check_passed", e -> e.data().path("id").asText().equals("kvg") && e.time().compareTo(failed.time()) >= 0);
            out.clear();
            send.accept("s2", 2);
            Msg m2 = out.poll(10, TimeUnit.SECONDS);
            assertThat(m2).isNotNull();
            assertThat(new String(m2.data(), StandardCharsets.UTF_8)).isEqualTo("s2");

            // unlinking takes the grant away again
            lat.client.deleteLink("kvg", "default", "spindle", "messaging");
            TestLattice.await("unapplied", () -> !h.linkStatus().containsKey("kvg.default.spindle.messaging"));
            long before = h.feeds().get(0).failures();
            send.accept("s3", 1);
            TestLattice.await("refused again", () -> h.feeds().get(0).failures() == before + 1);
            assertThat(h.feeds().get(0).lastError()).contains("no link grants spindle:messaging/publisher to component 'kvg'");
        }
    }
}
