package io.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

    /** Every command path below the root, e.g. [downsample], [bench, downsample]. */
    private static List<List<String>> commandPaths(CommandLine cmd, List<String> prefix, List<List<String>> acc) {
        for (var e : cmd.getSubcommands().entrySet()) {
            List<String> path = new ArrayList<>(prefix);
            path.add(e.getKey());
            acc.add(path);
            commandPaths(e.getValue(), path, acc);
        }
        return acc;
    }

    @Test
    void helpOnEveryCommandExitsZero() {
        List<List<String>> paths = commandPaths(Main.commandLine(), List.of(), new ArrayList<>());
        assertThat(paths).extracting(p -> String.join(" ", p))
                .contains("demo", "downsample", "fidelity", "bench", "completion", "component", "component inspect",
                        "component run", "bench component");
        paths.add(List.of());
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            Cli.Result r = Cli.run(args.toArray(String[]::new));
            assertThat(r.exit()).as("exit of %s", args).isZero();
            assertThat(r.out()).as("help of %s", args).contains("Usage:");
        }
    }

    @Test
    void versionNamesSpindleAndTheJavaRuntime() {
        Cli.Result r = Cli.run("--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("spindle 0.1.0").contains("Java " + Runtime.version().feature());
        assertThat(r.out()).doesNotContain("${");
        assertThat(Cli.run("downsample", "--version").out()).startsWith("spindle ");
    }

    @Test
    void completionScriptCoversTheCommands() {
        Cli.Result r = Cli.run("completion");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("complete -F", "spindle")
                .contains("demo", "downsample", "fidelity", "bench", "completion", "component", "inspect", "run")
                .contains("--algo", "lttb", "minmaxlttb")
                .contains("--engine", "compiled", "interpreted");
    }

    @Test
    void noCommandOrAnUnknownOneIsAUsageError() {
        Cli.Result none = Cli.run();
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).startsWith("spindle: usage: missing command");

        Cli.Result unknown = Cli.run("downsampel");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("downsampel").contains("downsample");

        assertThat(Cli.run("downsample", "--no-such-option").exit()).isEqualTo(2);
    }

    @Test
    void failuresAreOneLineUnlessVerbose() {
        Cli.Result quiet = Cli.run("downsample", "--algo", "lttb", "--points", "10", "--input", "/no/such/file.csv");
        assertThat(quiet.exit()).isEqualTo(1);
        assertThat(quiet.err()).isEqualTo("spindle: /no/such/file.csv: no such file" + System.lineSeparator());

        Cli.Result verbose = Cli.run("downsample", "--algo", "lttb", "--points", "10", "--input", "/no/such/file.csv",
                "--verbose");
        assertThat(verbose.exit()).isEqualTo(1);
        assertThat(verbose.err()).startsWith("spindle: /no/such/file.csv: no such file")
                .contains("CliFailure").contains("\tat ");
    }
}
