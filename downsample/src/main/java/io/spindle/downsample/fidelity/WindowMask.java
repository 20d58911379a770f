package io.spindle.downsample.fidelity;

/**
 * Van Der Donckt et al.'s "OR-conv" mask: the pixels whose (2r+1)x(2r+1) window holds a line pixel of either raster.
 * Per-pixel metrics are averaged over it only, so the empty background does not dilute them.
 */
final class WindowMask {
    private WindowMask() {
    }

    /** 1 where the window around the pixel (clipped at the border) holds a set pixel of a or b, else 0. */
    static byte[] of(byte[] a, byte[] b, int width, int height, int radius) {
        byte[] rows = new byte[width * height];
        int[] prefix = new int[Math.max(width, height) + 1];
        for (int r = 0; r < height; r++) {
            int base = r * width;
            for (int c = 0; c < width; c++) prefix[c + 1] = prefix[c] + ((a[base + c] | b[base + c]) != 0 ? 1 : 0);
            for (int c = 0; c < width; c++) {
                int lo = Math.max(0, c - radius), hi = Math.min(width, c + radius + 1);
                rows[base + c] = (byte) (prefix[hi] > prefix[lo] ? 1 : 0);
            }
        }
        byte[] mask = new byte[width * height];
        for (int c = 0; c < width; c++) {
            for (int r = 0; r < height; r++) prefix[r + 1] = prefix[r] + rows[r * width + c];
            for (int r = 0; r < height; r++) {
                int lo = Math.max(0, r - radius), hi = Math.min(height, r + radius + 1);
                mask[r * width + c] = (byte) (prefix[hi] > prefix[lo] ? 1 : 0);
            }
        }
        return mask;
    }
}
