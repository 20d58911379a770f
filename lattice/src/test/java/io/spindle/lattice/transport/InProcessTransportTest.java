package io.spindle.lattice.transport;

import static io.spindle.lattice.transport.TransportContract.await;
import static io.spindle.lattice.transport.TransportContract.b;
import static io.spindle.lattice.transport.TransportContract.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the in-process transport has: persistence under a data directory, its slow-subscriber policy. */
class InProcessTransportTest {
    @TempDir
    Path dir;

    @Test
    void bucketsAndStreamsSurviveAReopen() throws Exception {
        try (InProcessTransport t = new InProcessTransport(dir)) {
            KeyValueBucket kv = t.keyValue("CFG");
            kv.put("a", b("1"));
            kv.put("b", b("2"));
            kv.put("a", b("3"));
            kv.delete("b");
            kv.put("c", b("4"));
            DurableStream st = t.stream("DATA", List.of("data.>"));
            for (int i = 1; i <= 5; i++) assertThat(st.publish("data.m" + (i % 2), b("v" + i))).isEqualTo(i);
            t.publish("data.m1", b("v6")); // captured by the stream
        }
        try (InProcessTransport t = new InProcessTransport(dir)) {
            KeyValueBucket kv = t.keyValue("CFG");
            assertThat(kv.keys()).containsExactly("a", "c");
            KvEntry a = kv.get("a").orElseThrow();
            assertThat(s(a.value())).isEqualTo("3");
            assertThat(a.revision()).isEqualTo(3);
            assertThat(kv.get("b")).isEmpty();
            assertThat(kv.put("d", b("5"))).isEqualTo(6); // revisions continue
            assertThat(kv.update("a", b("x"), 3)).isEqualTo(7);
            DurableStream st = t.stream("DATA", List.of("data.>"));
            assertThat(st.lastSequence()).isEqualTo(6);
            List<String> got = new CopyOnWriteArrayList<>();
            try (AutoCloseable c = st.consume("data.m1", 2, (seq, subj, data) -> got.add(seq + ":" + s(data)))) {
                await("3 messages", () -> got.size() == 3);
            }
            assertThat(got).containsExactly("3:v3", "5:v5", "6:v6");
            assertThat(st.publish("data.m0", b("v7"))).isEqualTo(7);
        }
    }

