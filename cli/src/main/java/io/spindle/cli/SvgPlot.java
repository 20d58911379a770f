package io.spindle.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Stacked line-chart panels in one SVG, for comparing reductions by eye: each section holds a raw series and panels of
 * reductions of it, all in the raw series' frame (the frame the fidelity metric draws in), each reduction over a faint
 * copy of the raw line. A panel with more points than 4 per pixel column is drawn through each column's first, min,
 * max and last point, which draws the same pixels as the full line at a fraction of the size.
 */
final class SvgPlot {
    private static final int MARGIN = 12, TITLE = 30, HEADING = 34, LABEL = 18, GAP = 10;
    private static final String FONT = "font-family=\"sans-serif\"";

    private final int width;
    private final int plotHeight;
    private final String title;
    private final StringBuilder body = new StringBuilder(1 << 16);
    private int top = TITLE + MARGIN;
    private int sections;

    // The current section's series and frame.
    private double[] sx, sy;
    private int sn;
    private double x0, x1, y0, y1;
    private String rawId;

    /** A plot whose chart areas are width x plotHeight pixels. */
    SvgPlot(String title, int width, int plotHeight) {
        if (width < 2 || plotHeight < 2) throw new IllegalArgumentException("plot must be at least 2x2, got " + width + "x" + plotHeight);
        this.title = title;
        this.width = width;
        this.plotHeight = plotHeight;
    }

    /** Starts a section on series x,y[0..n): a heading, then the raw panel labelled rawLabel. */
    SvgPlot section(String heading, String rawLabel, double[] x, double[] y, int n) {
        sx = x;
        sy = y;
        sn = n;
        frame();
        rawId = "raw" + (++sections);
        body.append("<text x=\"").append(MARGIN).append("\" y=\"").append(top + 20).append("\" ").append(FONT)
                .append(" font-size=\"16\" font-weight=\"bold\">").append(escape(heading)).append("</text>\n");
        top += HEADING;
        body.append("<defs><g id=\"").append(rawId).append("\">");
        polyline(null, n);
        body.append("</g></defs>\n");
        panelFrame(rawLabel + "  [x " + brief(x0) + " .. " + brief(x1) + ", y " + brief(y0) + " .. " + brief(y1) + "]");
        use("#333333", 1.0);
        top += plotHeight + GAP;
        return this;
    }

    /** A panel of the points kept[0..count) of the current section's series, over the raw line in light grey. */
    SvgPlot panel(String label, int[] kept, int count) {
        if (sx == null) throw new IllegalStateException("panel before any section");
        panelFrame(label);
        use("#bbbbbb", 1.0);
        body.append("<g transform=\"translate(").append(MARGIN).append(',').append(top).append(")\" stroke=\"#1f5fbf\">");
        polyline(kept, count);
        body.append("</g>\n");
        top += plotHeight + GAP;
        return this;
    }

