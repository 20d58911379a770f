package io.spindle.deploy.orchestrator;

import static io.spindle.deploy.orchestrator.DeployFixture.await;
import static io.spindle.deploy.orchestrator.DeployFixture.component;
import static org.assertj.core.api.Assertions.assertThat;

import io.spindle.host.Host;
import io.spindle.host.Series;
import io.spindle.lattice.CloudEvent;
import io.spindle.lattice.HostInventory;
import io.spindle.lattice.Subjects;
import io.spindle.lattice.transport.DurableStream;
import io.spindle.lattice.transport.InProcessTransport;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rolling upgrades: one host at a time, each on probation; a version that traps, or that cannot start, stops the
 * rollout and the application returns to the previous version by itself, with the reason in status, history and
 * events.
 */
class RolloutTest {
    static final String LTTB = component("components/lttb/lttb.wasm");

    /** The same LTTB module with a custom section appended: another digest, the same behaviour and state format. */
    static String lttbV2(Path dir) throws Exception {
        byte[] base = Files.readAllBytes(Path.of(LTTB));
        byte[] name = "spindle-test-build".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream sec = new ByteArrayOutputStream();
        sec.write(name.length);
        sec.write(name);
        sec.write("v2".getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(base);
        out.write(0); // custom section
        out.write(sec.size()); // < 128: one LEB128 byte
        out.write(sec.toByteArray());
        Path p = dir.resolve("lttb-v2.wasm");
        Files.write(p, out.toByteArray());
        return p.toString();
    }

    @Test
    void aNewModuleRollsOutOneHostAtATimeAndAFailingOneReturnsToThePreviousVersion(@TempDir Path dir) throws Exception {
        try (InProcessTransport t = new InProcessTransport(dir.resolve("t")); DeployFixture f = new DeployFixture(t, "ro")) {
            Host a = f.host("edge-a", Map.of("zone", "edge"));
            Host b = f.host("edge-b", Map.of("zone", "edge"));
            f.orchestrator();
            Subjects s = new Subjects("ro");
            DurableStream ds = t.stream(s.dataStream(), List.of(s.dataSubjects()));
            f.models.put(Manifest.downsampler("ro", "v1", LTTB, "edge", 2), Map.of());
            f.models.deploy("downsampler", "v1");
            f.awaitStatus("downsampler", AppStatus.DEPLOYED, "v1");
            assertThat(f.where("lttb")).containsExactlyInAnyOrder("edge-a", "edge-b");
            String v1Digest = digest(a);

            // data keeps flowing through the rollouts, so a version that traps on input does so on probation
            AtomicBoolean feeding = new AtomicBoolean(true);
            Thread feeder = new Thread(() -> {
                long seed = 1;
                while (feeding.get()) {
                    Series.publish(ds, Series.batches(seed++, "spindle.data.ro.raw", List.of("m/x"), 1, 256));
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            feeder.start();
            try {
                // v2: another build of LTTB: both hosts replaced, one after the other, each healthy before the next
                f.models.put(Manifest.downsampler("ro", "v2", lttbV2(dir), "edge", 2), Map.of());
                int mark = f.events.size();
                f.models.deploy("downsampler", "v2");
                f.awaitStatus("downsampler", AppStatus.DEPLOYED, "v2");
                assertThat(digest(a)).isNotEqualTo(v1Digest).isEqualTo(digest(b));
                List<String> order = scaled(f.events.subList(mark, f.events.size()));
                assertThat(order).hasSize(4);
                assertThat(order.get(0).split(" ")[0]).isEqualTo(order.get(1).split(" ")[0]); // stop then start on one host
                assertThat(order.get(0)).endsWith(" 0");
                assertThat(order.get(1)).endsWith(" 1"); // 2 instances on 2 hosts: one each
                assertThat(order.get(2).split(" ")[0]).isNotEqualTo(order.get(0).split(" ")[0]);

                // v3 traps on its first batch: the first host's health check fails on probation, the second is never touched
                f.models.put(Manifest.downsampler("ro", "v3", component("components/adversarial/trap.wasm"), "edge", 2), Map.of());
                String v2Digest = digest(a);
                mark = f.events.size();
                f.models.deploy("downsampler", "v3");
                AppStatus st = f.awaitStatus("downsampler", AppStatus.FAILED, "v2");
                assertThat(st.message()).contains("v3").contains("health check").contains("returned to v2");
                await("v2 back everywhere", () -> v2Digest.equals(digest(a)) && v2Digest.equals(digest(b)));
                List<String> touched = scaled(f.events.subList(mark, f.events.size())).stream().map(x -> x.split(" ")[0]).distinct().toList();
                assertThat(touched).as("only the first host of the rollout was changed").hasSize(1);
                assertThat(f.models.history("downsampler")).last().satisfies(r -> {
                    assertThat(r.action()).isEqualTo("auto-rollback");
                    assertThat(r.version()).isEqualTo("v2");
                });
                assertThat(f.events("application_rolled_back")).hasSize(1);
                assertThat(f.models.list()).singleElement().satisfies(m -> {
                    assertThat(m.deployedVersion()).isEqualTo("v2");
                    assertThat(m.latestVersion()).isEqualTo("v3");
                });

                // v4 cannot even start (the passthrough component refuses LTTB's checkpoint): rolled back too
                f.models.put(Manifest.downsampler("ro", "v4", component("components/passthrough/passthrough.wasm"), "edge", 2), Map.of());
                f.models.deploy("downsampler", "v4");
                await("v4 rolled back", () -> f.events("application_rolled_back").size() == 2);
                st = f.awaitStatus("downsampler", AppStatus.FAILED, "v2");
                assertThat(st.message()).contains("v4 failed to start component lttb");
                await("v2 back everywhere", () -> v2Digest.equals(digest(a)) && v2Digest.equals(digest(b)));

                // deploying v2 again clears the failure
                f.models.deploy("downsampler", "v2");
                f.awaitStatus("downsampler", AppStatus.DEPLOYED, "v2");
            } finally {
                feeding.set(false);
                feeder.join();
            }
        }
    }

    private static String digest(Host h) {
        return h.inventory().components().stream().filter(c -> c.id().equals("lttb")).map(HostInventory.ComponentDescription::digest)
                .findFirst().orElse("none");
    }

    /** "host-id max_instances" of each component_scaled event of lttb, in order. */
    private static List<String> scaled(List<CloudEvent> events) {
        List<String> out = new ArrayList<>();
        for (CloudEvent e : events)
            if (e.event().equals("component_scaled") && e.data().path("component_id").asText().equals("lttb"))
                out.add(e.source() + " " + e.data().path("max_instances").asInt());
        return out;
    }
}
