package io.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spindle demo}: the whole pipeline in one process, on the real Okuma log over TCP and simulated vibration. */
class DemoCommandTest {
    @TempDir
    Path tmp;

    private static String log() {
        return Cli.shared().resolve("data/okuma_mtconnect_shdr.txt").toString();
    }

    @Test
    void runsThePipelineAndContinuesTheStoreOnASecondRun() throws Exception {
        Path dir = tmp.resolve("data");
        Cli.Result r = Cli.run("demo", "--duration", "4s", "--http-port", "0", "--channels", "2", "--rate", "5000", "--speed", "20x", "--shdr", log(),
                "--data-dir", dir.toString(), "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("samples_in").asLong()).as(r.err()).isGreaterThan(2 * 5000 * 3);
        assertThat(j.get("tier0_points").asLong()).isGreaterThan(100);
        assertThat(j.get("shdr_lines").asLong()).isGreaterThan(100);
        assertThat(j.get("rejected").asLong()).isZero();
        List<String> names = new ArrayList<>();
        long okumaRaw = 0, simRaw = 0;
        for (JsonNode s : j.get("series")) {
            names.add(s.get("series").asText());
            if (s.get("series").asText().startsWith("okuma/")) okumaRaw += s.get("raw").asLong();
            if (s.get("series").asText().startsWith("sim/")) {
                simRaw += s.get("raw").asLong();
                if (s.get("series").asText().startsWith("sim/vib")) // 5 kHz: 50 samples per 10 ms bucket
                    assertThat(s.get("tiers").get(0).asLong()).as("tier 0 of %s", s).isGreaterThan(100);
            }
        }
        assertThat(names).anyMatch(n -> n.startsWith("okuma/")).anyMatch(n -> n.startsWith("sim/"));
        assertThat(okumaRaw).isGreaterThan(10);
        assertThat(simRaw + okumaRaw).as("every sample in is in the raw ring").isEqualTo(j.get("samples_in").asLong());
        assertThat(Files.isRegularFile(dir.resolve("spindle.db"))).isTrue();
        assertThat(j.get("dashboard").asText()).matches("http://127\\.0\\.0\\.1:\\d+/ui/");
        assertThat(r.err()).contains("SHDR adapter replays").contains("in ").contains("points (tier 0)").contains("reduction");

        Cli.Result again = Cli.run("demo", "--duration", "2s", "--no-http", "--channels", "1", "--rate", "2000", "--no-shdr",
                "--data-dir", dir.toString());
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).doesNotContain("dashboard").contains("series").contains("tier 0").contains("data: " + dir.toAbsolutePath().normalize())
                .contains("okuma/"); // the first run's series are still in the store
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertThat(Cli.run("demo", "--duration", "0s").exit()).isEqualTo(2);
        assertThat(Cli.run("demo", "--channels", "-1").exit()).isEqualTo(2);
        assertThat(Cli.run("demo", "--speed", "fast").exit()).isEqualTo(2);
        assertThat(Cli.run("demo", "--no-shdr", "--channels", "0").exit()).isEqualTo(2);
        Cli.Result r = Cli.run("demo", "--shdr", tmp.resolve("missing.txt").toString(), "--data-dir", tmp.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("missing.txt").contains("no such file");
    }
}
