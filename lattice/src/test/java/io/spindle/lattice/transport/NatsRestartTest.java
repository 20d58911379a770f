package io.spindle.lattice.transport;

import static io.spindle.lattice.transport.TransportContract.await;
import static io.spindle.lattice.transport.TransportContract.b;
import static io.spindle.lattice.transport.TransportContract.s;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server is killed and restarted (same port and store) under a connected transport. */
class NatsRestartTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void needServer() {
        Assumptions.assumeTrue(NatsServerProcess.available(), "nats-server is not installed (Debian package nats-server)");
    }

    @Test
    void reconnectsAndResumesAfterTheServerRestarts() throws Exception {
        try (NatsServerProcess server = NatsServerProcess.start(dir);
             NatsTransport t = NatsTransport.connect(server.url(), "restart-test")) {
            KeyValueBucket kv = t.keyValue("CFG");
            kv.put("a", b("1"));
            kv.put("b", b("2"));
            List<String> watched = new CopyOnWriteArrayList<>();
            AtomicBoolean caughtUp = new AtomicBoolean();
            kv.watch(new KvWatcher() {
                @Override
                public void onEntry(KvEntry e) {
                    watched.add(e.deleted() ? "del " + e.key() : e.key() + "=" + s(e.value()));
                }

                @Override
                public void caughtUp() {
                    caughtUp.set(true);
                }
            });
            await("caught up", caughtUp::get);

            DurableStream st = t.stream("DATA", List.of("data.>"));
            List<Long> consumed = new CopyOnWriteArrayList<>();
            st.consume("data.m", 1, (seq, subj, data) -> consumed.add(seq));
            for (int i = 1; i <= 3; i++) st.publish("data.m", b("m" + i));
            List<String> plain = new CopyOnWriteArrayList<>();
            t.subscribe("live.*", null, m -> plain.add(s(m.data())));
            t.subscribe("svc.echo", null, m -> t.publish(m.replyTo(), m.data()));
            t.publish("live.x", b("before"));
            await("3 consumed", () -> consumed.size() == 3);
            await("plain before", () -> plain.size() == 1);

            server.kill(); // SIGKILL: a crash, not a shutdown
            await("the client to notice", () -> t.connection().getStatus() != io.nats.client.Connection.Status.CONNECTED);
            server.start();
            await("reconnected", () -> t.connection().getStatus() == io.nats.client.Connection.Status.CONNECTED);

            // stored data survived
            assertThat(s(kv.get("a").orElseThrow().value())).isEqualTo("1");
            assertThat(kv.keys()).containsExactly("a", "b");
            assertThat(st.lastSequence()).isEqualTo(3);
            // the watch, the consumer and the subscriptions carry on
            kv.put("c", b("3"));
            kv.delete("a");
            assertThat(st.publish("data.m", b("m4"))).isEqualTo(4);
            t.publish("live.x", b("after"));
            await("watch resumed", () -> watched.size() == 4);
            assertThat(watched).containsExactly("a=1", "b=2", "c=3", "del a");
            await("consumer resumed", () -> consumed.size() == 4);
            Thread.sleep(200);
            assertThat(consumed).containsExactly(1L, 2L, 3L, 4L);
            await("plain after", () -> plain.size() == 2);
            assertThat(plain).containsExactly("before", "after");
            assertThat(s(t.request("svc.echo", b("ping"), Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS).data())).isEqualTo("ping");
        }
    }
}
