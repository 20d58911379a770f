package io.spindle.lattice.transport;

import static io.spindle.lattice.transport.TransportContract.await;
import static io.spindle.lattice.transport.TransportContract.b;
import static io.spindle.lattice.transport.TransportContract.s;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Edge clients reach the cloud's JetStream and cloud clients across the leaf, before and after the leaf is cut. */
class NatsLeafTopologyTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void needServer() {
        Assumptions.assumeTrue(NatsLeafTopology.available(), "nats-server is not installed (Debian package nats-server)");
    }

    /** The reply to a request, retried while there are no responders yet (interest still crossing the leaf). */
    static String requestEventually(Transport t, String subject, String body) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            try {
                return s(t.request(subject, b(body), Duration.ofSeconds(2)).get().data());
            } catch (java.util.concurrent.ExecutionException e) {
                if (System.nanoTime() > end || !String.valueOf(e.getCause().getMessage()).contains("no responders")) throw e;
                Thread.sleep(10);
            }
        }
    }

    @Test
    void edgeClientsUseTheCloudsJetStreamAcrossTheLeafAndAgainAfterACut() throws Exception {
        try (NatsLeafTopology topo = NatsLeafTopology.start(dir);
             NatsTransport edge = NatsTransport.connect(topo.edgeUrl(), "edge-host");
             NatsTransport cloud = NatsTransport.connect(topo.cloudUrl(), "cloud-host")) {
            KeyValueBucket edgeKv = edge.keyValue("CFG"), cloudKv = cloud.keyValue("CFG");
            edgeKv.put("a", b("1"));
            assertThat(s(cloudKv.get("a").orElseThrow().value())).isEqualTo("1");
            List<String> edgeWatched = new CopyOnWriteArrayList<>();
            edgeKv.watch(e -> edgeWatched.add(e.key() + "=" + s(e.value())));
            cloudKv.put("b", b("2"));
            await("edge watch sees the cloud's put", () -> edgeWatched.contains("b=2"));

            DurableStream edgeStream = edge.stream("DATA", List.of("data.>"));
            List<String> cloudConsumed = new CopyOnWriteArrayList<>(), edgeConsumed = new CopyOnWriteArrayList<>();
            cloud.stream("DATA", List.of("data.>")).consume("data.>", 1, (seq, subj, d) -> cloudConsumed.add(seq + ":" + s(d)));
            edgeStream.consume("data.>", 1, (seq, subj, d) -> edgeConsumed.add(seq + ":" + s(d)));
            assertThat(edgeStream.publish("data.m", b("m1"))).isEqualTo(1);
            await("cloud consumes the edge's publish", () -> cloudConsumed.contains("1:m1"));
            await("edge consumes it too", () -> edgeConsumed.contains("1:m1"));

            cloud.subscribe("svc.cloud", null, m -> cloud.publish(m.replyTo(), m.data()));
            edge.subscribe("svc.edge", null, m -> edge.publish(m.replyTo(), m.data()));
            // a subscription reaches the other server through the leaf a moment after subscribe returns
            assertThat(requestEventually(edge, "svc.cloud", "ping")).isEqualTo("ping");
            assertThat(requestEventually(cloud, "svc.edge", "pong")).isEqualTo("pong");

            topo.cutLeaf();
            // cut: the edge's JetStream is unreachable, but a stream publish keeps retrying (same message id) ...
            CompletableFuture<Long> during = CompletableFuture.supplyAsync(() -> edgeStream.publish("data.m", b("m2")));
            assertThat(edge.request("svc.cloud", b("x"), Duration.ofMillis(300))).failsWithin(2, TimeUnit.SECONDS);
            Thread.sleep(500);
            assertThat(during).isNotDone();
            long t0 = System.nanoTime();
            topo.restoreLeaf();
            long restoreMs = (System.nanoTime() - t0) / 1_000_000;
            // ... and completes once the leaf is back, stored once
            assertThat(during.get(10, TimeUnit.SECONDS)).isEqualTo(2);
            long publishedMs = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("leaf restored in " + restoreMs + " ms; the publish waiting through the cut completed "
                    + publishedMs + " ms after the restore began");

            await("cloud consumes the publish made during the cut", () -> cloudConsumed.contains("2:m2"));
            await("the edge's consumer resumes after the cut", () -> edgeConsumed.contains("2:m2"));
            edgeKv.put("c", b("3"));
            assertThat(s(cloudKv.get("c").orElseThrow().value())).isEqualTo("3");
            cloudKv.put("d", b("4"));
            await("the edge's watch resumes after the cut", () -> edgeWatched.contains("d=4"));
            assertThat(requestEventually(edge, "svc.cloud", "ping2")).isEqualTo("ping2");
            assertThat(requestEventually(cloud, "svc.edge", "pong2")).isEqualTo("pong2");
            assertThat(cloudConsumed).containsExactly("1:m1", "2:m2");
            assertThat(edgeConsumed).containsExactly("1:m1", "2:m2");
        }
    }

    @Test
    void anEdgeServerKilledAndStartedAgainRejoinsTheLeafAndItsClientsCarryOn() throws Exception {
        try (NatsLeafTopology topo = NatsLeafTopology.start(dir);
             NatsTransport edge = NatsTransport.connect(topo.edgeUrl(), "edge-host");
             NatsTransport cloud = NatsTransport.connect(topo.cloudUrl(), "cloud-host")) {
            edge.keyValue("CFG").put("a", b("1"));
            topo.killEdge();
            topo.startEdge();
            edge.keyValue("CFG").put("b", b("2")); // the client reconnects and the put retries meanwhile
            assertThat(s(cloud.keyValue("CFG").get("b").orElseThrow().value())).isEqualTo("2");
            assertThat(s(cloud.keyValue("CFG").get("a").orElseThrow().value())).isEqualTo("1");
        }
    }
}
