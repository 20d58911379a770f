package io.spindle.cli;

import io.spindle.deploy.orchestrator.ModelClient;
import io.spindle.lattice.Json;
import io.spindle.lattice.transport.Transport;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Shared plumbing of the {@code spindle app} commands that talk to the orchestrator: connect, run, print. */
abstract class AppLattice implements Callable<Integer> {
    @Mixin
    LatticeOptions lattice;

    @Option(names = "--json", description = "Print JSON for machines instead of text.")
    boolean json;

    @Spec
    CommandSpec spec;

    /** Runs against the model API; returns the exit code. */
    abstract int run(Transport transport, ModelClient models, PrintWriter out, PrintWriter err);

    @Override
    public Integer call() {
        try (Transport t = lattice.connect("spindle-cli")) {
            PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
            int rc = run(t, new ModelClient(t, lattice.lattice, lattice.timeout), out, err);
            out.flush();
            err.flush();
            return rc;
        }
    }

    /** This command's name for failures, e.g. {@code app deploy}. */
    String what() {
        return spec.qualifiedName(" ").replaceFirst("^spindle ", "");
    }

    static void printJson(PrintWriter out, Object value) {
        out.println(new String(Json.write(value), StandardCharsets.UTF_8));
    }

    /** Epoch ms as ISO-8601 UTC to the second. */
    static String time(long epochMs) {
        return epochMs <= 0 ? "-" : Instant.ofEpochMilli(epochMs).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
