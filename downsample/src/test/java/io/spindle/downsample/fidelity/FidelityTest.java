package io.spindle.downsample.fidelity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.spindle.downsample.Algorithm;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class FidelityTest {
    private static int[] all(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }

    @Test
    void identicalChartsScoreZero() {
        Signals s = Signals.randomWalk(20_000, 3);
        int n = s.x.length;
        assertThat(Fidelity.compare(s.x, s.y, n, all(n), n)).isEqualTo(new FidelityResult(0, 0));
        assertThat(Fidelity.compare(new double[0], new double[0], 0, new int[0], 0)).isEqualTo(new FidelityResult(0, 0));
    }

    @Test
    void fewerLttbPointsLookWorse() {
        Signals s = Signals.randomWalk(100_000, 11);
        int n = s.x.length;
        FidelityResult coarse = lttb(s, 50), fine = lttb(s, 5000);
        assertThat(coarse.pixelMismatchPercent()).isGreaterThan(fine.pixelMismatchPercent());
        assertThat(coarse.dssim()).isGreaterThan(fine.dssim());
        assertThat(fine.dssim()).isGreaterThan(0);
        assertThat(coarse.pixelMismatchPercent()).isLessThanOrEqualTo(100);
        assertThat(coarse.dssim()).isLessThanOrEqualTo(1);
        // Nothing kept: every raw pixel is an error.
        assertThat(Fidelity.compare(s.x, s.y, n, new int[0], 0).pixelMismatchPercent()).isGreaterThan(coarse.pixelMismatchPercent());
    }

    @Test
    void agreesWithScikitImage() {
        // skimage 0.19.3: structural_similarity(ref, agg, win_size=11, gaussian_weights=True, data_range=1, full=True),
        // mean of (1 - S) / 2 over the OR-conv mask, on the rasters this test draws (dumped and read back in numpy).
        FidelityResult r = lttb(Signals.randomWalk(100_000, 11), 500);
        assertThat(r.pixelMismatchPercent()).isCloseTo(15.490464311579625, within(1e-12));
        assertThat(r.dssim()).isCloseTo(0.22383555880306694, within(1e-12));
    }

    private static FidelityResult lttb(Signals s, int threshold) {
        int[] kept = new int[threshold];
        int k = Algorithm.LTTB.select(s.x, s.y, s.x.length, threshold, kept);
        return Fidelity.compare(s.x, s.y, s.x.length, kept, k);
    }

    @Test
    void maskedMetricsFollowTheDefinition() {
        // Raw: a horizontal line on row 5 of a 40x11 raster; reduced: the same line shifted by one row.
        double[] x = {0, 39, 0, 39}, y = {0, 0, 10, 10};
        LineRaster raw = LineRaster.render(new double[] {0, 39}, new double[] {5, 5}, 2, 40, 11);
        assertThat(raw.isSet(0, 5)).isTrue();
        assertThat(raw.isSet(39, 5)).isTrue();
        assertThat(raw.isSet(0, 4)).isFalse();
        // Frame from x,y: rows 0 (y=10) .. 10 (y=0); points 0 and 1 draw row 10, points 2 and 3 row 0.
        LineRaster bottom = LineRaster.render(x, y, 4, new int[] {0, 1}, 2, 40, 11);
        LineRaster top = LineRaster.render(x, y, 4, new int[] {2, 3}, 2, 40, 11);
        FidelityResult r = Fidelity.compare(bottom, top);
        // 80 differing pixels; the 11x11 window of every pixel of an 11-row raster reaches both lines.
        assertThat(r.pixelMismatchPercent()).isEqualTo(100.0 * 80 / (40 * 11));
        assertThat(r.dssim()).isGreaterThan(0.3).isLessThanOrEqualTo(1);
    }

    @Test
    void rasterFrameIsTheRawSeriesAndLargerYIsUp() {
        double[] x = {10, 20, 30}, y = {0, 100, 50};
        LineRaster r = LineRaster.render(x, y, 3, new int[] {1}, 1, 3, 101);
        assertThat(r.isSet(1, 0)).as("x=20 in column 1, y=max on the top row").isTrue();
        LineRaster last = LineRaster.render(x, y, 3, new int[] {2}, 1, 3, 101);
        assertThat(last.isSet(2, 50)).as("x=xLast in the last column, y=50 mid-height").isTrue();
        LineRaster flat = LineRaster.render(x, new double[] {4, 4, 4}, 3, 3, 9);
        assertThat(flat.isSet(0, 4) && flat.isSet(1, 4) && flat.isSet(2, 4)).as("constant series mid-height").isTrue();
        BufferedImage img = r.toImage();
        assertThat(img.getWidth()).isEqualTo(3);
        assertThat(img.getRaster().getSample(1, 0, 0)).isZero();
        assertThat(img.getRaster().getSample(0, 0, 0)).isEqualTo(255);
    }

    @Test
    void nonFinitePointsAreLeftOutOfTheChart() {
        double[] x = {0, 1, 2, 3}, y = {0, Double.NaN, 10, Double.POSITIVE_INFINITY};
        LineRaster r = LineRaster.render(x, y, 4, 3, 11);
        // Frame: x 0..2 (last finite point), y 0..10.
        assertThat(r.isSet(0, 10)).isTrue();
        assertThat(r.isSet(2, 0)).isTrue();
    }

    @Test
    void badArguments() {
        double[] x = {0, 1};
        assertThatThrownBy(() -> LineRaster.render(x, x, 2, new int[] {5}, 1, 10, 10))
                .hasMessageContaining("subset[0] = 5");
        assertThatThrownBy(() -> LineRaster.render(x, x, 2, 0, 10)).hasMessageContaining("at least 1x1");
        assertThatThrownBy(() -> Fidelity.compare(LineRaster.render(x, x, 2, 10, 10), LineRaster.render(x, x, 2, 10, 11)))
                .hasMessageContaining("differ in size");
        assertThatThrownBy(() -> Fidelity.compare(x, x, 2, null, 0)).hasMessageContaining("kept");
    }
}
