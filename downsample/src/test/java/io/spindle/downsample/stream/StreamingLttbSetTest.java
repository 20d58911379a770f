package io.spindle.downsample.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamingLttbSetTest {
    private static final long T0 = 1_700_000_000_000_000_000L;

    record Out(String series, long t, double v) {
    }

    @Test
    void countsLateSamplesBySeriesAndMovesWithItsState() {
        List<Out> out = new ArrayList<>();
        StreamingLttbSet set = new StreamingLttbSet(s -> new StreamConfig(1_000, 100, 2, 64, 64),
                (s, t, v) -> out.add(new Out(s, t, v)));
        for (int i = 0; i < 50; i++) {
            set.add("m1/Zload", T0 + i * 100L, i % 7);
            set.add("m1/Xact", T0 + i * 100L, -i);
        }
        set.add("m1/Zload", T0 + 10, 99);      // 4,800 ns behind the newest: late for this series only
        set.add("m1/Xact", T0 + 4_880, 1);     // within lateness for the other one
        StreamingLttbSet moved = StreamingLttbSet.restore(set.snapshot(),
                s -> new StreamConfig(1_000, 100, 2, 64, 64), (s, t, v) -> out.add(new Out(s, t, v)));
        moved.flush();
        assertThat(moved.stats().get("m1/Zload").late()).isEqualTo(1);
        assertThat(moved.stats().get("m1/Zload").lastLateNanos()).isEqualTo(T0 + 10);
        assertThat(moved.stats().get("m1/Xact").late()).isZero();
        assertThat(moved.stats().keySet()).containsExactly("m1/Xact", "m1/Zload");
        assertThat(out).extracting(Out::series).contains("m1/Zload", "m1/Xact");
        assertThat(out).noneMatch(o -> o.v() == 99);
    }

    @Test
    void refusesForeignSnapshots() {
        assertThatThrownBy(() -> StreamingLttbSet.restore(new byte[] {1, 2, 3}, s -> StreamConfig.of(1), (s, t, v) -> { }))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
