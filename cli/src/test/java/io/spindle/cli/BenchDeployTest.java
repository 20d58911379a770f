package io.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spindle.lattice.transport.NatsServerProcess;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** {@code spindle bench deploy} with one round and short timings: the JSON contract and the output check. */
class BenchDeployTest {

    @Test
    void oneRoundMeetsTheContractAndTheOutputEqualsAnUninterruptedRun() {
        Assumptions.assumeTrue(NatsServerProcess.available(), "nats-server is not installed (Debian package nats-server)");
        Cli.Result r = Cli.run("bench", "deploy", "--rounds", "1", "--heartbeat", "250ms", "--host-expiry", "1s", "--json",
                "--component", Cli.root().resolve("components/lttb/lttb.wasm").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("bench: round 1/1: deploy").contains("equal to one uninterrupted run: yes");
        Map<String, Object> j = JsonParse.object(r.out());
        assertThat(j).containsKeys("deploy_ms", "move_ms", "host_loss_recovery_ms", "rounds", "output_points");
        for (String k : new String[] {"deploy_ms", "move_ms", "host_loss_recovery_ms"}) assertThat((Double) j.get(k)).as(k).isPositive();
        // a lost host is noticed after the expiry, not before, and replaced well within expiry + 2 s (generous on a busy CI box)
        assertThat((Double) j.get("host_loss_recovery_ms")).isGreaterThanOrEqualTo(1000.0).isLessThan(6000.0);
        assertThat((Double) j.get("output_points")).isPositive();
    }

    @Test
    void badOptionsAreUsageErrors() {
        String c = Cli.root().resolve("components/lttb/lttb.wasm").toString();
        assertThat(Cli.run("bench", "deploy", "--rounds", "0", "--component", c).exit()).isEqualTo(2);
        Cli.Result r = Cli.run("bench", "deploy", "--heartbeat", "2s", "--host-expiry", "1s", "--component", c);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--host-expiry must be longer than --heartbeat");
    }
}
