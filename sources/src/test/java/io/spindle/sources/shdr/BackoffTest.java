package io.spindle.sources.shdr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void doublesWithJitterUpToTheBoundAndStartsOverOnReset() {
        Backoff b = new Backoff(100, 1_000, new Random(7));
        long[] steps = {100, 200, 400, 800, 1_000, 1_000};
        for (long step : steps) assertThat(b.next()).isBetween(step / 2, step);
        b.reset();
        assertThat(b.next()).isBetween(50L, 100L);
        long[] seen = new long[200];
        Backoff wide = new Backoff(1_000_000, 1_000_000, new Random(1));
        for (int i = 0; i < seen.length; i++) seen[i] = wide.next();
        assertThat(java.util.Arrays.stream(seen).distinct().count()).as("jitter").isGreaterThan(150);
    }
}
