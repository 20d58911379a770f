package io.spindle.store;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LatencyWindowTest {
    @Test
    void quantilesOfTheMostRecentDurations() {
        LatencyWindow w = new LatencyWindow(100);
        assertThat(w.quantilesMs(0.5, 0.99)).containsExactly(0, 0);
        for (int i = 1; i <= 100; i++) w.record(i * 1_000_000L);
        assertThat(w.quantilesMs(0.5, 0.99, 1)).containsExactly(50, 99, 100);
        // older durations leave the window
        for (int i = 0; i < 100; i++) w.record(7_000_000L);
        assertThat(w.quantilesMs(0.5, 0.99)).containsExactly(7, 7);
        w.record(500_000_000L);
        assertThat(w.quantilesMs(0.99, 1)).containsExactly(7, 500);
    }
}
