package io.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class SvgPlotTest {

    static Document parseXml(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void labelsAreEscapedAndTheDocumentIsWellFormed() throws Exception {
        double[] x = {0, 1, 2, 3}, y = {1, Double.NaN, 3, 2};
        String nasty = "a<b & \"c\" 'd' \u0001 >";
        String svg = new SvgPlot(nasty, 200, 50).section(nasty, "raw", x, y, 4).panel(nasty, new int[] {0, 3}, 2).toSvg();
        Document doc = parseXml(svg);
        NodeList texts = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "text");
        assertThat(texts.getLength()).isEqualTo(4); // title, heading, raw label, panel label
        assertThat(texts.item(0).getTextContent()).isEqualTo("a<b & \"c\" 'd'  >");
        assertThat(texts.item(3).getTextContent()).isEqualTo(nasty.replace("\u0001", ""));
        // The NaN breaks the raw line in two polylines; the panel draws one.
        assertThat(doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "polyline").getLength()).isEqualTo(3);
    }

    @Test
    void denseSeriesAreDrawnThroughFourPointsPerPixelColumn() throws Exception {
        int n = 100_000, width = 100;
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = Math.sin(i * 0.37) * (i % 1000 == 0 ? 10 : 1);
        }
        String svg = new SvgPlot("dense", width, 40).section("s", "raw", x, y, n).toSvg();
        Document doc = parseXml(svg);
        String points = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "polyline").item(0)
                .getAttributes().getNamedItem("points").getTextContent();
        String[] pts = points.split(" ");
        assertThat(pts.length).isBetween(width, 4 * (width + 1));
        // The spikes of 10 reach the top and bottom rows of the 40-pixel chart.
        assertThat(points).contains(",0 ").contains(",39 ");
    }

    @Test
    void constantOrEmptySeriesStillDraw() throws Exception {
        double[] x = {5, 5, 5}, y = {2, 2, 2};
        parseXml(new SvgPlot("flat", 10, 10).section("flat", "raw", x, y, 3).panel("p", new int[] {0}, 1).toSvg());
        parseXml(new SvgPlot("empty", 10, 10).section("empty", "raw", new double[0], new double[0], 0).toSvg());
    }
}
