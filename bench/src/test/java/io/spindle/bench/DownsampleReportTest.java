package io.spindle.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DownsampleReportTest {

    private static DownsampleReport report() {
        return new DownsampleReport(1_000_000, 2_000, 2, 5, List.of(
                new BenchResult("lttb", "java", 10.0, 5, 2_000, 999_000_000L, null),
                new BenchResult("sum_pass", "java", 0.5, 5, -1, -1, null),
                new BenchResult("js_downsample", "node", 80.0, 5, 2_000, 999_000_000L, true),
                new BenchResult("js_downsample_lttb", "node", 40.0, 5, 2_000, 999_000_000L, true)),
                List.of("a \"quoted\" note\nwith a newline"), false);
    }

    @Test
    void jsonHasTheContractKeysAndNumbers() {
        String json = report().toJson();
        assertThat(json).startsWith("{\"points\": 1000000, \"threshold\": 2000, ");
        assertThat(json).contains("\"results\": {\"lttb\": {\"points_per_sec\": 100000000, \"median_ms\": 10, ");
        assertThat(json).contains("\"sum_pass\": {\"points_per_sec\": 2000000000, ");
        assertThat(json).contains("\"js_downsample\": {\"points_per_sec\": 12500000, \"median_ms\": 80, ");
        assertThat(json).contains("\"ratio_vs_lttb\": 0.125").contains("\"ratio_vs_fastest_js\": 0.5000");
        assertThat(json).contains("\"same_as_lttb\": true");
        String sumPass = json.substring(json.indexOf("\"sum_pass\""), json.indexOf("\"js_downsample\""));
        assertThat(sumPass).doesNotContain("selected").doesNotContain("same_as_lttb");
        assertThat(json).contains("\"notes\": [\"a \\\"quoted\\\" note\\nwith a newline\"]");
        assertThat(json).endsWith("\"failed\": false}");
        assertThat(json.chars().filter(c -> c == '{').count()).isEqualTo(json.chars().filter(c -> c == '}').count());
    }

    @Test
    void tableIsAlignedAndComparesWithLttbAndTheFastestJsPeer() {
        String[] lines = report().toTable().split("\n");
        assertThat(lines[0]).isEqualTo("downsample 1,000,000 points to 2,000 (median of 5 runs after 2 warmups)");
        assertThat(lines[1]).contains("points/s").contains("median ms").contains("vs lttb").contains("vs fastest JS");
        // Every data row has its columns at the header's positions.
        int medianEnd = lines[1].indexOf("median ms") + "median ms".length();
        for (int i = 3; i < 7; i++) assertThat(lines[i].charAt(medianEnd - 1)).isBetween('0', '9');
        assertThat(lines[3]).matches("lttb +100\\.0 M/s +10\\.00 +1\\.00x +4\\.00x +2000");
        assertThat(lines[4]).matches("sum_pass +2\\.00 G/s +0\\.50 +20\\.00x +80\\.00x +-");
        assertThat(lines[5]).matches("js_downsample +12\\.5 M/s +80\\.00 +0\\.13x +0\\.50x +2000");
        assertThat(Pattern.compile("notes:\\n  - a \"quoted\" note").matcher(report().toTable()).find()).isTrue();
    }

    @Test
    void withoutPeersTheJsColumnIsADash() {
        DownsampleReport r = new DownsampleReport(10, 3, 0, 1,
                List.of(new BenchResult("lttb", "java", 1.0, 1, 3, 10, null)), List.of(), true);
        assertThat(r.fastestJs()).isNull();
        assertThat(r.toJson()).doesNotContain("ratio_vs_fastest_js").endsWith("\"failed\": true}");
        assertThat(r.toTable()).contains("FAILED");
        assertThat(r.toTable().split("\n")[3]).matches("lttb +10\\.0 k/s +1\\.00 +1\\.00x +- +3");
    }
}
