package io.spindle.downsample.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class BucketHullTest {

    /** The bulk pre-filters may only drop samples that are not chain vertices: chains must come out identical. */
    @Property(tries = 3000)
    void bulkRunsBuildExactlyThePerSampleChains(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3000) int n) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] t = new long[n];
        double[] v = new double[n];
        long now = 1_700_000_000_000_000_000L;
        int kind = r.nextInt(7);
        double level = 0;
        for (int i = 0; i < n; i++) {
            now += r.nextInt(5) == 0 ? 0 : 1 + r.nextLong(r.nextBoolean() ? 3 : 1_000);
            t[i] = now;
            v[i] = switch (kind) {
                case 0 -> r.nextGaussian();
                case 1 -> level += r.nextGaussian();
                case 2 -> Math.sqrt(i + 1.0) * (r.nextBoolean() ? 1 : 1 + 1e-3 * r.nextDouble()); // concave: all on the hull
                case 3 -> -Math.sqrt(i + 1.0);                                                      // convex
                case 4 -> i * 1e-3 - (i % 17) * 0.01;                                               // sawtooth ramp
                case 5 -> r.nextInt(3);                                                             // ties galore
                default -> Math.sin(i * 0.01) + r.nextGaussian() * 1e-3;
            };
            if (i > 0 && r.nextInt(10) == 0) { t[i] = t[i - 1]; v[i] = v[i - 1]; }
        }
        BucketHull one = new BucketHull(1 << 16), bulk = new BucketHull(1 << 16);
        for (int i = 0; i < n; i++) one.add(t[i], v[i], i);
        for (int i = 0; i < n; ) {
            int to = Math.min(n, i + 1 + r.nextInt(1_500));
            bulk.addRun(t, v, i, to, i);
            i = to;
        }
        assertThat(bulk.nu).isEqualTo(one.nu);
        assertThat(bulk.nl).isEqualTo(one.nl);
        assertThat(Arrays.copyOf(bulk.ut, bulk.nu)).isEqualTo(Arrays.copyOf(one.ut, one.nu));
        assertThat(Arrays.copyOf(bulk.uv, bulk.nu)).isEqualTo(Arrays.copyOf(one.uv, one.nu));
        assertThat(Arrays.copyOf(bulk.us, bulk.nu)).isEqualTo(Arrays.copyOf(one.us, one.nu));
        assertThat(Arrays.copyOf(bulk.lt, bulk.nl)).isEqualTo(Arrays.copyOf(one.lt, one.nl));
        assertThat(Arrays.copyOf(bulk.lv, bulk.nl)).isEqualTo(Arrays.copyOf(one.lv, one.nl));
        assertThat(Arrays.copyOf(bulk.ls, bulk.nl)).isEqualTo(Arrays.copyOf(one.ls, one.nl));
    }
}
