package io.spindle.http;

import static io.spindle.http.TestData.MS;
import static io.spindle.http.TestData.S;
import static io.spindle.http.TestData.T0;
import static io.spindle.http.TestData.VIB;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real answers of a real server run through Grafana's own data frame conversion ({@code @grafana/data}, pinned in
 * {@code src/test/node}) under Node: the plugin's {@code toDataFrame} on every /query and /variable answer, field
 * names, types, lengths, gap nulls, legends, and the time series panel's outer join. Without node/npm the test is
 * skipped, except under CI ({@code CI=true}), where that is a failure. A missing {@code node_modules} is installed
 * with {@code npm ci} from the committed lock file.
 */
class GrafanaCompatTest {
    @TempDir
    Path out;

    @Test
    void spindleAnswersBecomeTheFramesGrafanaDraws() throws Exception {
        Path node = prepared();
        TestServer s = TestServer.shared();
        List<String> files = new ArrayList<>();
        long gapFrom = T0 + 600 * S, gapTo = T0 + 900 * S;
        files.add(file("timeseries-with-gap", s.post("/query", Wire.query(gapFrom, gapTo, 500, "[" + Wire.target(VIB, "A", "{}") + "]")),
                "timeseries", 500, 1, VIB));
        files.add(file("two-series-and-consistent", s.post("/query", Wire.query(T0 + 60 * S, T0 + 360 * S, 1000,
                        "[" + Wire.target(VIB, "A", "{\"consistent\":true}") + "," + Wire.target("press/temp", "B", "{}") + "]")),
                "timeseries", 1000, null, VIB, "press/temp"));
        files.add(file("raw-one-second", s.post("/query", Wire.query(T0 + 100 * S, T0 + 101 * S, 300, "[" + Wire.target(VIB, "A", "{\"source\":\"raw\"}") + "]")),
                "timeseries", 300, 0, VIB));
        files.add(file("whole-range-tiny", s.post("/query", Wire.query(T0, TestData.VIB_END, 7, "[" + Wire.target(VIB, "A", "{}") + "]")),
                "timeseries", 7, null, VIB));
        files.add(file("table-with-gap", s.post("/query", Wire.query(gapFrom, gapTo, 250, "[" + Wire.target(VIB, "T", "{\"format\":\"table\"}") + "]")),
                "table", 250, 1, VIB));
        ObjectNode variable = doc("devices", s.post("/variable", "{\"payload\":{\"target\":\"devices\"}}"), "variable", 0, null);
        ((ObjectNode) variable.get("expect")).putArray("values").add("press").add("sim");
        files.add(write("devices", variable));

        List<String> cmd = new ArrayList<>(List.of("node", "check.mjs"));
        cmd.addAll(files);
        Run check = run(node, 120, cmd.toArray(String[]::new));
        assertThat(check.code).as("node check.mjs:\n%s", check.output).isZero();
        assertThat(check.output).contains("ok timeseries-with-gap: 1 frame(s), 500 points, 1 gap nulls")
                .contains("ok two-series-and-consistent: 2 frame(s)")
                .contains("ok raw-one-second: 1 frame(s), 300 points, 0 gap nulls")
                .contains("ok whole-range-tiny: 1 frame(s), 7 points")
                .contains("ok table-with-gap: 1 table(s), 250 rows, 1 gap nulls")
                .contains("ok devices: 2 values")
                .contains("compat: 6 of 6 answers")
                .doesNotContain("FAIL");
    }