    /** The whole document. */
    String toSvg() {
        int w = width + 2 * MARGIN, h = top + MARGIN;
        StringBuilder sb = new StringBuilder(body.length() + 512);
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"")
                .append(w).append("\" height=\"").append(h).append("\" viewBox=\"0 0 ").append(w).append(' ').append(h)
                .append("\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n")
                .append("<text x=\"").append(MARGIN).append("\" y=\"").append(MARGIN + 14).append("\" ").append(FONT)
                .append(" font-size=\"18\" font-weight=\"bold\">").append(escape(title)).append("</text>\n")
                .append(body).append("</svg>\n");
        return sb.toString();
    }

    /** Writes the document to file (UTF-8). */
    void write(Path file) throws IOException {
        Files.writeString(file, toSvg(), StandardCharsets.UTF_8);
    }

    private void panelFrame(String label) {
        body.append("<text x=\"").append(MARGIN).append("\" y=\"").append(top + 13).append("\" ").append(FONT)
                .append(" font-size=\"12\">").append(escape(label)).append("</text>\n");
        top += LABEL;
        body.append("<rect x=\"").append(MARGIN - 0.5).append("\" y=\"").append(top - 0.5).append("\" width=\"")
                .append(width).append("\" height=\"").append(plotHeight)
                .append("\" fill=\"none\" stroke=\"#dddddd\"/>\n");
    }

    private void use(String stroke, double strokeWidth) {
        body.append("<use href=\"#").append(rawId).append("\" xlink:href=\"#").append(rawId)
                .append("\" transform=\"translate(").append(MARGIN).append(',').append(top).append(")\" stroke=\"")
                .append(stroke).append("\" stroke-width=\"").append(strokeWidth).append("\"/>\n");
    }

    /** Frame of the finite points: [x0, x1] x [y0, y1]. */
    private void frame() {
        x0 = y0 = Double.POSITIVE_INFINITY;
        x1 = y1 = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < sn; i++) {
            double x = sx[i], y = sy[i];
            if (!Double.isFinite(x) || !Double.isFinite(y)) continue;
            if (x < x0) x0 = x;
            if (x > x1) x1 = x;
            if (y < y0) y0 = y;
            if (y > y1) y1 = y;
        }
        if (x0 > x1) x0 = x1 = y0 = y1 = 0;
    }

    private double px(double x) {
        return x1 > x0 ? (x - x0) / (x1 - x0) * (width - 1) : (width - 1) / 2.0;
    }

    private double py(double y) {
        return y1 > y0 ? (1 - (y - y0) / (y1 - y0)) * (plotHeight - 1) : (plotHeight - 1) / 2.0;
    }

    /** Polylines through the points idx[0..count) (idx null: 0..count), broken at non-finite points. */
    private void polyline(int[] idx, int count) {
        boolean reduce = count > 4 * width;
        boolean open = false;
        int col = -1, first = -1, min = -1, max = -1, last = -1;
        for (int k = 0; k < count; k++) {
            int i = idx == null ? k : idx[k];
            double x = sx[i], y = sy[i];
            if (!Double.isFinite(x) || !Double.isFinite(y)) {
                if (col >= 0) open = column(open, first, min, max, last);
                col = -1;
                if (open) body.append("\"/>");
                open = false;
                continue;
            }
            if (!reduce) {
                open = point(open, i);
                continue;
            }
            int c = (int) Math.round(px(x));
            if (c != col) {
                if (col >= 0) open = column(open, first, min, max, last);
                col = c;
                first = min = max = last = i;
            } else {
                if (y < sy[min]) min = i;
                if (y > sy[max]) max = i;
                last = i;
            }
        }
        if (col >= 0) open = column(open, first, min, max, last);
        if (open) body.append("\"/>");
    }

    /** One pixel column's first, min, max and last point, in sample order. */
    private boolean column(boolean open, int first, int min, int max, int last) {
        int a = Math.min(min, max), b = Math.max(min, max);
        open = point(open, first);
        if (a != first) open = point(open, a);
        if (b != a && b != first) open = point(open, b);
        if (last != b && last != first) open = point(open, last);
        return open;
    }

    private boolean point(boolean open, int i) {
        if (!open) body.append("<polyline fill=\"none\" stroke-linejoin=\"round\" points=\"");
        else body.append(' ');
        coord(px(sx[i]));
        body.append(',');
        coord(py(sy[i]));
        return true;
    }

    private void coord(double v) {
        long tenths = Math.round(v * 10);
        if (tenths < 0) {
            body.append('-');
            tenths = -tenths;
        }
        body.append(tenths / 10);
        if (tenths % 10 != 0) body.append('.').append(tenths % 10);
    }

    /** Six significant digits, for axis ranges in labels. */
    static String brief(double v) {
        if (!Double.isFinite(v)) return Double.toString(v);
        return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
    }

    /** Text content and attribute values: XML's five specials escaped, characters XML forbids dropped. */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> {
                    if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
                        if (Character.isSurrogate(c)) {
                            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                                sb.append(c).append(s.charAt(++i));
                            }
                        } else if (c != 0xFFFE && c != 0xFFFF) {
                            sb.append(c);
                        }
                    }
                }
            }
        }
        return sb.toString();
    }
}
