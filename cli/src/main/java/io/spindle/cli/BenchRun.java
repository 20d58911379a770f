package io.spindle.cli;

import io.spindle.bench.BenchException;
import java.io.PrintWriter;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * How every {@code spindle bench} command runs: the options become a config (an IllegalArgumentException is a usage
 * error, exit 2), progress lines go to stderr, the report to stdout as a table or JSON, and a benchmark that fails
 * (or whose report says it failed) is named on stderr with exit 1.
 */
final class BenchRun {
    /** Builds the config from the options. */
    @FunctionalInterface
    interface Config<C> {
        C make() throws BenchException;
    }

    /** Runs the benchmark with that config, reporting progress lines. */
    @FunctionalInterface
    interface Run<C> {
        Result run(C config, Consumer<String> progress) throws BenchException;
    }

    /** What to print: the report as JSON and as a table; failure non-null marks the run failed (exit 1). */
    record Result(String json, String table, String failure) {
    }

    private BenchRun() {
    }

    /** Runs benchmark name ({@code spindle bench <name>}); returns the exit code. */
    static <C> int run(CommandSpec spec, String name, boolean json, Config<C> config, Run<C> run) {
        PrintWriter err = spec.commandLine().getErr();
        try {
            C c;
            try {
                c = config.make();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            Result r = run.run(c, line -> {
                err.println(line);
                err.flush();
            });
            PrintWriter out = spec.commandLine().getOut();
            out.println(json ? r.json() : r.table());
            out.flush();
            return r.failure() == null ? 0 : failure(err, name, r.failure());
        } catch (BenchException e) {
            return failure(err, name, e.getMessage());
        }
    }

    private static int failure(PrintWriter err, String name, String why) {
        err.println("spindle: bench " + name + ": " + why);
        err.flush();
        return 1;
    }
}
