package io.spindle.deploy.orchestrator;

import static io.spindle.deploy.orchestrator.DeployFixture.await;
import static io.spindle.deploy.orchestrator.DeployFixture.component;
import static org.assertj.core.api.Assertions.assertThat;

import io.spindle.lattice.transport.InProcessTransport;
import io.spindle.lattice.transport.KeyValueBucket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Exactly one orchestrator acts; a stand-by takes over when the acting one stops or goes silent. */
class LeaseTest {
    @Test
    void oneActsAtATimeAndAStandByTakesOverWhenItCloses() {
        try (InProcessTransport t = new InProcessTransport(); DeployFixture f = new DeployFixture(t, "ls")) {
            f.host("edge-1", Map.of("zone", "edge"));
            Orchestrator a = f.orchestrator(), b = f.orchestrator(), c = f.orchestrator();
            await("one acts", () -> List.of(a, b, c).stream().filter(Orchestrator::acting).count() == 1);
            for (int i = 0; i < 20; i++) { // and it stays that way
                assertThat(List.of(a, b, c).stream().filter(Orchestrator::acting).count()).isEqualTo(1);
                sleep(50);
            }
            Orchestrator acting = List.of(a, b, c).stream().filter(Orchestrator::acting).findFirst().orElseThrow();
            acting.close(); // releases the lease: a stand-by acts at its next lease tick
            long t0 = System.nanoTime();
            await("a stand-by acts", () -> List.of(a, b, c).stream().filter(o -> o != acting && o.acting()).count() == 1);
            assertThat((System.nanoTime() - t0) / 1e6).isLessThan(2000);

            // the new one reconciles: a deploy goes through
            f.models.put(Manifest.downsampler("ls", "v1", component("components/lttb/lttb.wasm"), "edge", 1), Map.of());
            f.models.deploy("downsampler", null);
            f.awaitStatus("downsampler", AppStatus.DEPLOYED, "v1");
        }
    }

    @Test
    void aLeaseNotRenewedForItsTtlIsTakenOver() {
        try (InProcessTransport t = new InProcessTransport()) {
            KeyValueBucket kv = t.keyValue("SPINDLE_ORCHESTRATOR_x");
            long ttl = Duration.ofMillis(300).toNanos();
            Lease one = new Lease(kv, "one", ttl), two = new Lease(kv, "two", ttl);
            assertThat(one.tick()).isTrue();
            assertThat(two.tick()).isFalse();
            for (int i = 0; i < 5; i++) { // renewed: never taken over
                sleep(100);
                assertThat(one.tick()).isTrue();
                assertThat(two.tick()).isFalse();
            }
            // "one" hangs (no ticks): after the ttl "two" takes over, and "one" learns it lost at its next tick
            long t0 = System.nanoTime();
            while (!two.tick()) sleep(20);
            assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(ttl);
            assertThat(one.tick()).isFalse();
            assertThat(one.held()).isFalse();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
