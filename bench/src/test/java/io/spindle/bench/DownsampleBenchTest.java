package io.spindle.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spindle.downsample.Lttb;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownsampleBenchTest {
    /** Surefire runs in the module directory; the checkout is its parent. */
    private static final Path HOME = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();

    @Test
    void rejectsSettingsThatMeasureNothing() {
        assertThatThrownBy(() -> new DownsampleBench.Config(2, 3, 0, 1, HOME)).hasMessageContaining("--points");
        assertThatThrownBy(() -> new DownsampleBench.Config(100, 100, 0, 1, HOME))
                .hasMessageContaining("--threshold").hasMessageContaining("99");
        assertThatThrownBy(() -> new DownsampleBench.Config(100, 2, 0, 1, HOME)).hasMessageContaining("--threshold");
        assertThatThrownBy(() -> new DownsampleBench.Config(100, 10, -1, 1, HOME)).hasMessageContaining("--warmups");
        assertThatThrownBy(() -> new DownsampleBench.Config(100, 10, 0, 0, HOME)).hasMessageContaining("--runs");
    }

    @Test
    void homeMustHoldThePeers(@TempDir Path empty) throws BenchException {
        assertThatThrownBy(() -> DownsampleBench.checkHome(empty)).isInstanceOf(BenchException.class)
                .hasMessageContaining(empty.toString()).hasMessageContaining("bench/peers");
        assertThat(DownsampleBench.checkHome(HOME)).isEqualTo(HOME);
    }

    @Test
    void medianOfOddAndEvenRuns() {
        assertThat(DownsampleBench.median(new long[]{9, 1, 5})).isEqualTo(5.0);
        assertThat(DownsampleBench.median(new long[]{4, 1, 3, 10})).isEqualTo(3.5);
    }

    @Test
    void measuresEveryContestantOnTheSameSeries() throws BenchException {
        int n = 30_000, threshold = 300;
        List<String> progress = new ArrayList<>();
        DownsampleReport r = new DownsampleBench(new DownsampleBench.Config(n, threshold, 0, 3, HOME), progress::add).run();

        assertThat(r.failed()).as("notes: %s", r.notes()).isFalse();
        assertThat(progress).isNotEmpty().allMatch(line -> line.startsWith("bench: "));
        List<String> names = r.results().stream().map(BenchResult::name).toList();
        assertThat(names).startsWith("lttb", "minmaxlttb", "m4", "streaming_lttb", "sum_pass");
        for (BenchResult res : r.results()) {
            assertThat(res.medianMs()).as(res.name()).isPositive();
            assertThat(res.runs()).as(res.name()).isEqualTo(3);
        }

        // The harness ran the real LTTB: same selection as calling it directly.
        BenchData d = BenchData.generate(n);
        int[] direct = Lttb.select(d.x(), d.y(), threshold);
        BenchResult lttb = r.result("lttb");
        assertThat(lttb.selected()).isEqualTo(threshold);
        assertThat(lttb.indexSum()).isEqualTo(IntStream.of(direct).asLongStream().sum());
        assertThat(r.result("minmaxlttb").selected()).isBetween(3, threshold);
        assertThat(r.result("m4").selected()).isBetween(3, threshold);
        // Bucket width span/threshold on a grid not aligned to the first sample: one bucket more at most, plus ends.
        assertThat(r.result("streaming_lttb").selected()).isBetween(threshold - 2, threshold + 3);
        assertThat(r.result("sum_pass").selected()).isEqualTo(-1);

        // Every peer that ran is a port of the reference LTTB, so it must keep the very same samples.
        for (String peer : List.of("js_downsample", "js_downsample_lttb", "native_c_lttb")) {
            BenchResult p = r.result(peer);
            if (p == null) {
                assertThat(r.notes()).anyMatch(note -> note.startsWith(peer) || note.contains(peer + " omitted"));
                continue;
            }
            assertThat(p.selected()).as(peer).isEqualTo(threshold);
            assertThat(p.sameAsLttb()).as(peer).isTrue();
        }
        assertThat(r.toJson()).contains("\"points\": 30000, \"threshold\": 300, ");
    }
}
