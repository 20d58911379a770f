package io.spindle.downsample.fidelity;

import static org.assertj.core.api.Assertions.assertThat;

import io.spindle.downsample.Algorithm;
import io.spindle.downsample.M4;
import org.junit.jupiter.api.Test;

/** Jugel et al.'s claim, on Spindle's raster: M4 with 4 points per pixel column draws exactly the raw chart. */
class M4PixelPerfectTest {
    private static final int W = Fidelity.WIDTH, H = Fidelity.HEIGHT;

    private static void assertPixelPerfect(Signals s) {
        int n = s.x.length;
        int[] kept = new int[Algorithm.maxOutput(n, 4 * W)];
        int k = M4.select(s.x, s.y, n, 4 * W, kept);
        assertThat(k).isLessThanOrEqualTo(4 * W).isGreaterThan(2 * W);
        LineRaster raw = LineRaster.render(s.x, s.y, n, W, H);
        LineRaster m4 = LineRaster.render(s.x, s.y, n, kept, k, W, H);
        assertThat(setPixels(raw)).as("the raw chart is not trivial").isGreaterThan(5 * W);
        int differ = 0;
        byte[] a = raw.pixels(), b = m4.pixels();
        for (int i = 0; i < a.length; i++) if (a[i] != b[i]) differ++;
        assertThat(differ).as("mismatched pixels").isZero();
        assertThat(Fidelity.compare(raw, m4)).isEqualTo(new FidelityResult(0, 0));

        // The check can fail: LTTB with as many points is not pixel-perfect.
        int[] lttb = new int[4 * W];
        int kl = Algorithm.LTTB.select(s.x, s.y, n, 4 * W, lttb);
        assertThat(Fidelity.compare(raw, LineRaster.render(s.x, s.y, n, lttb, kl, W, H)).pixelMismatchPercent())
                .isGreaterThan(0);
    }

    private static int setPixels(LineRaster r) {
        int c = 0;
        for (byte p : r.pixels()) c += p;
        return c;
    }

    @Test
    void vibrationMillionSamples() {
        assertPixelPerfect(Signals.vibration(1_000_000, 42));
    }

    @Test
    void noisyRandomWalkOnNanosecondTimestamps() {
        assertPixelPerfect(Signals.randomWalk(300_000, 7));
    }
}
