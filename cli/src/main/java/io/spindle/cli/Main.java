package io.spindle.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code spindle} command: exit 0 ok, 1 failure, 2 usage error. */
@Command(name = "spindle", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Spindle: high-velocity machine data from the factory floor to the cloud.",
        subcommands = {DemoCommand.class, DownsampleCommand.class, FidelityCommand.class, BenchCommand.class,
                ComponentCommand.class, KeysCommand.class, HostCommand.class, LatticeCommands.Get.class, LatticeCommands.Start.class,
                LatticeCommands.Stop.class, LatticeCommands.LinkCmd.class, LatticeCommands.ConfigCmd.class,
                ReplayCommand.class,
                AppCommand.class, OrchestratorCommand.class, OperatorCommand.class, PolicyCommand.class,
                LatticeCommands.Events.class, CompletionCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 failure, 2 usage error. SPINDLE_DEBUG=1 or --verbose prints stack traces."})
public final class Main implements Callable<Integer> {

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print the stack trace of a failure.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command (one of: "
                + String.join(", ", spec.subcommands().keySet()) + ")");
    }

    /** A fully configured command line; {@code execute(args)} on it returns the exit code. */
    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new Main());
        cmd.setExecutionExceptionHandler(new FailureHandler());
        cmd.setParameterExceptionHandler(new UsageErrorHandler());
        return cmd;
    }

    public static void main(String[] args) {
        // one line per log record, "spindle: LEVEL source: message", unless the user configured logging
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null
                && System.getProperty("java.util.logging.config.file") == null)
            System.setProperty("java.util.logging.SimpleFormatter.format", "spindle: %4$s %3$s: %5$s%6$s%n");
        int exit;
        try {
            exit = commandLine().execute(args);
        } catch (OutOfMemoryError e) { // picocli hands Errors through; this one the user can fix
            System.err.println("spindle: out of memory (" + e.getMessage() + "): give Java more heap, e.g. "
                    + "SPINDLE_JAVA_OPTS=-Xmx4g");
            exit = 1;
        }
        System.exit(exit);
    }
}
