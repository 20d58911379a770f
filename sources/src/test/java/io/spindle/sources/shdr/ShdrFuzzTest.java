package io.spindle.sources.shdr;

import static org.assertj.core.api.Assertions.assertThat;

import io.spindle.testkit.Fuzz;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What an MTConnect adapter sends is outside input: mutated chunks of the real Okuma log (plus time-series items,
 * conditions, multi-line assets, heartbeats) go through the socket path (LineAssembler, then one long-lived
 * ShdrReader); nothing may escape (malformed lines are reported as items, over-long ones dropped and counted).
 */
class ShdrFuzzTest {
    @Test
    void mutatedAdapterOutputNeverEscapesTheReader() throws Exception {
        List<String> log = Files.readAllLines(Path.of(System.getProperty("spindle.shared"), "data", "okuma_mtconnect_shdr.txt"));
        List<byte[]> seeds = new ArrayList<>();
        for (int i = 0; i + 8 <= Math.min(log.size(), 400); i += 8) seeds.add((String.join("\n", log.subList(i, i + 8)) + "\n").getBytes(StandardCharsets.UTF_8));
        seeds.addAll(Fuzz.utf8(
                "2024-01-02T03:04:05.123456Z|Xvib|TIME_SERIES|4|1000|1.0 2.0 3.5 -4\n",
                "2024-01-02T03:04:05Z|dev:Xload|12.5|dev:mode|AUTOMATIC\n",
                "2024-01-02T03:04:05Z|system|FAULT|E42|1|HIGH|ACTIVE|Spindle overload\n",
                "2024-01-02T03:04:05Z|@ASSET@|T1|CuttingTool|--multiline--ABC\n<CuttingTool serialNumber=\"1\"/>\n--multiline--ABC\n",
                "* PING\n* PONG 10000\n* shdrVersion: 2.0\n",
                "2024-01-02T03:04:05Z|Xload|UNAVAILABLE\n2024-01-02T03:04:04Z|Xload|1e308\n"));
        int[] items = {0};
        ShdrReader reader = new ShdrReader("fuzz", new ShdrListener() {
            @Override
            public void sample(String series, long tNanos, double value) {
                items[0]++;
            }

            @Override
            public void item(ShdrItem item) {
                items[0]++;
            }
        });
        LineAssembler lines = new LineAssembler(256, 4096);
        LineAssembler.Lines out = new LineAssembler.Lines() {
            @Override
            public void line(String text) {
                reader.line(text);
            }

            @Override
            public void tooLong(String head, long bytes) {
                items[0]++;
            }
        };
        Fuzz.Report r = Fuzz.run("shdr", seeds, e -> false, in -> {
            ByteArrayInputStream s = new ByteArrayInputStream(in);
            while (lines.read(s) >= 0) lines.drain(out);
            lines.drain(out);
        });
        assertThat(r.inputs()).isGreaterThanOrEqualTo(Fuzz.DEFAULT_INPUTS);
        assertThat(items[0]).as("the reader saw samples and items").isPositive();
        assertThat(reader.lineNumber()).isPositive();
    }
}
