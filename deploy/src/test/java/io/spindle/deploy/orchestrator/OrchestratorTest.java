package io.spindle.deploy.orchestrator;

import static io.spindle.deploy.orchestrator.DeployFixture.await;
import static io.spindle.deploy.orchestrator.DeployFixture.component;
import static org.assertj.core.api.Assertions.assertThat;

import io.spindle.host.Host;
import io.spindle.host.Series;
import io.spindle.lattice.CloudEvent;
import io.spindle.lattice.Subjects;
import io.spindle.lattice.transport.DurableStream;
import io.spindle.lattice.transport.InProcessTransport;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The orchestrator against real hosts in one JVM (in-process transport): deploy, move, host loss, undeploy. */
class OrchestratorTest {
    static final String LTTB = component("components/lttb/lttb.wasm");

    @Test
    void deploysMovesBetweenZonesWithItsStateAndUndeploysEverything(@TempDir Path dir) throws Exception {
        try (InProcessTransport t = new InProcessTransport(dir.resolve("t")); DeployFixture f = new DeployFixture(t, "mv")) {
            Host e1 = f.host("edge-1", Map.of("zone", "edge"));
            f.host("cloud-1", Map.of("zone", "cloud"));
            f.orchestrator();
            Subjects s = new Subjects("mv");
            DurableStream ds = t.stream(s.dataStream(), List.of(s.dataSubjects()));
            List<Series.Batch> input = Series.batches(7, "spindle.data.mv.raw", List.of("mill/x", "mill/y"), 30, 2048);

            assertThat(f.models.put(Manifest.downsampler("mv", "v1", LTTB, "edge", 1), Map.of()).created()).isTrue();
            f.models.deploy("downsampler", null);
            AppStatus st = f.awaitStatus("downsampler", AppStatus.DEPLOYED, "v1");
            assertThat(f.where("lttb")).containsExactly("edge-1");
            assertThat(f.where("downsampler-messaging")).containsExactlyInAnyOrder("edge-1", "cloud-1");
            assertThat(st.components()).extracting(AppStatus.ComponentStatus::status).containsOnly(AppStatus.DEPLOYED);
            assertThat(f.client.getConfig("lttb-settings")).containsEntry("bucket-nanos", "10000000");
            assertThat(f.client.getLinks()).hasSize(1);
            long seq = Series.publish(ds, input.subList(0, 20));
            await("edge lttb processed", () -> fed(e1, seq));

            // edge -> cloud: a new version with other spread requirements; the state moves with it
            f.models.put(Manifest.downsampler("mv", "v2", LTTB, "cloud", 1), Map.of());
            f.models.deploy("downsampler", "v2");
            f.awaitStatus("downsampler", AppStatus.DEPLOYED, "v2");
            assertThat(f.where("lttb")).containsExactly("cloud-1");
            Host c1 = f.hosts.get(1);
            long seq2 = Series.publish(ds, input.subList(20, 40));
            await("cloud lttb processed", () -> fed(c1, seq2));

            // and back: rollback returns to v1 (edge)
            assertThat(f.models.rollback("downsampler").version()).isEqualTo("v1");
            f.awaitStatus("downsampler", AppStatus.DEPLOYED, "v1");
            assertThat(f.where("lttb")).containsExactly("edge-1");
            long seq3 = Series.publish(ds, input.subList(40, input.size()));
            await("edge lttb processed the rest", () -> fed(e1, seq3));
            assertThat(f.events("checkpoint_restored")).hasSize(2);

            // no sample lost, none duplicated: the output equals one uninterrupted run of the Java engine
            int[] dups = {0};
            Map<String, List<Series.Point>> got = Series.dedupe(Series.read(ds, s.dataSubjects(), "spindle.data.mv.lttb."), dups);
            Map<String, List<Series.Point>> want = Series.javaEngine(input, Manifest.BUCKET);
            assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(want.keySet());
            for (String series : want.keySet()) assertThat(got.get(series)).as(series).containsExactlyElementsOf(want.get(series));
            assertThat(dups[0]).as("a move re-emits nothing").isZero();
            assertThat(f.models.history("downsampler")).extracting(ModelRecords.DeployRecord::action)
                    .containsExactly("deploy", "deploy", "rollback");

            f.models.undeploy("downsampler");
            f.awaitStatus("downsampler", AppStatus.UNDEPLOYED, null);
            await("everything stopped", () -> f.where("lttb").isEmpty() && f.where("downsampler-messaging").isEmpty());
            assertThat(f.client.getLinks()).isEmpty();
            assertThat(t.keyValue(s.configBucket()).keys()).isEmpty();
            assertThat(f.events("application_deployed")).isNotEmpty();
        }
    }

