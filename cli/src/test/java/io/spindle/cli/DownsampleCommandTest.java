package io.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DownsampleCommandTest {

    @TempDir
    Path tmp;

    private static Path golden(String name) {
        return Cli.shared().resolve("reference/lttb").resolve(name);
    }

    @ParameterizedTest(name = "demo{0} at {1} points")
    @CsvSource({"0,3", "0,4", "0,10", "0,100", "0,500", "0,1000", "1,3", "1,4", "1,10", "1,100", "1,500", "1,1000",
            "2,3", "2,4", "2,10", "2,100", "2,500", "2,1000"})
    void lttbOutputIsTheGoldenFileByteForByte(int demo, int points) throws IOException {
        Cli.Result r = Cli.run("downsample", "--algo", "lttb", "--points", "" + points,
                "--input", golden("demo" + demo + "_input.csv").toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo(Files.readString(golden("demo" + demo + "_t" + points + ".csv")));
    }

    @Test
    void readsStdinWithBlankLinesCrLfAndSpaces() {
        String in = "\n 0 , 1\r\n1,5\r\n\r\n  2,\t-3 \n3,2\n4,2";
        Cli.Result r = Cli.runWithStdin(in, "downsample", "--algo", "lttb", "--points", "3");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("0,1\n2,-3\n4,2\n");
    }

    @Test
    void everyAlgorithmKeepsRealInputLinesOnly() throws IOException {
        List<String> input = Files.readAllLines(golden("demo1_input.csv"));
        Set<String> lines = new HashSet<>(input);
        for (String algo : List.of("lttb", "minmaxlttb", "m4", "minmax")) {
            Cli.Result r = Cli.run("downsample", "--algo", algo, "--points", "100", "--input", golden("demo1_input.csv").toString());
            assertThat(r.exit()).as(algo).isZero();
            String[] out = r.out().split("\n");
            assertThat(out.length).as(algo).isBetween(3, 100);
            assertThat(lines).as(algo).contains(out);
            assertThat(out[0]).isEqualTo(input.get(0));
            assertThat(out[out.length - 1]).isEqualTo(input.get(input.size() - 1));
        }
    }

    @Test
    void ratioTunesMinMaxLttbOnly() {
        String file = golden("demo2_input.csv").toString();
        Cli.Result r2 = Cli.run("downsample", "--algo", "minmaxlttb", "--ratio", "2", "--points", "50", "--input", file);
        Cli.Result r50 = Cli.run("downsample", "--algo", "minmaxlttb", "--ratio", "50", "--points", "50", "--input", file);
        assertThat(r2.exit()).isZero();
        assertThat(r50.exit()).isZero();
        assertThat(r2.out().split("\n")).hasSize(50);
        assertThat(r2.out()).isNotEqualTo(r50.out());

        Cli.Result wrongAlgo = Cli.run("downsample", "--algo", "lttb", "--ratio", "4", "--points", "50", "--input", file);
        assertThat(wrongAlgo.exit()).isEqualTo(2);
        assertThat(wrongAlgo.err()).contains("--ratio applies to --algo minmaxlttb only");
        assertThat(Cli.run("downsample", "--algo", "minmaxlttb", "--ratio", "1", "--points", "50", "--input", file).exit())
                .isEqualTo(2);
    }

    @Test
    void usageErrorsExitTwo() {
        Cli.Result negative = Cli.runWithStdin("1,2\n", "downsample", "--algo", "lttb", "--points", "-1");
        assertThat(negative.exit()).isEqualTo(2);
        assertThat(negative.err()).startsWith("spindle: downsample: --points must be >= 0, got -1");

        Cli.Result unknown = Cli.runWithStdin("1,2\n", "downsample", "--algo", "nope", "--points", "5");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown downsampling algorithm 'nope'").contains("lttb, minmaxlttb, m4, minmax");

        assertThat(Cli.runWithStdin("1,2\n", "downsample", "--points", "5").exit()).isEqualTo(2);
        assertThat(Cli.runWithStdin("1,2\n", "downsample", "--algo", "m4", "--points", "many").exit()).isEqualTo(2);
    }

    @Test
    void badCsvNamesFileLineReasonAndText() throws IOException {
        String[][] cases = { // lines (';' separates), bad line number, message
                {"1,2;2,abc;3,4", "2", "non-numeric y value 'abc' (\"2,abc\")"},
                {"1,2;;x1,3", "3", "non-numeric x value 'x1' (\"x1,3\")"},
                {"1,2;2", "2", "missing column (expected x,y) (\"2\")"},
                {"1,2;2,3;3,4,5", "3", "extra column (expected exactly x,y) (\"3,4,5\")"},
                {"1,2;2,", "2", "empty y value (\"2,\")"},
                {"1,2;2,3d", "2", "non-numeric y value '3d' (\"2,3d\")"},
                {"0x10,2", "1", "non-numeric x value '0x10' (\"0x10,2\")"},
                {"1,2;  ,5", "2", "empty x value (\",5\")"}};
        for (String[] c : cases) {
            Path f = tmp.resolve("bad.csv");
            Files.writeString(f, c[0].replace(';', '\n') + "\n");
            Cli.Result r = Cli.run("downsample", "--algo", "lttb", "--points", "10", "--input", f.toString());
            assertThat(r.exit()).as(c[0]).isEqualTo(1);
            assertThat(r.out()).as(c[0]).isEmpty();
            assertThat(r.err()).as(c[0]).isEqualTo("spindle: " + f + ":" + c[1] + ": " + c[2] + System.lineSeparator());
        }
    }

    @Test
    void badStdinIsNamedStdin() {
        Cli.Result r = Cli.runWithStdin("1,2\r\n\r\n3;4\r\n", "downsample", "--algo", "m4", "--points", "10");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("spindle: stdin:3: missing column (expected x,y) (\"3;4\")" + System.lineSeparator());
    }

    @Test
    void emptyInputGivesEmptyOutput() {
        Cli.Result r = Cli.runWithStdin("\n\n", "downsample", "--algo", "lttb", "--points", "10");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEmpty();
    }

    @Test
    void descendingXIsWarnedAboutNotRefused() {
        Cli.Result r = Cli.runWithStdin("0,1\n2,2\n1,3\n", "downsample", "--algo", "lttb", "--points", "0");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("0,1\n2,2\n1,3\n");
        assertThat(r.err()).startsWith("spindle: warning: stdin:3: x decreases");
    }

    @Test
    void aDirectoryIsNotACsvFile() {
        Cli.Result r = Cli.run("downsample", "--algo", "lttb", "--points", "10", "--input", tmp.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("spindle: " + tmp + ": is a directory, not a CSV file" + System.lineSeparator());
    }
}
