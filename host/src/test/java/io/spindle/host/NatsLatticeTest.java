package io.spindle.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spindle.lattice.CtlException;
import io.spindle.lattice.HostInfo;
import io.spindle.lattice.HostInventory;
import io.spindle.lattice.Link;
import io.spindle.lattice.Subjects;
import io.spindle.lattice.transport.DurableStream;
import io.spindle.lattice.transport.NatsServerProcess;
import io.spindle.lattice.transport.NatsTransport;
import io.spindle.lattice.transport.Transport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several hosts in one lattice over a real nats-server (JetStream), each on its own connection as separate
 * processes would be: inventories, links, a late host, events; the LTTB component fed from JetStream and resumed
 * from its checkpoint after halts, equal to the Java engine after de-duplication.
 */
class NatsLatticeTest {
    @TempDir
    static Path dir;
    static NatsServerProcess server;
    final List<Transport> transports = new ArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        Assumptions.assumeTrue(NatsServerProcess.available(), "nats-server is not installed (Debian package nats-server)");
        server = NatsServerProcess.start(dir);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) server.close();
    }

    Transport connect(String name) {
        Transport t = NatsTransport.connect(server.url(), name);
        transports.add(t);
        return t;
    }

    @AfterEach
    void closeTransports() {
        for (Transport t : transports) t.close();
    }

    @Test
    void hostsOnSeparateConnectionsShareInventoriesLinksAndEvents() {
        try (TestLattice lat = new TestLattice(connect("client"), "natsctl")) {
            Host a = lat.add(lat.builder("edge-1", connect("edge-1")).label("zone", "edge").build().start());
            Host b = lat.add(lat.builder("cloud-1", connect("cloud-1")).label("zone", "cloud").build().start());
            assertThat(lat.scatter.getHosts()).extracting(HostInfo::friendlyName).containsExactly("cloud-1", "edge-1");
            lat.client.startProvider(a.id(), "spindle:messaging", "msg", null);
            lat.client.startComponent(a.id(), TestLattice.lttb(), "lttb", null, null);
            lat.client.startProvider(b.id(), "spindle:keyvalue", "kv", null);
            HostInventory.ComponentDescription c = lat.client.startComponent(b.id(), lat.client.inventory(a.id()).components().get(0).digest(),
                    "lttb2", null, null); // by digest, from the components bucket (JetStream KV)
            assertThat(c.imageRef()).startsWith("sha256-");
            assertThat(lat.client.inventory(b.id()).providers()).extracting(HostInventory.ProviderDescription::id).containsExactly("kv");

            lat.client.putConfig("feed", Map.of("subscribe", "spindle.data.natsctl.in.>"));
            lat.client.putLink(new Link("msg", "lttb", null, "spindle", "telemetry", List.of("processor"), List.of("feed"), null));
            lat.client.putLink(new Link("lttb2", "kv", null, "spindle", "keyvalue", List.of("store"), null, null));
            assertThatThrownBy(() -> lat.client.putLink(new Link("lttb", "kv", null, "spindle", "messaging", List.of("publisher"), null, null)))
                    .isInstanceOf(CtlException.class).hasMessage("link.put: target 'kv' is a spindle:keyvalue provider, which does not offer "
                            + "spindle:messaging/publisher (it offers spindle:keyvalue/store)");
            assertThat(lat.client.getLinks()).extracting(Link::key).containsExactly("lttb2.default.spindle.keyvalue", "msg.default.spindle.telemetry");
            TestLattice.await("applied", () -> "applied".equals(a.linkStatus().get("msg.default.spindle.telemetry"))
                    && "applied".equals(b.linkStatus().get("lttb2.default.spindle.keyvalue")));

            // a host that joins later reads the links from the bucket and applies them when their ends run there
            Host late = lat.add(lat.builder("late", connect("late")).build().start());
            lat.client.startComponent(late.id(), c.digest(), "lttb", null, null);
            lat.client.startProvider(late.id(), "spindle:messaging", "msg", null);
            TestLattice.await("applied on the late host", () -> "applied".equals(late.linkStatus().get("msg.default.spindle.telemetry")));
            assertThat(late.feeds()).hasSize(1);

            lat.awaitEvent("host_heartbeat", e -> e.source().equals(late.id()) && e.data().path("components").size() == 1);
            lat.awaitEvent("link_put", e -> e.data().path("source_id").asText().equals("lttb2"));
            lat.awaitEvent("link_put_failed", e -> e.data().path("error").asText().contains("does not offer"));
            assertThat(lat.events("host_started")).extracting(e -> e.source()).contains(a.id(), b.id(), late.id());
            late.close();
            lat.hosts.remove(late);
            lat.awaitEvent("host_stopped", e -> e.source().equals(late.id()));
        }
    }

    @Test
    void lttbFedFromJetStreamResumesAfterHaltsAndMatchesTheJavaEngine() throws Exception {
        Transport client = connect("client");
        try (TestLattice lat = new TestLattice(client, "natsdp")) {
            Subjects s = new Subjects("natsdp");
            DurableStream ds = client.stream(s.dataStream(), List.of(s.dataSubjects()));
            List<Series.Batch> input = Series.batches(3, "spindle.data.natsdp.raw", List.of("okuma/Xload", "okuma/Sload"), 20, 2048);
            int runs = DataPathTest.runWithHalts(lat, () -> NatsTransport.connect(server.url(), "host"), ds, input, 7);
            assertThat(runs).isGreaterThanOrEqualTo(3);
            DataPathTest.checkAgainstJava(lat, ds, input, true);
        }
    }
}
