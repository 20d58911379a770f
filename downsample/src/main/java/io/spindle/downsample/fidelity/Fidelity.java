package io.spindle.downsample.fidelity;

/**
 * Visual fidelity of a point selection, after Van Der Donckt et al., "Data Point Selection for Line Chart
 * Visualization: Methodological Assessment and Evidence-Based Guidelines" (arXiv:2304.00900, 2023) and their
 * evaluation code (predict-idlab/ts-datapoint-selection-vis, agg_utils/metrics.py). The raw series and the kept points
 * are drawn as {@link LineRaster}s in the raw series' frame; the mask is the pixels whose 11x11 window holds a line
 * pixel of either chart (their "OR-conv" mask).
 * <ul>
 *   <li>pixelMismatchPercent = 100 · (pixels that differ) / (pixels in the mask): their conv-mask-scaled pixel error
 *       count (on binary charts every error margin below 255 gives the same count).</li>
 *   <li>dssim = mean over the mask of (1 - SSIM) / 2, the SSIM map computed with Gaussian 11x11 windows (sigma
 *       1.5) on the [0,1] rasters ({@link MaskedSsim}).</li>
 * </ul>
 * Both are 0 for identical charts (and for two empty ones).
 */
public final class Fidelity {
    /** Default chart width in pixels. */
    public static final int WIDTH = 800;
    /** Default chart height in pixels. */
    public static final int HEIGHT = 250;

    private Fidelity() {
    }

    /** Compares the chart of x,y[0..n) with the chart of the points kept[0..keptCount) on a width x height raster. */
    public static FidelityResult compare(double[] x, double[] y, int n, int[] kept, int keptCount, int width,
                                         int height) {
        if (kept == null) throw new IllegalArgumentException("kept must not be null");
        LineRaster raw = LineRaster.render(x, y, n, width, height);
        LineRaster reduced = LineRaster.render(x, y, n, kept, keptCount, width, height);
        return compare(raw, reduced);
    }

    /** {@link #compare(double[], double[], int, int[], int, int, int)} on the default 800x250 chart. */
    public static FidelityResult compare(double[] x, double[] y, int n, int[] kept, int keptCount) {
        return compare(x, y, n, kept, keptCount, WIDTH, HEIGHT);
    }

    /** Compares two rasters of the same size (drawn in the same frame). */
    public static FidelityResult compare(LineRaster reference, LineRaster reduced) {
        if (reference.width() != reduced.width() || reference.height() != reduced.height()) {
            throw new IllegalArgumentException("rasters differ in size: " + reference.width() + "x"
                    + reference.height() + " vs " + reduced.width() + "x" + reduced.height());
        }
        int w = reference.width(), h = reference.height();
        byte[] a = reference.pixelsUnsafe(), b = reduced.pixelsUnsafe();
        byte[] mask = WindowMask.of(a, b, w, h, MaskedSsim.RADIUS);
        long masked = 0, differ = 0;
        for (int i = 0; i < a.length; i++) {
            masked += mask[i];
            if (a[i] != b[i]) differ++;
        }
        double mismatch = masked == 0 ? 0 : 100.0 * differ / masked;
        return new FidelityResult(mismatch, MaskedSsim.meanDssim(a, b, mask, w, h));
    }
}
