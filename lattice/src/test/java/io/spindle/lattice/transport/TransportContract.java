package io.spindle.lattice.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The behaviour every {@link Transport} must have; one subclass per implementation. Each test works on its own
 * subjects, bucket and stream (prefixed with a unique id), so a shared server is fine.
 */
abstract class TransportContract {
    protected Transport transport;
    protected String id;

    /** A fresh transport (a new connection for NATS). */
    protected abstract Transport open() throws Exception;

    @BeforeEach
    void setUp(TestInfo info) throws Exception {
        id = info.getTestMethod().orElseThrow().getName() + System.nanoTime() % 1_000_000;
        transport = open();
    }

    @AfterEach
    void tearDown() {
        if (transport != null) transport.close();
    }

    static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    static String s(byte[] b) {
        return new String(b, UTF_8);
    }

    /** Polls until condition holds (at most 10 s). */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(5);
        }
    }

    static List<String> subjects(List<Msg> msgs) {
        return msgs.stream().map(Msg::subject).toList();
    }

    @Test
    void publishSubscribeWithWildcards() throws Exception {
        String p = "t." + id;
        List<Msg> star = new CopyOnWriteArrayList<>(), tail = new CopyOnWriteArrayList<>(), exact = new CopyOnWriteArrayList<>();
        transport.subscribe(p + ".*.x", null, star::add);
        transport.subscribe(p + ".>", null, tail::add);
        transport.subscribe(p + ".a", null, exact::add);
        transport.flush(Duration.ofSeconds(2));
        for (String subj : List.of(p + ".a", p + ".a.x", p + ".b.x", p + ".a.b.x", p)) transport.publish(subj, b(subj));
        transport.publish(p + ".end", b("end"));
        transport.flush(Duration.ofSeconds(2));
        await("the tail subscription's 5 messages", () -> tail.size() == 5);
        Thread.sleep(50);
        assertThat(subjects(tail)).containsExactly(p + ".a", p + ".a.x", p + ".b.x", p + ".a.b.x", p + ".end");
        assertThat(subjects(star)).containsExactly(p + ".a.x", p + ".b.x");
        assertThat(subjects(exact)).containsExactly(p + ".a");
        assertThat(s(exact.get(0).data())).isEqualTo(p + ".a");
        assertThat(exact.get(0).replyTo()).isNull();
    }

    @Test
    void deliveryPerSubscriptionIsOrderedAndSurvivesHandlerExceptions() throws Exception {
        String subj = "t." + id;
        List<Integer> got = new CopyOnWriteArrayList<>();
        transport.subscribe(subj, null, m -> {
            int n = Integer.parseInt(s(m.data()));
            got.add(n);
            if (n % 100 == 7) throw new IllegalStateException("handler failure on purpose " + n);
        });
        transport.flush(Duration.ofSeconds(2));
        for (int i = 0; i < 1000; i++) transport.publish(subj, b(Integer.toString(i)));
        transport.flush(Duration.ofSeconds(2));
        await("1000 messages", () -> got.size() == 1000);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 1000; i++) expected.add(i);
        assertThat(got).isEqualTo(expected);
    }

    @Test
    void closedSubscriptionStopsDelivery() throws Exception {
        String subj = "t." + id;
        List<Msg> got = new CopyOnWriteArrayList<>();
        Subscription sub = transport.subscribe(subj, null, got::add);
        assertThat(sub.subject()).isEqualTo(subj);
        transport.flush(Duration.ofSeconds(2));
        transport.publish(subj, b("1"));
        await("first", () -> got.size() == 1);
        sub.close();
        transport.flush(Duration.ofSeconds(2));
        transport.publish(subj, b("2"));
        transport.flush(Duration.ofSeconds(2));
        Thread.sleep(100);
        assertThat(got).hasSize(1);
    }

    @Test
    void queueGroupDeliversEachMessageToOneMember() throws Exception {
        String subj = "t." + id + ".work";
        AtomicInteger[] members = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
        for (AtomicInteger m : members) transport.subscribe(subj, "workers", msg -> m.incrementAndGet());
        AtomicInteger plain = new AtomicInteger();
        transport.subscribe("t." + id + ".*", null, msg -> plain.incrementAndGet());
        transport.flush(Duration.ofSeconds(2));
        for (int i = 0; i < 60; i++) transport.publish(subj, b("job" + i));
        transport.flush(Duration.ofSeconds(2));
        await("60 for the plain subscriber", () -> plain.get() == 60);
        await("60 over the group", () -> members[0].get() + members[1].get() + members[2].get() == 60);
        Thread.sleep(100);
        assertThat(members[0].get() + members[1].get() + members[2].get()).isEqualTo(60);
        assertThat(List.of(members).stream().filter(m -> m.get() > 0).count()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void requestReply() throws Exception {
        String subj = "t." + id + ".echo";
        transport.subscribe(subj, "ctl", m -> transport.publish(m.replyTo(), b("re:" + s(m.data()))));
        transport.flush(Duration.ofSeconds(2));
        Msg reply = transport.request(subj, b("hello"), Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        assertThat(s(reply.data())).isEqualTo("re:hello");
        // many in flight at once, each gets its own answer
        List<java.util.concurrent.CompletableFuture<Msg>> fs = new ArrayList<>();
        for (int i = 0; i < 50; i++) fs.add(transport.request(subj, b("n" + i), Duration.ofSeconds(5)));
        for (int i = 0; i < 50; i++) assertThat(s(fs.get(i).get(10, TimeUnit.SECONDS).data())).isEqualTo("re:n" + i);
    }

    @Test
    void requestWithoutRespondersFailsAtOnce() {
        String subj = "t." + id + ".nobody";
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> transport.request(subj, b("x"), Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(TransportException.class).hasMessage("no responders for " + subj);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void requestTimesOut() throws Exception {
        String subj = "t." + id + ".silent";
        transport.subscribe(subj, null, m -> { /* never answers */ });
        transport.flush(Duration.ofSeconds(2));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> transport.request(subj, b("x"), Duration.ofMillis(200)).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(TransportException.class).hasMessage("request to " + subj + " timed out after 200 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(150), Duration.ofSeconds(3));
    }

    @Test
    void requestManyCollectsEveryReplyInTheWindow() throws Exception {
        String subj = "t." + id + ".hosts";
        for (int i = 0; i < 3; i++) {
            String name = "host" + i;
            transport.subscribe(subj, null, m -> transport.publish(m.replyTo(), b(name)));
        }
        transport.flush(Duration.ofSeconds(2));
        List<Msg> replies = transport.requestMany(subj, b(""), Duration.ofMillis(500));
        assertThat(replies.stream().map(m -> s(m.data())).sorted().toList()).containsExactly("host0", "host1", "host2");
        assertThat(transport.requestMany("t." + id + ".none", b(""), Duration.ofMillis(100))).isEmpty();
    }

    @Test
    void inboxesAreUnique() {
        String a = transport.newInbox(), c = transport.newInbox();
        assertThat(a).isNotEqualTo(c);
        assertThat(SubjectMatcher.isValid(a, false)).isTrue();
    }

    @Test
    void keyValuePutGetDeleteKeys() {
        KeyValueBucket kv = transport.keyValue("T_" + id);
        assertThat(kv.name()).isEqualTo("T_" + id);
        assertThat(kv.get("a")).isEmpty();
        assertThat(kv.keys()).isEmpty();
        long r1 = kv.put("a", b("1"));
        long r2 = kv.put("b.c", b("2"));
        long r3 = kv.put("a", b("3"));
        assertThat(r1).isPositive();
        assertThat(r2).isGreaterThan(r1);
        assertThat(r3).isGreaterThan(r2);
        KvEntry a = kv.get("a").orElseThrow();
        assertThat(s(a.value())).isEqualTo("3");
        assertThat(a.revision()).isEqualTo(r3);
        assertThat(a.key()).isEqualTo("a");
        assertThat(a.bucket()).isEqualTo("T_" + id);
        assertThat(a.deleted()).isFalse();
        assertThat(kv.keys()).containsExactlyInAnyOrder("a", "b.c");
        kv.delete("a");
        kv.delete("never-existed");
        assertThat(kv.get("a")).isEmpty();
        assertThat(kv.keys()).containsExactly("b.c");
        assertThat(kv.put("a", b("4"))).isGreaterThan(r3);
        assertThat(s(kv.get("a").orElseThrow().value())).isEqualTo("4");
        assertThat(transport.keyValue("T_" + id).get("b.c")).isPresent(); // same bucket again
        assertThatThrownBy(() -> kv.put("bad key", b("x"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keyValueCompareAndSet() {
        KeyValueBucket kv = transport.keyValue("T_" + id);
        long r1 = kv.update("lease", b("me"), 0);
        assertThat(r1).isPositive();
        assertThat(kv.update("lease", b("you"), 0)).isEqualTo(-1);
        long r2 = kv.update("lease", b("me again"), r1);
        assertThat(r2).isGreaterThan(r1);
        assertThat(kv.update("lease", b("stale"), r1)).isEqualTo(-1);
        assertThat(s(kv.get("lease").orElseThrow().value())).isEqualTo("me again");
        kv.delete("lease");
        long r3 = kv.update("lease", b("after delete"), 0);
        assertThat(r3).isGreaterThan(r2);
        assertThat(kv.update("other", b("x"), 12345)).isEqualTo(-1);
        assertThat(kv.get("other")).isEmpty();
    }

    @Test
    void keyValueWatchDeliversCurrentThenCaughtUpThenChanges() throws Exception {
        KeyValueBucket kv = transport.keyValue("T_" + id);
        kv.put("x", b("1"));
        kv.put("y", b("2"));
        kv.put("gone", b("3"));
        kv.delete("gone");
        kv.put("x", b("4"));
        List<String> events = new CopyOnWriteArrayList<>();
        List<Long> revisions = new CopyOnWriteArrayList<>();
        AtomicBoolean caughtUp = new AtomicBoolean();
        AutoCloseable watch = kv.watch(new KvWatcher() {
            @Override
            public void onEntry(KvEntry e) {
                events.add(e.deleted() ? "del " + e.key() : e.key() + "=" + s(e.value()));
                revisions.add(e.revision());
            }

            @Override
            public void caughtUp() {
                events.add("caught-up");
                caughtUp.set(true);
            }
        });
        await("caught up", caughtUp::get);
        assertThat(events).containsExactly("y=2", "x=4", "caught-up");
        kv.put("z", b("5"));
        kv.delete("y");
        kv.update("x", b("6"), kv.get("x").orElseThrow().revision());
        await("three changes", () -> events.size() == 6);
        assertThat(events.subList(3, 6)).containsExactly("z=5", "del y", "x=6");
        List<Long> sorted = new ArrayList<>(revisions);
        Collections.sort(sorted);
        assertThat(revisions).isEqualTo(sorted);
        watch.close();
        kv.put("after", b("close"));
        Thread.sleep(100);
        assertThat(events).hasSize(6);
    }

    @Test
    void keyValueWatchOfEmptyBucketCatchesUp() throws Exception {
        KeyValueBucket kv = transport.keyValue("T_" + id);
        CopyOnWriteArrayList<String> events = new CopyOnWriteArrayList<>();
        try (AutoCloseable w = kv.watch(new KvWatcher() {
            @Override
            public void onEntry(KvEntry e) {
                events.add(e.key());
            }

            @Override
            public void caughtUp() {
                events.add("caught-up");
            }
        })) {
            await("caught up", () -> events.contains("caught-up"));
            kv.put("k", b("v"));
            await("k", () -> events.size() == 2);
            assertThat(events).containsExactly("caught-up", "k");
        }
    }

    record Got(long seq, String subject, String data) {
    }

    @Test
    void streamPublishAndConsumeWithFilter() throws Exception {
        String p = "d." + id;
        DurableStream st = transport.stream("S_" + id, List.of(p + ".>"));
        assertThat(st.name()).isEqualTo("S_" + id);
        assertThat(st.lastSequence()).isZero();
        List<Long> seqs = new ArrayList<>();
        for (int i = 1; i <= 6; i++) seqs.add(st.publish(p + (i % 2 == 0 ? ".even" : ".odd") + ".m", b("m" + i)));
        assertThat(seqs).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(st.lastSequence()).isEqualTo(6);
        List<Got> even = new CopyOnWriteArrayList<>(), all = new CopyOnWriteArrayList<>();
        try (AutoCloseable c1 = st.consume(p + ".even.*", 1, (seq, subj, data) -> even.add(new Got(seq, subj, s(data))));
             AutoCloseable c2 = st.consume(p + ".>", 1, (seq, subj, data) -> all.add(new Got(seq, subj, s(data))))) {
            await("3 even", () -> even.size() == 3);
            await("6 in all", () -> all.size() == 6);
            assertThat(even).containsExactly(new Got(2, p + ".even.m", "m2"), new Got(4, p + ".even.m", "m4"), new Got(6, p + ".even.m", "m6"));
            assertThat(all.stream().map(Got::seq).toList()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
            // live messages, including a plain publish on a captured subject
            assertThat(st.publish(p + ".even.m", b("m7"))).isEqualTo(7);
            transport.publish(p + ".even.m", b("m8"));
            transport.flush(Duration.ofSeconds(2));
            await("5 even", () -> even.size() == 5);
            assertThat(even.subList(3, 5)).containsExactly(new Got(7, p + ".even.m", "m7"), new Got(8, p + ".even.m", "m8"));
            await("8 in all", () -> all.size() == 8);
        }
        assertThat(st.lastSequence()).isEqualTo(8);
    }

    @Test
    void streamPublishReachesPlainSubscribers() throws Exception {
        String p = "d." + id;
        DurableStream st = transport.stream("S_" + id, List.of(p + ".>"));
        List<Msg> got = new CopyOnWriteArrayList<>();
        transport.subscribe(p + ".*", null, got::add);
        transport.flush(Duration.ofSeconds(2));
        st.publish(p + ".x", b("1"));
        await("the plain subscriber", () -> got.size() == 1);
        assertThat(s(got.get(0).data())).isEqualTo("1");
    }

    @Test
    void streamResumesFromASequence() throws Exception {
        String p = "d." + id;
        DurableStream st = transport.stream("S_" + id, List.of(p + ".>"));
        for (int i = 1; i <= 5; i++) st.publish(p + ".m", b("m" + i));
        List<Long> got = new CopyOnWriteArrayList<>();
        try (AutoCloseable c = st.consume(p + ".m", 4, (seq, subj, data) -> got.add(seq))) {
            await("4 and 5", () -> got.size() == 2);
            st.publish(p + ".m", b("m6"));
            await("6", () -> got.size() == 3);
        }
        assertThat(got).containsExactly(4L, 5L, 6L);
        // from past the end: waits for new messages
        List<Long> later = new CopyOnWriteArrayList<>();
        try (AutoCloseable c = st.consume(p + ".>", 7, (seq, subj, data) -> later.add(seq))) {
            Thread.sleep(100);
            assertThat(later).isEmpty();
            st.publish(p + ".m", b("m7"));
            await("7", () -> later.size() == 1);
        }
        assertThat(later).containsExactly(7L);
    }

    @Test
    void streamRedeliversWhenTheHandlerThrowsAndKeepsOrder() throws Exception {
        String p = "d." + id;
        DurableStream st = transport.stream("S_" + id, List.of(p + ".>"));
        for (int i = 1; i <= 4; i++) st.publish(p + ".m", b("m" + i));
        List<Long> attempts = new CopyOnWriteArrayList<>();
        AtomicInteger failures = new AtomicInteger();
        try (AutoCloseable c = st.consume(p + ".>", 1, (seq, subj, data) -> {
            attempts.add(seq);
            if (seq == 2 && failures.getAndIncrement() < 2) throw new IllegalStateException("not yet, on purpose");
        })) {
            await("all four acknowledged", () -> attempts.contains(4L));
            Thread.sleep(50);
        }
        assertThat(attempts).containsExactly(1L, 2L, 2L, 2L, 3L, 4L);
    }

    @Test
    void closedConsumerStopsDelivery() throws Exception {
        String p = "d." + id;
        DurableStream st = transport.stream("S_" + id, List.of(p + ".>"));
        List<Long> got = new CopyOnWriteArrayList<>();
        AutoCloseable c = st.consume(null, 1, (seq, subj, data) -> got.add(seq));
        st.publish(p + ".a", b("1"));
        await("1", () -> got.size() == 1);
        c.close();
        st.publish(p + ".a", b("2"));
        Thread.sleep(150);
        assertThat(got).containsExactly(1L);
    }

    @Test
    void streamRefusesSubjectsItDoesNotCapture() {
        DurableStream st = transport.stream("S_" + id, List.of("d." + id + ".>"));
        assertThatThrownBy(() -> st.publish("elsewhere." + id, b("x"))).isInstanceOf(TransportException.class);
        assertThat(transport.stream("S_" + id, List.of("d." + id + ".>")).lastSequence()).isZero();
    }

    @Test
    void describeNamesTheTransport() {
        assertThat(transport.describe()).isNotBlank();
    }
}
