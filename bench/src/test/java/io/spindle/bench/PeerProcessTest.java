package io.spindle.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerProcessTest {

    @Test
    void parsesTheLastJsonLine() throws BenchException {
        PeerProcess.Output o = PeerProcess.parse("noise\n{\"peer\":\"p\",\"median_ms\":1.5e1,\"runs\":5,"
                + "\"runs_ms\":[1,2],\"selected\":2000,\"index_sum\":12345678901}\n", "p");
        assertThat(o).isEqualTo(new PeerProcess.Output(15.0, 5, 2000, 12_345_678_901L));
    }

    @Test
    void rejectsMissingFieldsAndImplausibleTimes() {
        assertThatThrownBy(() -> PeerProcess.parse("hello\n", "js_x"))
                .isInstanceOf(BenchException.class).hasMessageContaining("js_x").hasMessageContaining("no JSON");
        assertThatThrownBy(() -> PeerProcess.parse("{\"median_ms\":3,\"runs\":5}", "js_x"))
                .hasMessageContaining("selected").hasMessageContaining("index_sum");
        assertThatThrownBy(() -> PeerProcess.parse("{\"median_ms\":0,\"runs\":5,\"selected\":3,\"index_sum\":9}", "c"))
                .hasMessageContaining("implausible median_ms");
    }

    @Test
    void reportsExitStatusWithTheLastOutput() {
        assumeTrue(PeerProcess.which("sh") != null, "sh not on PATH");
        List<String> seen = new ArrayList<>();
        assertThatThrownBy(() -> PeerProcess.run(List.of("sh", "-c", "echo out; echo boom >&2; exit 3"), Path.of("."),
                Duration.ofSeconds(30), "peer", seen::add, false))
                .isInstanceOf(BenchException.class).hasMessageContaining("exited with 3").hasMessageContaining("boom");
        assertThat(seen).contains("bench: peer: boom");
    }

    @Test
    void returnsStdoutAndStopsAHungProcess() throws BenchException {
        assumeTrue(PeerProcess.which("sh") != null, "sh not on PATH");
        assertThat(PeerProcess.run(List.of("sh", "-c", "echo '{\"a\":1}'"), Path.of("."), Duration.ofSeconds(30),
                "peer", s -> { }, false)).isEqualTo("{\"a\":1}\n");
        assertThatThrownBy(() -> PeerProcess.run(List.of("sh", "-c", "exec sleep 30"), Path.of("."),
                Duration.ofMillis(300), "slow", s -> { }, false)).hasMessageContaining("no result within");
    }
}
