package io.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchComponentTest {

    @Test
    @SuppressWarnings("unchecked")
    void jsonHasTheContractKeysAndJavaEqualsWasm() throws IOException {
        Path lttb = Cli.root().resolve("components/lttb/lttb.wasm");
        Cli.Result r = Cli.run("bench", "component", "--points", "50000", "--runs", "1", "--warmups", "0", "--json",
                "--component", lttb.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("bench: java run 1/1").contains("bench: wasm_interpreted median");
        Map<String, Object> j = JsonParse.object(r.out());
        assertThat(j).containsKeys("results", "cold_instantiate_ms", "warm_instantiate_ms", "component_bytes");
        assertThat((Double) j.get("cold_instantiate_ms")).isPositive();
        assertThat((Double) j.get("warm_instantiate_ms")).isPositive();
        assertThat(j.get("component_bytes")).isEqualTo((double) Files.size(lttb));
        Map<String, Object> results = (Map<String, Object>) j.get("results");
        assertThat(results).containsKeys("java", "wasm_compiled", "wasm_interpreted");
        Map<String, Object> java = (Map<String, Object>) results.get("java");
        for (String k : new String[] {"java", "wasm_compiled", "wasm_interpreted"}) {
            Map<String, Object> res = (Map<String, Object>) results.get(k);
            assertThat((Double) res.get("samples_per_sec")).as(k).isPositive();
            assertThat(res.get("samples")).as(k).isEqualTo(50000.0);
            assertThat(res.get("emitted")).as(k).isEqualTo(java.get("emitted"));
            assertThat(res.get("checksum")).as(k).isEqualTo(java.get("checksum"));
            if (!k.equals("java")) assertThat(res.get("same_as_java")).as(k).isEqualTo(true);
        }
        // Bucket = span / 2000: one point per bucket plus the segment's ends.
        assertThat((Double) java.get("emitted")).isBetween(1990.0, 2010.0);
        assertThat(j.get("failed")).isEqualTo(false);
    }

    @Test
    void aMissingComponentFailsNamingIt() {
        Cli.Result r = Cli.run("bench", "component", "--points", "1000", "--component", "/no/such/lttb.wasm");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("spindle: bench component: /no/such/lttb.wasm: no such component");
        assertThat(Cli.run("bench", "component", "--points", "2").exit()).isEqualTo(2);
    }
}
