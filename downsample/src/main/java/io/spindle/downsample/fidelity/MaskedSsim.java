package io.spindle.downsample.fidelity;

import java.util.Arrays;

/**
 * The SSIM map of two binary rasters (Wang et al. 2004) as scikit-image's {@code structural_similarity(...,
 * gaussian_weights=True, win_size=11, data_range=1, full=True)} computes it: Gaussian weights (sigma 1.5, 11 taps,
 * normalised), borders mirrored (scipy "reflect"), sample-covariance factor 121/120, K1 = 0.01, K2 = 0.03; then the
 * mean of DSSIM = (1 - SSIM) / 2 over a mask.
 */
final class MaskedSsim {
    static final int RADIUS = 5;
    private static final double SIGMA = 1.5;
    private static final double C1 = 0.01 * 0.01;
    private static final double C2 = 0.03 * 0.03;
    private static final double COV_NORM = 121.0 / 120.0;
    private static final double[] WEIGHTS = weights();

    private MaskedSsim() {
    }

    private static double[] weights() {
        double[] w = new double[2 * RADIUS + 1];
        double sum = 0;
        for (int k = -RADIUS; k <= RADIUS; k++) sum += w[k + RADIUS] = Math.exp(-0.5 * k * k / (SIGMA * SIGMA));
        for (int k = 0; k < w.length; k++) w[k] /= sum;
        return w;
    }

    /** Mean of (1 - SSIM) / 2 over the pixels where mask is set; 0 when the mask is empty. */
    static double meanDssim(byte[] a, byte[] b, byte[] mask, int width, int height) {
        int size = width * height;
        byte[] ab = new byte[size];
        for (int i = 0; i < size; i++) ab[i] = (byte) (a[i] & b[i]);
        int[] colTaps = taps(width), rowTaps = taps(height);
        double[] tmp = new double[size];
        double[] ua = blur(a, width, height, colTaps, rowTaps, tmp, new double[size]);
        double[] ub = blur(b, width, height, colTaps, rowTaps, tmp, new double[size]);
        double[] uab = blur(ab, width, height, colTaps, rowTaps, tmp, new double[size]);
        double sum = 0;
        long count = 0;
        for (int i = 0; i < size; i++) {
            if (mask[i] == 0) continue;
            double mx = ua[i], my = ub[i];
            // Binary pixels: x*x = x, so the blurred squares are the blurred pixels themselves.
            double vx = COV_NORM * (mx - mx * mx), vy = COV_NORM * (my - my * my);
            double vxy = COV_NORM * (uab[i] - mx * my);
            double ssim = ((2 * mx * my + C1) * (2 * vxy + C2)) / ((mx * mx + my * my + C1) * (vx + vy + C2));
            sum += (1 - ssim) / 2;
            count++;
        }
        return count == 0 ? 0 : sum / count;
    }

    /** For each position p and tap k, the source index of p + k - RADIUS mirrored into [0, length). */
    private static int[] taps(int length) {
        int span = 2 * RADIUS + 1;
        int[] t = new int[length * span];
        for (int p = 0; p < length; p++) {
            for (int k = 0; k < span; k++) t[p * span + k] = reflect(p + k - RADIUS, length);
        }
        return t;
    }

    /** scipy.ndimage "reflect": (d c b a | a b c d | d c b a). */
    private static int reflect(int i, int length) {
        int period = 2 * length;
        int m = Math.floorMod(i, period);
        return m < length ? m : period - 1 - m;
    }

    private static double[] blur(byte[] src, int width, int height, int[] colTaps, int[] rowTaps, double[] tmp,
                                 double[] dst) {
        int span = 2 * RADIUS + 1;
        for (int r = 0; r < height; r++) {
            int base = r * width;
            for (int c = 0; c < width; c++) {
                double s = 0;
                int t = c * span;
                for (int k = 0; k < span; k++) s += WEIGHTS[k] * src[base + colTaps[t + k]];
                tmp[base + c] = s;
            }
        }
        Arrays.fill(dst, 0);
        for (int r = 0; r < height; r++) {
            int base = r * width, t = r * span;
            for (int k = 0; k < span; k++) {
                double w = WEIGHTS[k];
                int from = rowTaps[t + k] * width;
                for (int c = 0; c < width; c++) dst[base + c] += w * tmp[from + c];
            }
        }
        return dst;
    }
}