    @Test
    void theCheckerRejectsAnswersGrafanaWouldMisdraw() throws Exception {
        Path node = prepared();
        // more points than maxDataPoints, a gap marker at the edge, descending times, a string value: each must fail
        String[] bad = {
                "[{\"target\":\"s\",\"datapoints\":[[1,1],[2,2],[3,3]]}]",
                "[{\"target\":\"s\",\"datapoints\":[[null,1],[2,2]]}]",
                "[{\"target\":\"s\",\"datapoints\":[[1,2],[2,1]]}]",
                "[{\"target\":\"s\",\"datapoints\":[[\"1\",1],[2,2]]}]",
        };
        List<String> files = new ArrayList<>();
        for (int i = 0; i < bad.length; i++) {
            ObjectNode doc = TestServer.JSON.createObjectNode();
            doc.put("name", "bad" + i);
            doc.putObject("expect").put("kind", "timeseries").put("maxDataPoints", 2).putArray("frames").add("s");
            doc.set("response", TestServer.JSON.readTree(bad[i]));
            files.add(write("bad" + i, doc));
        }
        List<String> cmd = new ArrayList<>(List.of("node", "check.mjs"));
        cmd.addAll(files);
        Run check = run(node, 120, cmd.toArray(String[]::new));
        assertThat(check.code).isEqualTo(1);
        assertThat(check.output).contains("FAIL bad0: frame 0 (s): 3 points, more than maxDataPoints 2")
                .contains("FAIL bad1: frame 0 (s): gap marker at the edge")
                .contains("FAIL bad2: frame 0 (s): not a time series frame") // Grafana itself notices the descending times
                .contains("FAIL bad3: frame 0 (s): value 1 at 0 is not a finite number")
                .contains("compat: 0 of 4");
    }

    private String file(String name, TestServer.Resp r, String kind, int max, Integer nulls, String... frames) throws IOException {
        return write(name, doc(name, r, kind, max, nulls, frames));
    }

    private static ObjectNode doc(String name, TestServer.Resp r, String kind, int max, Integer nulls, String... frames) {
        assertThat(r.status()).as("%s: %s", name, r.body()).isEqualTo(200);
        ObjectNode doc = TestServer.JSON.createObjectNode();
        doc.put("name", name);
        ObjectNode e = doc.putObject("expect");
        e.put("kind", kind).put("maxDataPoints", max);
        if (nulls != null) e.put("nulls", nulls);
        var names = e.putArray("frames");
        for (String f : frames) names.add(f);
        doc.set("response", r.json());
        return doc;
    }

    private String write(String name, JsonNode doc) throws IOException {
        Path f = out.resolve(name + ".json");
        TestServer.JSON.writeValue(f.toFile(), doc);
        return f.toString();
    }

    /** The checker's folder with its packages installed (npm ci from the lock file when they are missing). */
    static synchronized Path prepared() throws Exception {
        Path node = nodeDir();
        requireTool("node");
        requireTool("npm");
        if (!Files.isDirectory(node.resolve("node_modules/@grafana/data"))) {
            Run ci = run(node, 600, "npm", "ci", "--no-audit", "--no-fund");
            assertThat(ci.code).as("npm ci in %s:\n%s", node, ci.output).isZero();
        }
        return node;
    }

    static Path nodeDir() {
        String base = System.getProperty("basedir");
        Path p = (base == null ? Path.of("") : Path.of(base)).resolve("src/test/node").toAbsolutePath();
        assertThat(p.resolve("check.mjs")).exists();
        return p;
    }

    static void requireTool(String tool) throws Exception {
        String why = null;
        try {
            Run r = run(Path.of("."), 30, tool, "--version");
            if (r.code != 0) why = tool + " --version exited " + r.code + ": " + r.output;
        } catch (IOException e) {
            why = tool + " is not on the PATH (" + e.getMessage() + ")";
        }
        if (why == null) return;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail("CI=true: " + why + "; the Grafana compatibility check needs Node and npm");
        Assumptions.abort("skipped: " + why + "; install nodejs and npm to run the Grafana compatibility check");
    }

    record Run(int code, String output) {
    }

    static Run run(Path dir, int timeoutSeconds, String... cmd) throws IOException, InterruptedException {
        Path log = Files.createTempFile("spindle-node", ".log");
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                Assertions.fail(String.join(" ", cmd) + " did not finish within " + timeoutSeconds + " s:\n" + Files.readString(log));
            }
            return new Run(p.exitValue(), Files.readString(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
