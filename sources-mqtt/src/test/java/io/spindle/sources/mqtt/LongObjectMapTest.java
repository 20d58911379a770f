package io.spindle.sources.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LongObjectMapTest {
    @Test
    void behavesLikeAHashMapThroughGrowthAndClear() {
        LongObjectMap<String> m = new LongObjectMap<>();
        Map<Long, String> ref = new HashMap<>();
        Random r = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            long k = switch (i % 3) {
                case 0 -> i;
                case 1 -> r.nextLong();
                default -> -i * 1024L;
            };
            m.put(k, "v" + i);
            ref.put(k, "v" + i);
            if (i % 5 == 0) {
                m.put(k, "w" + i);
                ref.put(k, "w" + i);
            }
        }
        assertThat(m.size()).isEqualTo(ref.size());
        ref.forEach((k, v) -> assertThat(m.get(k)).isEqualTo(v));
        assertThat(m.get(Long.MIN_VALUE)).isNull();
        m.clear();
        assertThat(m.size()).isZero();
        assertThat(m.get(0)).isNull();
        m.put(0, "zero");
        assertThat(m.get(0)).isEqualTo("zero");
    }
}
