package io.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class FidelityCommandTest {
    private static final String SVG_NS = "http://www.w3.org/2000/svg";

    @TempDir
    Path tmp;

    private static String input() {
        return Cli.shared().resolve("reference/lttb/demo1_input.csv").toString();
    }

    @Test
    void jsonHasARowPerAlgorithmAndPointCount() {
        Cli.Result r = Cli.run("fidelity", "--input", input(), "--points", "10,100,100000", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        String json = r.out().strip();
        assertThat(json).startsWith("{\"input\":\"" + input() + "\"").endsWith("]}");
        Matcher m = Pattern.compile("\\{\"algo\":\"(\\w+)\",\"points\":(\\d+),\"kept\":(\\d+),"
                + "\"pixel_mismatch_pct\":([-0-9.e+]+),\"dssim\":([-0-9.e+]+),\"select_ms\":[-0-9.e+]+}").matcher(json);
        List<String> seen = new ArrayList<>();
        while (m.find()) {
            seen.add(m.group(1) + "@" + m.group(2));
            double mismatch = Double.parseDouble(m.group(4)), dssim = Double.parseDouble(m.group(5));
            assertThat(mismatch).isBetween(0.0, 100.0);
            assertThat(dssim).isBetween(0.0, 1.0);
            if (m.group(2).equals("100000")) assertThat(mismatch).as("everything kept").isZero();
            if (m.group(2).equals("10")) assertThat(mismatch).as("10 points lose detail").isPositive();
        }
        assertThat(seen).containsExactly("lttb@10", "lttb@100", "lttb@100000", "minmaxlttb@10", "minmaxlttb@100",
                "minmaxlttb@100000", "m4@10", "m4@100", "m4@100000", "minmax@10", "minmax@100", "minmax@100000");
    }

    @Test
    void tableAndSvgWithAPanelPerRow() throws Exception {
        Path svg = tmp.resolve("f.svg");
        Cli.Result r = Cli.run("fidelity", "--input", input(), "--svg", svg.toString(), "--width", "400", "--height", "100");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("algorithm", "mismatch %", "DSSIM", "minmaxlttb").contains("SVG: " + svg.toAbsolutePath());
        assertThat(r.out().lines().filter(l -> l.matches("^(lttb|minmaxlttb|m4|minmax) .*"))).hasSize(12);
        Document doc = SvgPlotTest.parseXml(Files.readString(svg));
        assertThat(doc.getDocumentElement().getAttribute("width")).isEqualTo("424");
        var texts = doc.getElementsByTagNameNS(SVG_NS, "text");
        assertThat(texts.getLength()).isEqualTo(2 + 1 + 12);
        assertThat(texts.item(3).getTextContent()).startsWith("lttb, 50 points (50 kept): mismatch ");
        assertThat(doc.getElementsByTagNameNS(SVG_NS, "use").getLength()).isEqualTo(13);
    }

    @Test
    void badArgumentsAndInputs() {
        assertThat(Cli.run("fidelity", "--input", input(), "--points", "10,-1").exit()).isEqualTo(2);
        assertThat(Cli.run("fidelity", "--input", input(), "--width", "0").exit()).isEqualTo(2);
        assertThat(Cli.run("fidelity", "--points", "10").exit()).isEqualTo(2);
        Cli.Result missing = Cli.run("fidelity", "--input", tmp.resolve("none.csv").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("spindle: " + tmp.resolve("none.csv") + ": no such file" + System.lineSeparator());
        Cli.Result unwritable = Cli.run("fidelity", "--input", input(), "--svg", tmp.resolve("no/dir/f.svg").toString());
        assertThat(unwritable.exit()).isEqualTo(1);
        assertThat(unwritable.err()).startsWith("spindle: " + tmp.resolve("no/dir/f.svg") + ": cannot write the SVG: ");
    }
}
