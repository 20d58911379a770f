package io.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spindle.downsample.stream.StreamConfig;
import io.spindle.downsample.stream.StreamingLttb;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComponentCommandTest {
    private static final String WORLD = "spindle:telemetry/processor@0.1.0";

    @TempDir
    Path tmp;

    private static Path component(String relative) {
        return Cli.root().resolve("components").resolve(relative);
    }

    private static String lttb() {
        return component("lttb/lttb.wasm").toString();
    }

    private static String nl() {
        return System.lineSeparator();
    }

    // ---- inspect ----

    @Test
    void inspectTableShowsSizeHashWorldAndExports() throws Exception {
        Path trap = component("adversarial/trap.wasm");
        Cli.Result r = Cli.run("component", "inspect", trap.toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        String[] lines = r.out().split("\n");
        assertThat(lines[0]).isEqualTo("file             " + trap);
        assertThat(r.out()).contains(String.format("size             %,d bytes", Files.size(trap)))
                .contains("sha256           " + sha256(Files.readAllBytes(trap)))
                .contains("world            " + WORLD + " (inferred from its exports: no spindle:world section)")
                .contains("memory           1 page (64 KiB) initial, no maximum")
                .contains("imports          none")
                .contains("custom sections  none");
        assertThat(r.out()).containsPattern("\n  process +func +\\(i32, i32, i32, i32, i32, i32\\) -> \\(i32\\)\n")
                .containsPattern("\n  cabi_post_flush +func +\\(i32\\) -> \\(\\)\n")
                .containsPattern("\n  memory +memory\n");
        for (String line : lines) assertThat(line).as("no trailing blanks").isEqualTo(line.stripTrailing());
    }

    @Test
    void inspectJsonIsOneObjectWithTheContractKeys() throws Exception {
        Path trap = component("adversarial/trap.wasm");
        Cli.Result r = Cli.run("component", "inspect", trap.toString(), "--json");
        assertThat(r.exit()).isZero();
        assertThat(r.out().strip()).doesNotContain("\n");
        Map<String, Object> j = JsonParse.object(r.out());
        assertThat(j).containsKeys("file", "size", "sha256", "world", "declared_world", "imports", "exports",
                "custom_sections", "memory");
        assertThat(j.get("file")).isEqualTo(trap.toString());
        assertThat(j.get("size")).isEqualTo((double) Files.size(trap));
        assertThat(j.get("sha256")).isEqualTo(sha256(Files.readAllBytes(trap)));
        assertThat(j.get("world")).isEqualTo(WORLD);
        assertThat(j.get("declared_world")).isNull();
        assertThat((List<?>) j.get("imports")).isEmpty();
        assertThat((List<?>) j.get("custom_sections")).isEmpty();
        @SuppressWarnings("unchecked")
        Map<String, Object> memory = (Map<String, Object>) j.get("memory");
        assertThat(memory).containsOnlyKeys("initial_pages", "max_pages").containsEntry("initial_pages", 1.0)
                .containsEntry("max_pages", null);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> exports = (List<Map<String, Object>>) j.get("exports");
        assertThat(exports).extracting(e -> e.get("name")).contains("memory", "cabi_realloc", "process", "flush",
                "snapshot", "restore", "cabi_post_process");
        for (Map<String, Object> e : exports) assertThat(e).containsOnlyKeys("name", "kind", "signature");
        Map<String, Object> process = exports.stream().filter(e -> e.get("name").equals("process")).findFirst().orElseThrow();
        assertThat(process).containsEntry("kind", "func").containsEntry("signature", "(i32, i32, i32, i32, i32, i32) -> (i32)");
    }

    @Test
    @SuppressWarnings("unchecked")
    void inspectShowsTheDeclaredWorldImportsAndCustomSectionsOfLttb() throws IOException {
        Cli.Result r = Cli.run("component", "inspect", lttb(), "--json");
        assertThat(r.exit()).isZero();
        Map<String, Object> j = JsonParse.object(r.out());
        assertThat(j.get("world")).isEqualTo(WORLD);
        assertThat(j.get("declared_world")).isEqualTo(WORLD);
        assertThat(j.get("size")).isEqualTo((double) Files.size(Path.of(lttb())));
        List<Map<String, Object>> sections = (List<Map<String, Object>>) j.get("custom_sections");
        assertThat(sections).contains(Map.of("name", "spindle:world", "size", (double) WORLD.length()));
        for (Map<String, Object> s : sections) assertThat((Double) s.get("size")).isNotNull().isGreaterThanOrEqualTo(0);
        for (Map<String, Object> imp : (List<Map<String, Object>>) j.get("imports")) {
            assertThat(imp).containsOnlyKeys("module", "name", "kind", "signature");
            assertThat((String) imp.get("module")).startsWith("spindle:telemetry/");
        }
        Cli.Result table = Cli.run("component", "inspect", lttb());
        assertThat(table.exit()).isZero();
        assertThat(table.out()).contains("world            " + WORLD + " (declared in its spindle:world section)")
                .containsPattern("\n  spindle:world +33 bytes +\"" + WORLD + "\"\n");
    }

    @Test
    void inspectOfAMalformedFileExitsOneWithTheReason() throws IOException {
        Path garbage = tmp.resolve("garbage.wasm");
        Files.writeString(garbage, "definitely not wasm");
        Cli.Result r = Cli.run("component", "inspect", garbage.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("spindle: " + garbage + ": component 'garbage' load: not a valid WebAssembly "
                + "module (19 bytes): ").endsWith(nl()).hasLineCount(1);
        assertThat(r.out()).contains("world            none: it did not load").contains("size             19 bytes");

        Cli.Result json = Cli.run("component", "inspect", garbage.toString(), "--json");
        assertThat(json.exit()).isEqualTo(1);
        Map<String, Object> j = JsonParse.object(json.out());
        assertThat(j.get("world")).isNull();
        assertThat((String) j.get("error")).startsWith("component 'garbage' load: not a valid WebAssembly module");

        byte[] good = Files.readAllBytes(Path.of(lttb()));
        Path truncated = tmp.resolve("truncated.wasm");
        Files.write(truncated, Arrays.copyOf(good, good.length / 2));
        Cli.Result t = Cli.run("component", "inspect", truncated.toString());
        assertThat(t.exit()).isEqualTo(1);
        assertThat(t.err()).startsWith("spindle: " + truncated + ": component 'truncated' load: not a valid WebAssembly module");
    }

    @Test
    void inspectOfAWorldMismatchShowsWhatItCanAndExitsOne() {
        Path wrong = component("adversarial/wrong_signature.wasm");
        Cli.Result r = Cli.run("component", "inspect", wrong.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("spindle: " + wrong + ": component 'wrong_signature' load: does not match world "
                + WORLD + ": exports 'process' as (i32) -> (i32)");
        assertThat(r.out()).containsPattern("\n  process +func +\\(i32\\) -> \\(i32\\)\n");
    }

    @Test
    void inspectUsageAndMissingFiles() {
        Cli.Result missing = Cli.run("component", "inspect", "/no/such/module.wasm");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("spindle: /no/such/module.wasm: no such file" + nl());
        assertThat(Cli.run("component", "inspect").exit()).isEqualTo(2);
        Cli.Result none = Cli.run("component");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).startsWith("spindle: component: missing subcommand (one of: inspect, run, sign, verify)");
        assertThat(Cli.run("component", "inspekt", "x.wasm").exit()).isEqualTo(2);
    }

    // ---- run ----

    /** Irregular 20 kHz-ish samples with jittered ns times, one outage, values printed as the CLI prints them. */
    private Path irregularCsv(int n, List<String> lines, long[] t, double[] v) throws IOException {
        SplittableRandom rnd = new SplittableRandom(11);
        long time = 1_700_000_000_000_000_000L;
        double y = 0;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            time += 40_000 + rnd.nextInt(20_000);
            if (i == n / 3) time += 2_000_000_000L; // a gap: two segments
            y += rnd.nextGaussian();
            double val = Math.round(y * 1000) / 1000.0;
            t[i] = time;
            v[i] = val;
            String line = time + "," + NumberText.append(new StringBuilder(), val);
            lines.add(line);
            sb.append(line).append('\n');
        }
        Path f = tmp.resolve("irregular.csv");
        Files.writeString(f, sb);
        return f;
    }

    @Test
    void runEmitsAboutNRealSamplesKeepingFirstAndLast() throws IOException {
        int n = 20_000;
        List<String> input = new java.util.ArrayList<>();
        Path csv = irregularCsv(n, input, new long[n], new double[n]);
        Set<String> lines = new HashSet<>(input);
        for (int points : new int[] {50, 300, 1000}) {
            Cli.Result r = Cli.run("component", "run", lttb(), "--points", "" + points, "--input", csv.toString());
            assertThat(r.err()).as("stderr at %d", points).isEmpty();
            assertThat(r.exit()).isZero();
            String[] out = r.out().split("\n");
            assertThat(out.length).as("points for N=%d", points).isBetween(points - points / 50 - 1, points + points / 50 + 1);
            assertThat(lines).as("every output line is an input line").contains(out);
            assertThat(out[0]).isEqualTo(input.get(0));
            assertThat(out[out.length - 1]).isEqualTo(input.get(n - 1));
            long prev = Long.MIN_VALUE;
            for (String line : out) {
                long x = Long.parseLong(line.substring(0, line.indexOf(',')));
                assertThat(x).isGreaterThan(prev);
                prev = x;
            }
        }
    }

    @Test
    void runWithAGivenBucketEqualsTheJavaEngineAndBothEnginesAgree() throws IOException {
        int n = 20_000;
        long[] t = new long[n];
        double[] v = new double[n];
        Path csv = irregularCsv(n, new java.util.ArrayList<>(), t, v);
        StringBuilder expected = new StringBuilder();
        StreamingLttb java = new StreamingLttb(StreamConfig.of(7_000_000L),
                (time, value) -> NumberText.append(expected.append(time).append(','), value).append('\n'));
        java.add(t, v, 0, n);
        java.flush();
        Cli.Result compiled = Cli.run("component", "run", lttb(), "--points", "100", "--input", csv.toString(),
                "--config", "bucket-nanos=7000000");
        assertThat(compiled.exit()).isZero();
        assertThat(compiled.out()).isEqualTo(expected.toString());
        Cli.Result interpreted = Cli.run("component", "run", lttb(), "--points", "100", "--input", csv.toString(),
                "--config", "bucket-nanos=7000000", "--engine", "interpreted", "--batch", "1000");
        assertThat(interpreted.exit()).isZero();
        assertThat(interpreted.out()).isEqualTo(expected.toString());
    }

    @Test
    void runOnCoarseRegularXLandsNearN() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1000; i++) sb.append(i).append(',').append(i % 7).append('\n');
        Cli.Result r = Cli.runWithStdin(sb.toString(), "component", "run", lttb(), "--points", "100");
        assertThat(r.exit()).isZero();
        String[] out = r.out().split("\n");
        assertThat(out.length).isBetween(90, 110);
        assertThat(out[0]).isEqualTo("0,0");
        assertThat(out[out.length - 1]).isEqualTo("999,5");
    }

    @Test
    void runKeepsLargeEpochNanosExactly() {
        // Above 2^53: a double would round these; with N >= n every sample is its own bucket and comes back.
        String in = "1700000000000000001,1.5\n1700000000000000003,-2\n1700000000000000004,3\n1700000000000000009,0\n";
        Cli.Result r = Cli.runWithStdin(in, "component", "run", lttb(), "--points", "10");
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo(in);
    }

    @Test
    void runReportsLateAndInvalidSamplesOnStderr() {
        String in = "0,1\n1000,2\n500,3\n5000000000,4\n10,5\n6000000000,NaN\n6000000001,7\n";
        Cli.Result r = Cli.runWithStdin(in, "component", "run", lttb(), "--points", "5");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("0,1\n500,3\n1000,2\n5000000000,4\n6000000001,7\n");
        assertThat(r.err()).isEqualTo("spindle: component run: stdin: the component refused 1 late sample (behind its "
                + "watermark; x first decreases at line 3) and 1 invalid (NaN or infinite)" + nl());
    }

    @Test
    void aTrappingComponentFailsWithItsError() {
        Cli.Result r = Cli.runWithStdin("1,2\n2,3\n", "component", "run", component("adversarial/trap.wasm").toString(),
                "--points", "10");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("spindle: component 'trap' process: trapped: ").hasLineCount(1);
    }

    @Test
    void aLoopingComponentIsStoppedByTheTimeout() {
        Cli.Result r = Cli.runWithStdin("1,2\n", "component", "run", component("adversarial/infinite_loop.wasm").toString(),
                "--points", "10", "--timeout", "200ms");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("spindle: component 'infinite_loop' process: ran past its deadline of 200 ms and "
                + "was interrupted" + nl());
    }

    @Test
    void aGuestErrorAndARefusedModuleFailTheRun() {
        Cli.Result bad = Cli.runWithStdin("1,2\n", "component", "run", lttb(), "--points", "10", "--config", "bucket-nanos=abc");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).startsWith("spindle: component 'lttb' ").contains("bucket-nanos");
        Path wrong = component("adversarial/wrong_signature.wasm");
        Cli.Result refused = Cli.runWithStdin("1,2\n", "component", "run", wrong.toString(), "--points", "10");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).startsWith("spindle: " + wrong + ": component 'wrong_signature' load: does not match world");
        Cli.Result memory = Cli.runWithStdin("1,2\n", "component", "run", lttb(), "--points", "10", "--memory-pages", "1");
        assertThat(memory.exit()).isEqualTo(1);
        assertThat(memory.err()).startsWith("spindle: component 'lttb' instantiate: needs ");
    }

    @Test
    void aNonIntegerXIsRejectedNamingTheLine() throws IOException {
        Cli.Result r = Cli.runWithStdin("0,1\n\n1.5,2\n", "component", "run", lttb(), "--points", "10");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("spindle: stdin:3: x value '1.5' is not an integer (x is integer nanoseconds "
                + "here) (\"1.5,2\")" + nl());
        Path f = tmp.resolve("abc.csv");
        Files.writeString(f, "1,2\nabc,3\n");
        Cli.Result named = Cli.run("component", "run", lttb(), "--points", "10", "--input", f.toString());
        assertThat(named.exit()).isEqualTo(1);
        assertThat(named.err()).isEqualTo("spindle: " + f + ":2: non-numeric x value 'abc' (\"abc,3\")" + nl());
        Cli.Result spelled = Cli.runWithStdin("1e3,1\n2000.0,2\n", "component", "run", lttb(), "--points", "10");
        assertThat(spelled.exit()).isZero();
        assertThat(spelled.out()).isEqualTo("1000,1\n2000,2\n");
    }

    @Test
    void runUsageErrorsExitTwo() {
        String m = lttb();
        assertThat(Cli.runWithStdin("1,2\n", "component", "run", m).exit()).isEqualTo(2);
        Cli.Result few = Cli.runWithStdin("1,2\n", "component", "run", m, "--points", "2");
        assertThat(few.exit()).isEqualTo(2);
        assertThat(few.err()).startsWith("spindle: component run: --points must be >= 3, got 2");
        assertThat(Cli.runWithStdin("1,2\n", "component", "run", m, "--points", "10", "--engine", "jit").exit()).isEqualTo(2);
        assertThat(Cli.runWithStdin("1,2\n", "component", "run", m, "--points", "10", "--config", "novalue").exit()).isEqualTo(2);
        assertThat(Cli.runWithStdin("1,2\n", "component", "run", m, "--points", "10", "--timeout", "soon").exit()).isEqualTo(2);
        assertThat(Cli.runWithStdin("1,2\n", "component", "run", m, "--points", "10", "--memory-pages", "0").exit()).isEqualTo(2);
    }

    @Test
    void anyProcessorRunsAsAFilterInInputOrder() {
        // passthrough emits every finite sample as given: the run changes nothing, not even the order.
        String in = "1700000000000000009,1\n5,-2.5\n-7,3e-7\n0,100\n";
        Cli.Result r = Cli.runWithStdin(in + "8,NaN\n", "component", "run",
                component("passthrough/passthrough.wasm").toString(), "--points", "3", "--series", "s1");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("1700000000000000009,1\n5,-2.5\n-7,3e-7\n0,100\n");
        assertThat(r.err()).contains("refused 0 late samples").contains("and 1 invalid");
    }

    @Test
    void emptyInputGivesEmptyOutput() {
        Cli.Result r = Cli.runWithStdin("\n", "component", "run", lttb(), "--points", "10");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEmpty();
    }

    /** Computed here with the JDK, not with the code under test. */
    private static String sha256(byte[] bytes) throws java.security.NoSuchAlgorithmException {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
