package io.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class DemoFidelityCommandTest {
    private static final String SVG_NS = "http://www.w3.org/2000/svg";

    @TempDir
    Path tmp;

    private static String log() {
        return Cli.shared().resolve("data/okuma_mtconnect_shdr.txt").toString();
    }

    @Test
    void runsBothPartsAndWritesAWellFormedSvg() throws Exception {
        long t0 = System.nanoTime();
        Cli.Result r = Cli.run("demo", "fidelity", "--shdr", log(), "--out", tmp.toString());
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(r.exit()).as(r.err()).isZero();
        Path svg = tmp.resolve("spindle-demo.svg").toAbsolutePath();
        assertThat(r.out())
                .contains("10770 lines: 10373 data lines, 0 malformed, 1108 backward timestamp steps")
                .contains("series with the most samples: okuma/Z1actw, 2968 samples")
                .contains("300000 samples")
                .contains("streaming LTTB")
                .contains("live replay, file order, all 42 series")
                .containsPattern("\\d+ late samples in \\d+ series")
                .contains("50-view within the 5000-view: yes")
                .contains("SVG plot: " + svg);
        assertThat(r.out().lines().filter(l -> l.matches("^ +(lttb|minmaxlttb|m4|minmax) .*"))).hasSize(24);
        assertThat(r.err()).contains("spindle: demo fidelity: reading");
        Document doc = SvgPlotTest.parseXml(Files.readString(svg));
        assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("svg");
        assertThat(doc.getElementsByTagNameNS(SVG_NS, "use").getLength()).isEqualTo(2 * 13);
        assertThat(seconds).as("the demo must take seconds").isLessThan(30);
    }

    @Test
    void jsonForMachines() {
        Cli.Result r = Cli.run("demo", "fidelity", "--shdr", log(), "--out", tmp.toString(), "--seconds", "2", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        String json = r.out().strip();
        assertThat(json).startsWith("{\"datasets\":[{\"name\":\"shdr\"")
                .contains("\"series\":\"okuma/Z1actw\",\"samples\":2968")
                .contains("\"backward_steps\":1108")
                .containsPattern("\"live_replay\":\\{[^}]*\"series\":42,\"offered\":21060,")
                .contains("\"subset\":true")
                .contains("{\"name\":\"synthetic-vibration\",\"rate_hz\":10000,\"seconds\":2,\"seed\":42,\"samples\":20000")
                .contains("\"svg\":\"" + tmp.resolve("spindle-demo.svg").toAbsolutePath() + "\"")
                .endsWith("}");
        assertThat(json.split("\"algo\":")).hasSize(1 + 24);
    }

    @Test
    void malformedLinesInAnotherLogAreShown() throws Exception {
        Path log = tmp.resolve("mill_small.shdr");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 100; i++) sb.append(String.format("2024-01-01T00:00:%02d.000Z|load|%d|mode|AUTO%n", i % 60, i));
        sb.append("not a line\n");
        Files.writeString(log, sb);
        Cli.Result r = Cli.run("demo", "fidelity", "--shdr", log.toString(), "--out", tmp.toString(), "--seconds", "1");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("1 malformed").contains("malformed line 101: bad timestamp 'not a line'")
                .contains("series with the most samples: mill/load, 100 samples")
                .contains("1 backward timestamp steps");
    }

    @Test
    void aMissingLogIsAFailureAndBadOptionsAreUsageErrors() {
        Cli.Result r = Cli.run("demo", "fidelity", "--shdr", tmp.resolve("nope.txt").toString(), "--out", tmp.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("spindle: " + tmp.resolve("nope.txt") + ": no such file" + System.lineSeparator());
        assertThat(Cli.run("demo", "fidelity", "--seconds", "0").exit()).isEqualTo(2);
        assertThat(Cli.run("demo", "fidelity", "--device", "a/b").exit()).isEqualTo(2);
    }
}
