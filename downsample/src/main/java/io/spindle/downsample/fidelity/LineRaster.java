package io.spindle.downsample.fidelity;

import io.spindle.downsample.M4;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * A line chart of a series as a width x height binary raster, drawn by Java2D without antialiasing, 1 px wide, in
 * Jugel et al.'s line-chart model: each point goes to an integer pixel (column, row) and consecutive points are joined
 * by {@code drawLine} between those pixels.
 * <ul>
 *   <li>Frame: always the RAW series' finite points, so a raw and a reduced chart share one transform.</li>
 *   <li>Column: {@link M4#bucketOf}{@code (x, x0, xLast, width)}, i.e. {@code min(W-1, (int)((x-x0)/(xLast-x0)*W))}
 *       clamped at 0, with x0, xLast the x of the first and last finite point.</li>
 *   <li>Row: {@code round((yMax-y)/(yMax-yMin)*(H-1))}, larger y up (row 0 is the top); a constant series sits on the
 *       middle row.</li>
 *   <li>Points whose x or y is not finite are left out and their neighbours joined, as the selectors do.</li>
 * </ul>
 */
public final class LineRaster {
    private final int width;
    private final int height;
    private final byte[] pixels;

    private LineRaster(int width, int height, byte[] pixels) {
        this.width = width;
        this.height = height;
        this.pixels = pixels;
    }

    /**
     * Renders x,y[0..n) — or, when subset is not null, only the points subset[0..subsetCount) in that order — in
     * the frame of the raw series x,y[0..n).
     */
    public static LineRaster render(double[] x, double[] y, int n, int[] subset, int subsetCount, int width,
                                    int height) {
        if (x == null || y == null) throw new IllegalArgumentException("x and y must not be null");
        if (n < 0 || n > x.length || n > y.length) {
            throw new IllegalArgumentException("n = " + n + " is outside [0, " + Math.min(x.length, y.length) + "]");
        }
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("raster size must be at least 1x1, got " + width + "x" + height);
        }
        if ((long) width * height > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("raster " + width + "x" + height + " is too large");
        }
        if (subset != null) {
            if (subsetCount < 0 || subsetCount > subset.length) {
                throw new IllegalArgumentException("subsetCount = " + subsetCount + " is outside [0, "
                        + subset.length + "]");
            }
            for (int j = 0; j < subsetCount; j++) {
                if (subset[j] < 0 || subset[j] >= n) {
                    throw new IllegalArgumentException("subset[" + j + "] = " + subset[j]
                            + " is not an index of the series (n = " + n + ")");
                }
            }
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
            g.setColor(Color.WHITE);
            draw(g, x, y, n, subset, subset == null ? n : subsetCount, width, height);
        } finally {
            g.dispose();
        }
        byte[] gray = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        byte[] bits = new byte[width * height];
        for (int i = 0; i < bits.length; i++) bits[i] = (byte) (gray[i] != 0 ? 1 : 0);
        return new LineRaster(width, height, bits);
    }

    /** Renders the whole series in its own frame. */
    public static LineRaster render(double[] x, double[] y, int n, int width, int height) {
        return render(x, y, n, null, 0, width, height);
    }

    private static void draw(Graphics2D g, double[] x, double[] y, int n, int[] subset, int count, int width,
                             int height) {
        int firstFinite = -1, lastFinite = -1;
        double yMin = Double.POSITIVE_INFINITY, yMax = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                if (firstFinite < 0) firstFinite = i;
                lastFinite = i;
                yMin = Math.min(yMin, y[i]);
                yMax = Math.max(yMax, y[i]);
            }
        }
        if (firstFinite < 0) return;
        double x0 = x[firstFinite], xLast = x[lastFinite];
        // Halves keep yMax - yMin finite for any finite inputs.
        double halfTop = yMax * 0.5, halfRange = yMax * 0.5 - yMin * 0.5;
        int midRow = (height - 1) / 2;
        int pc = -1, pr = -1;
        for (int j = 0; j < count; j++) {
            int i = subset == null ? j : subset[j];
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) continue;
            int c = M4.bucketOf(x[i], x0, xLast, width);
            int r = halfRange > 0 ? (int) Math.round((halfTop - y[i] * 0.5) / halfRange * (height - 1)) : midRow;
            if (pc < 0) g.drawLine(c, r, c, r);
            else if (c != pc || r != pr) g.drawLine(pc, pr, c, r);
            pc = c;
            pr = r;
        }
    }

    /** Raster width in pixels. */
    public int width() {
        return width;
    }

    /** Raster height in pixels. */
    public int height() {
        return height;
    }

    /** Whether the line covers pixel (column, row); row 0 is the top. */
    public boolean isSet(int column, int row) {
        if (column < 0 || column >= width || row < 0 || row >= height) {
            throw new IndexOutOfBoundsException("pixel (" + column + ", " + row + ") is outside the " + width + "x"
                    + height + " raster");
        }
        return pixels[row * width + column] != 0;
    }

    /** The raster row by row, 1 where the line is and 0 elsewhere (a copy). */
    public byte[] pixels() {
        return pixels.clone();
    }

    byte[] pixelsUnsafe() {
        return pixels;
    }

    /** The raster as an image: a black line on white. */
    public BufferedImage toImage() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        byte[] gray = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < gray.length; i++) gray[i] = (byte) (pixels[i] != 0 ? 0 : 255);
        return img;
    }
}