    @Test
    void aLostHostsComponentIsPlacedOnAnotherMatchingHostFromItsCheckpoint(@TempDir Path dir) throws Exception {
        try (InProcessTransport t = new InProcessTransport(dir.resolve("t")); DeployFixture f = new DeployFixture(t, "hl")) {
            f.host("edge-1", Map.of("zone", "edge"));
            f.orchestrator();
            Subjects s = new Subjects("hl");
            DurableStream ds = t.stream(s.dataStream(), List.of(s.dataSubjects()));
            List<Series.Batch> input = Series.batches(11, "spindle.data.hl.raw", List.of("press/a"), 40, 2048);
            f.models.put(Manifest.downsampler("hl", "v1", LTTB, "edge", 1), Map.of());
            f.models.deploy("downsampler", null);
            f.awaitStatus("downsampler", AppStatus.DEPLOYED, "v1");
            Host first = f.hosts.get(0);
            long seq = Series.publish(ds, input.subList(0, 15));
            await("processed", () -> fed(first, seq));
            f.client.stopComponent(first.id(), "lttb"); // a checkpoint at 15 ... (stopped behind the orchestrator's back:
            await("lttb started again by the orchestrator", () -> !f.where("lttb").isEmpty()); // it starts it again)
            Host edge2 = f.host("edge-2", Map.of("zone", "edge"));
            long seq2 = Series.publish(ds, input.subList(15, 30));
            Host running = f.where("lttb").get(0).equals("edge-1") ? first : edge2;
            await("processed", () -> fed(running, seq2));

            long lostAt = System.nanoTime();
            running.halt(); // ... and a crash later: no final checkpoint, no host_stopped
            Host other = running == first ? edge2 : first;
            await("re-placed", () -> f.where("lttb").equals(List.of(other.friendlyName())));
            double recoveryS = (System.nanoTime() - lostAt) / 1e9;
            System.out.printf("host loss: re-placed after %.2f s (expiry %d ms)%n", recoveryS, DeployFixture.EXPIRY.toMillis());
            assertThat(recoveryS).as("expiry 1 s + 2 s").isLessThan(DeployFixture.EXPIRY.toMillis() / 1000.0 + 2);
            await("host_lost reported", () -> f.events("host_lost").size() == 1);
            long seq3 = Series.publish(ds, input.subList(30, input.size()));
            await("processed after the loss", () -> fed(other, seq3));
            int[] dups = {0};
            Map<String, List<Series.Point>> got = Series.dedupe(Series.read(ds, s.dataSubjects(), "spindle.data.hl.lttb."), dups);
            assertThat(got.get("press/a")).containsExactlyElementsOf(Series.javaEngine(input, Manifest.BUCKET).get("press/a"));
        }
    }

    @Test
    void aProviderWhoseKindChangesUnderTheSameNameIsReplacedAndAWaitingSpreadSaysWhy() {
        try (InProcessTransport t = new InProcessTransport(); DeployFixture f = new DeployFixture(t, "pk")) {
            Host h = f.host("edge-1", Map.of("zone", "edge"));
            f.orchestrator();
            String app = """
                    apiVersion: core.oam.dev/v1beta1
                    kind: Application
                    metadata: {name: bus, annotations: {version: %s}}
                    spec:
                      components:
                        - name: bus
                          type: capability
                          properties: {image: "%s"}
                          traits:
                            - type: spreadscaler
                              properties: {instances: 1, spread: [{name: z, requirements: {zone: %s}}]}
                    """;
            f.models.put(app.formatted("v1", "spindle:keyvalue", "edge"), Map.of());
            f.models.put(app.formatted("v2", "spindle:messaging", "edge"), Map.of());
            f.models.put(app.formatted("v3", "spindle:messaging", "cloud"), Map.of());
            f.models.deploy("bus", "v1");
            f.awaitStatus("bus", AppStatus.DEPLOYED, "v1");
            assertThat(h.inventory().providers()).singleElement().satisfies(p -> assertThat(p.imageRef()).isEqualTo("spindle:keyvalue"));
            f.models.deploy("bus", "v2");
            f.awaitStatus("bus", AppStatus.DEPLOYED, "v2");
            assertThat(h.inventory().providers()).singleElement().satisfies(p -> {
                assertThat(p.id()).isEqualTo("bus-bus");
                assertThat(p.imageRef()).isEqualTo("spindle:messaging");
                assertThat(p.annotations()).containsEntry("spindle.app", "bus").containsEntry("spindle.app.version", "v2");
            });
            f.models.deploy("bus", "v3");
            AppStatus st = f.awaitStatus("bus", AppStatus.WAITING, "v3");
            assertThat(st.message()).contains("spread z wants 1 instance and no host matches {zone=cloud}");
            assertThat(h.inventory().providers()).isEmpty();
            Host cloud = f.host("cloud-1", Map.of("zone", "cloud"));
            f.awaitStatus("bus", AppStatus.DEPLOYED, "v3");
            assertThat(cloud.inventory().providers()).hasSize(1);
        }
    }

    static boolean fed(Host h, long seq) {
        return h.feeds().size() == 1 && h.feeds().get(0).lastOffset() >= seq;
    }

    static List<CloudEvent> from(List<CloudEvent> events, String source) {
        return events.stream().filter(e -> source.equals(e.source())).toList();
    }
}
