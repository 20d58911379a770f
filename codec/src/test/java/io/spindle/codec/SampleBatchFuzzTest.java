package io.spindle.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.spindle.testkit.Fuzz;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Sample batches arrive from the bus: mutated encodings of every version (v1, v2, v3; regular, jittered, decimal,
 * noisy and constant series) either decode or fail with IllegalArgumentException naming the reason; nothing else
 * escapes, nothing hangs, and what decodes is internally consistent.
 */
class SampleBatchFuzzTest {
    @Test
    void mutatedBatchesDecodeOrAreRefusedWithTheDocumentedError() {
        List<byte[]> seeds = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(5);
        for (int version = 1; version <= 3; version++) {
            SampleBatchCodec codec = new SampleBatchCodec(version);
            for (int shape = 0; shape < 5; shape++) {
                int n = 1 + r.nextInt(300);
                long[] t = new long[n];
                double[] v = new double[n];
                long now = 1_700_000_000_000_000_000L;
                for (int i = 0; i < n; i++) {
                    now += switch (shape) {
                        case 0 -> 100_000;
                        case 1 -> 99_000 + r.nextInt(2000);
                        default -> 1_000_000;
                    };
                    t[i] = now;
                    v[i] = switch (shape) {
                        case 2 -> Math.rint(r.nextGaussian() * 1000) / 100;
                        case 3 -> r.nextDouble();
                        case 4 -> 42;
                        default -> Math.sin(i * 0.01) * 10;
                    };
                }
                seeds.add(codec.encodeToArray("mill/" + shape, t, v, 0, n));
            }
        }
        SampleBatch b = new SampleBatch();
        Fuzz.Report rep = Fuzz.run("codec", seeds, e -> e instanceof IllegalArgumentException, in -> {
            SampleBatchCodec.decode(in, b);
            assertThat(b.count()).isGreaterThanOrEqualTo(0);
            assertThat(b.series()).isNotNull();
        });
        assertThat(rep.inputs()).isGreaterThanOrEqualTo(Fuzz.DEFAULT_INPUTS);
        assertThat(rep.rejected()).as("most mutations are caught").isPositive();
    }
}
