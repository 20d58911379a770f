package io.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spindle.lattice.transport.NatsServerProcess;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** {@code spindle bench lattice} with tiny numbers: its own nats-server, a host process, the JSON contract. */
class BenchLatticeTest {

    @Test
    void jsonHasTheContractKeysAndTheOutputIsExactlyTheJavaEnginesPointCount() {
        Assumptions.assumeTrue(NatsServerProcess.available(), "nats-server is not installed (Debian package nats-server)");
        Cli.Result r = Cli.run("bench", "lattice", "--batches", "40", "--batch", "1024", "--requests", "30", "--json",
                "--component", Cli.root().resolve("components/lttb/lttb.wasm").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("bench: nats-server").contains("bench: control round trip p50").contains("bench: host RSS");
        Map<String, Object> j = JsonParse.object(r.out());
        assertThat(j).containsKeys("control_p50_ms", "control_p99_ms", "control_max_ms", "samples_per_sec", "batches_per_sec", "host_rss_mb",
                "samples", "batch", "notes");
        for (String k : new String[] {"control_p50_ms", "control_p99_ms", "control_max_ms", "samples_per_sec", "batches_per_sec", "host_rss_mb"})
            assertThat((Double) j.get(k)).as(k).isPositive();
        assertThat((Double) j.get("control_p50_ms")).isLessThanOrEqualTo((Double) j.get("control_p99_ms"));
        assertThat((Double) j.get("control_p99_ms")).isLessThanOrEqualTo((Double) j.get("control_max_ms"));
        assertThat(j.get("samples")).isEqualTo(40.0 * 1024);
        assertThat(j.get("batch")).isEqualTo(1024.0);
        assertThat(j.get("failed")).isEqualTo(false);
        assertThat((List<?>) j.get("notes")).anySatisfy(n -> assertThat((String) n).contains("checkpoint covers the last input"));
        assertThat((Double) j.get("output_samples")).isPositive();
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertThat(Cli.run("bench", "lattice", "--batches", "0").exit()).isEqualTo(2);
        assertThat(Cli.run("bench", "lattice", "--batch", "200000").exit()).isEqualTo(2);
        Cli.Result r = Cli.run("bench", "lattice", "--batches", "1", "--component", "/no/such/lttb.wasm");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("spindle: bench lattice: /no/such/lttb.wasm: no such component");
    }
}