    @Test
    void aTornTailIsDroppedOnReopen() throws Exception {
        try (InProcessTransport t = new InProcessTransport(dir)) {
            DurableStream st = t.stream("S", List.of("s.>"));
            st.publish("s.a", b("one"));
            st.publish("s.a", b("two"));
            t.keyValue("K").put("k", b("v"));
        }
        Path file = dir.resolve("streams/S.stream");
        long size = Files.size(file);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size - 2); // the kill came in the middle of the second record
        }
        Files.write(dir.resolve("kv/K.kv"), new byte[]{0, 0, 0, 9, 1, 2}, java.nio.file.StandardOpenOption.APPEND);
        try (InProcessTransport t = new InProcessTransport(dir)) {
            DurableStream st = t.stream("S", List.of("s.>"));
            assertThat(st.lastSequence()).isEqualTo(1);
            assertThat(st.publish("s.a", b("two again"))).isEqualTo(2);
            assertThat(s(t.keyValue("K").get("k").orElseThrow().value())).isEqualTo("v");
            assertThat(t.keyValue("K").put("k2", b("w"))).isEqualTo(2);
        }
        try (InProcessTransport t = new InProcessTransport(dir)) {
            assertThat(t.stream("S", List.of("s.>")).lastSequence()).isEqualTo(2);
            assertThat(t.keyValue("K").keys()).containsExactly("k", "k2");
        }
    }

    @Test
    void aDataDirectoryServesOneTransportAtATime() {
        try (InProcessTransport t = new InProcessTransport(dir)) {
            assertThatThrownBy(() -> new InProcessTransport(dir)).isInstanceOf(TransportException.class).hasMessageContaining("in use");
        }
        new InProcessTransport(dir).close();
    }

    @Test
    void streamsKeepTheNewestMessagesWithinTheirLimits() throws Exception {
        try (InProcessTransport t = new InProcessTransport(InProcessTransport.Options.persistent(dir).withStreamLimits(3, 1 << 20))) {
            DurableStream st = t.stream("S", List.of("s"));
            for (int i = 1; i <= 10; i++) st.publish("s", b("m" + i));
            List<Long> got = new CopyOnWriteArrayList<>();
            try (AutoCloseable c = st.consume("s", 1, (seq, subj, data) -> got.add(seq))) {
                await("3", () -> got.size() == 3);
            }
            assertThat(got).containsExactly(8L, 9L, 10L);
        }
        try (InProcessTransport t = new InProcessTransport(InProcessTransport.Options.persistent(dir).withStreamLimits(3, 1 << 20))) {
            assertThat(t.stream("S", List.of("s")).lastSequence()).isEqualTo(10);
            assertThat(t.stream("S", List.of("s")).publish("s", b("m11"))).isEqualTo(11);
        }
    }

    @Test
    void lazilySyncedStreamsKeepEveryPublishAcrossAReopenAndAreCompactedToo() throws Exception {
        byte[] big = new byte[64 * 1024];
        var opts = InProcessTransport.Options.persistent(dir).withStreamLimits(10, 1 << 20).withStreamSync(Duration.ofMillis(20));
        try (InProcessTransport t = new InProcessTransport(opts)) {
            DurableStream st = t.stream("S", List.of("s"));
            List<Integer> live = new CopyOnWriteArrayList<>();
            try (AutoCloseable c = st.consume("s", 1, (seq, subj, data) -> live.add(data[0] & 0xff))) {
                st.publish("s", new byte[] {42});
                await("visible before any sync", () -> live.contains(42));
            }
            for (int i = 2; i <= 300; i++) {
                big[0] = (byte) i;
                assertThat(st.publish("s", big)).isEqualTo(i);
            }
        }
        assertThat(Files.size(dir.resolve("streams/S.stream"))).isLessThan(12L << 20);
        try (InProcessTransport t = new InProcessTransport(opts)) {
            DurableStream st = t.stream("S", List.of("s"));
            assertThat(st.lastSequence()).isEqualTo(300);
            List<Integer> firstBytes = new CopyOnWriteArrayList<>();
            try (AutoCloseable c = st.consume("s", 298, (seq, subj, data) -> firstBytes.add(data[0] & 0xff))) {
                await("3", () -> firstBytes.size() == 3);
            }
            assertThat(firstBytes).containsExactly(298 & 0xff, 299 & 0xff, 300 & 0xff);
        }
    }

    @Test
    void anInterruptedPublisherDoesNotBreakTheStreamForOthers() throws Exception {
        // FileChannel closes itself for everyone when a thread is interrupted inside a write or force
        for (Duration sync : List.of(Duration.ZERO, Duration.ofMillis(5))) {
            Path d = dir.resolve("sync" + sync.toMillis());
            List<Long> acked = new CopyOnWriteArrayList<>();
            try (InProcessTransport t = new InProcessTransport(InProcessTransport.Options.persistent(d).withStreamSync(sync))) {
                DurableStream st = t.stream("S", List.of("s"));
                byte[] body = new byte[32 * 1024];
                Thread publisher = new Thread(() -> {
                    for (int i = 0; i < 400; i++) {
                        try {
                            acked.add(st.publish("s", body));
                        } catch (RuntimeException e) {
                            throw new AssertionError("publish " + i + " failed", e);
                        }
                    }
                });
                publisher.start();
                while (publisher.isAlive()) {
                    publisher.interrupt();
                    Thread.sleep(0, 200_000);
                }
                assertThat(acked).hasSize(400);
                assertThat(st.publish("s", new byte[] {7})).as("another publisher still works").isEqualTo(401);
            }
            try (InProcessTransport t = new InProcessTransport(d)) {
                DurableStream st = t.stream("S", List.of("s"));
                assertThat(st.lastSequence()).isEqualTo(401);
                List<Long> seqs = new CopyOnWriteArrayList<>();
                try (AutoCloseable c = st.consume("s", 1, (seq, subj, data) -> seqs.add(seq))) {
                    await("401", () -> seqs.size() == 401);
                }
            }
        }
    }

    @Test
    void largeLogsAreCompactedAndStillReadBack() throws Exception {
        byte[] big = new byte[64 * 1024];
        try (InProcessTransport t = new InProcessTransport(InProcessTransport.Options.persistent(dir).withStreamLimits(10, 1 << 20))) {
            DurableStream st = t.stream("S", List.of("s"));
            for (int i = 1; i <= 300; i++) {
                big[0] = (byte) i;
                st.publish("s", big);
            }
            KeyValueBucket kv = t.keyValue("K");
            for (int i = 0; i < 100; i++) kv.put("k" + (i % 3), big);
        }
        assertThat(Files.size(dir.resolve("streams/S.stream"))).isLessThan(12L << 20);
        assertThat(Files.size(dir.resolve("kv/K.kv"))).isLessThan(3L << 20);
        try (InProcessTransport t = new InProcessTransport(dir)) {
            DurableStream st = t.stream("S", List.of("s"));
            assertThat(st.lastSequence()).isEqualTo(300);
            List<Integer> firstBytes = new CopyOnWriteArrayList<>();
            try (AutoCloseable c = st.consume("s", 295, (seq, subj, data) -> firstBytes.add(data[0] & 0xff))) {
                await("6", () -> firstBytes.size() == 6);
            }
            assertThat(firstBytes).containsExactly(295 & 0xff, 296 & 0xff, 297 & 0xff, 298 & 0xff, 299 & 0xff, 300 & 0xff);
            assertThat(t.keyValue("K").keys()).containsExactly("k0", "k1", "k2");
            assertThat(t.keyValue("K").get("k0").orElseThrow().revision()).isEqualTo(100);
        }
    }

    @Test
    void aSlowSubscriberLosesMessagesAfterTheBlockLimitOthersDoNot() throws Exception {
        InProcessTransport.Options o = InProcessTransport.Options.inMemory().withSubscriptionQueue(4, Duration.ofMillis(20));
        try (InProcessTransport t = new InProcessTransport(o)) {
            CountDownLatch release = new CountDownLatch(1);
            List<String> slow = new CopyOnWriteArrayList<>(), fast = new CopyOnWriteArrayList<>();
            t.subscribe("x", null, m -> {
                release.await();
                slow.add(s(m.data()));
            });
            t.subscribe("x", null, m -> fast.add(s(m.data())));
            long t0 = System.nanoTime();
            for (int i = 0; i < 20; i++) t.publish("x", b("m" + i));
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            release.countDown();
            await("all 20 to the fast subscriber", () -> fast.size() == 20);
            await("the slow one's share", () -> slow.size() + t.droppedMessages() == 20);
            assertThat(t.droppedMessages()).isBetween(10L, 15L); // 1 in the handler + 4 queued, the rest dropped
            assertThat(elapsedMs).isGreaterThanOrEqualTo(20 * 10 / 2); // the publisher waited for room each time
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < slow.size(); i++) expected.add("m" + i);
            assertThat(slow).isEqualTo(expected); // what it got is the oldest, in order
        }
    }

    @Test
    void handlerErrorsAreCounted() throws Exception {
        try (InProcessTransport t = new InProcessTransport()) {
            List<String> got = new CopyOnWriteArrayList<>();
            t.subscribe("x", null, m -> {
                got.add(s(m.data()));
                throw new IllegalStateException("on purpose");
            });
            t.publish("x", b("1"));
            t.publish("x", b("2"));
            await("two", () -> got.size() == 2);
            await("two errors", () -> t.handlerErrors() == 2);
        }
    }

    @Test
    void aClosedTransportRefusesWork() {
        InProcessTransport t = new InProcessTransport();
        KeyValueBucket kv = t.keyValue("K");
        t.close();
        t.close();
        assertThatThrownBy(() -> t.publish("x", b("1"))).isInstanceOf(TransportException.class).hasMessage("transport closed");
        assertThatThrownBy(() -> kv.put("k", b("1"))).isInstanceOf(TransportException.class);
        assertThatThrownBy(() -> t.subscribe("x", null, m -> { })).isInstanceOf(TransportException.class);
    }

    @Test
    void oversizedPayloadsAreRefused() {
        try (InProcessTransport t = new InProcessTransport()) {
            assertThatThrownBy(() -> t.publish("x", new byte[(1 << 20) + 1])).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("exceeds the maximum");
        }
    }

    @Test
    void invalidNamesAreRefused() {
        try (InProcessTransport t = new InProcessTransport()) {
            assertThatThrownBy(() -> t.keyValue("a.b")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> t.stream("S", List.of())).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> t.publish("a.*", b("x"))).isInstanceOf(IllegalArgumentException.class);
            DurableStream st = t.stream("S", List.of("s.>"));
            assertThatThrownBy(() -> st.publish("other", b("x"))).isInstanceOf(TransportException.class).hasMessageContaining("does not capture");
        }
    }
}
