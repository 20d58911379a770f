package io.spindle.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ComponentReportTest {

    private static ComponentReport report(boolean same) {
        ComponentResult java = new ComponentResult("java", "java", 10_000_000, 50.0, 5, 2_002, 0x1234L, null);
        ComponentResult compiled = new ComponentResult("wasm_compiled", "wasm", 10_000_000, 400.0, 5, 2_002,
                same ? 0x1234L : 0x4321L, null).comparedWith(java);
        ComponentResult interpreted = new ComponentResult("wasm_interpreted", "wasm", 200_000, 250.0, 5, 42, 0x99L, true);
        return new ComponentReport(10_000_000, 2_000, 4096, 250_000_000L, 2, 5, List.of(java, compiled, interpreted),
                48.25, 290.5, 0.25, 15.0, 51_162, "components/lttb/lttb.wasm", "ab".repeat(32),
                List.of("a \"note\""), !same);
    }

    @Test
    void jsonHasTheContractKeys() {
        String json = report(true).toJson();
        assertThat(json).contains("\"results\": {\"java\": {\"samples_per_sec\": 200000000, \"median_ms\": 50, ")
                .contains("\"wasm_compiled\": {\"samples_per_sec\": 25000000, ")
                .contains("\"wasm_interpreted\": {\"samples_per_sec\": 800000, ")
                .contains("\"same_as_java\": true").contains("\"ratio_vs_java\": 0.125")
                .contains("\"checksum\": \"0000000000001234\"")
                .contains("\"cold_instantiate_ms\": 48.2500").contains("\"warm_instantiate_ms\": 0.2500")
                .contains("\"component_bytes\": 51162").contains("\"notes\": [\"a \\\"note\\\"\"]")
                .endsWith("\"failed\": false}");
        String javaPart = json.substring(json.indexOf("\"java\""), json.indexOf("\"wasm_compiled\""));
        assertThat(javaPart).doesNotContain("same_as_java");
        assertThat(json.chars().filter(c -> c == '{').count()).isEqualTo(json.chars().filter(c -> c == '}').count());
    }

    @Test
    void tableShowsRatiosVsJavaAndMismatches() {
        String[] lines = report(true).toTable().split("\n");
        assertThat(lines[0]).startsWith("streaming LTTB over 10,000,000 samples in 4,096-sample batches, bucket "
                + "250,000,000 ns (about 2,000 points)");
        assertThat(lines[1]).contains("samples/s").contains("vs java").contains("same as java");
        assertThat(lines[3]).matches("java +200\\.0 M/s +50\\.00 +1\\.000x +10,000,000 +2,002 +-");
        assertThat(lines[4]).matches("wasm_compiled +25\\.0 M/s +400\\.00 +0\\.125x +10,000,000 +2,002 +yes");
        assertThat(lines[5]).matches("wasm_interpreted +800\\.0 k/s +250\\.00 +0\\.004x +200,000 +42 +yes");
        assertThat(report(true).toTable()).contains("instantiate: cold 48.3 ms (first 290.5 ms), warm 0.250 ms, from disk "
                + "cache 15.0 ms");
        String bad = report(false).toTable();
        assertThat(bad).containsPattern("wasm_compiled .* NO").contains("FAILED: an engine's output differs");
    }
}
