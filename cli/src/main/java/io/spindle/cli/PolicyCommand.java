package io.spindle.cli;

import io.spindle.lattice.Subjects;
import io.spindle.lattice.transport.Transport;
import io.spindle.policy.PolicyRules;
import io.spindle.policy.PolicyServer;
import io.spindle.policy.RulesException;
import io.spindle.policy.RulesFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code spindle policy serve|validate}: the policy service hosts ask before starting things and applying links. */
@Command(name = "policy", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        subcommands = {PolicyCommand.Serve.class, PolicyCommand.Validate.class},
        description = {"The policy service: hosts started with --policy-subject ask it before starting a component or a "
                + "provider and before applying a link. Rules: an ordered list of allow/deny rules in YAML, first match "
                + "wins (format: policy/README.md)."},
        footer = {"", "Example:", "  spindle policy serve --rules policy.yaml --lattice plant1",
                "  spindle host --lattice plant1 --policy-subject spindle.policy.plant1"})
public final class PolicyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing subcommand (one of: " + String.join(", ", spec.subcommands().keySet()) + ")");
    }

    static PolicyRules read(Path file) {
        try {
            return RulesFile.read(file);
        } catch (NoSuchFileException e) {
            throw new CliFailure(file.toString(), "no such file");
        } catch (IOException e) {
            throw new CliFailure(file.toString(), "cannot read: " + FailureHandler.ioReason(e));
        }
    }

    /** {@code spindle policy serve}: answers on the subject until SIGTERM/Ctrl-C; SIGHUP re-reads the rules. */
    @Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Answers hosts' policy requests from a rules file until SIGTERM/Ctrl-C. The file is re-read when it "
                    + "changes (checked every --poll) and on SIGHUP; a valid new version takes effect and is announced on the "
                    + "changes subject (hosts drop their cached decisions); an invalid one is reported and the rules in force stay."},
            footer = {"", "Example: spindle policy serve --rules policy.yaml --lattice plant1"})
    static final class Serve implements Callable<Integer> {
        @Mixin
        LatticeOptions lattice;

        @Option(names = "--rules", required = true, paramLabel = "FILE", description = "The rules file (YAML).")
        Path rules;

        @Option(names = "--subject", paramLabel = "S", description = "Subject to answer on (default spindle.policy.<lattice>).")
        String subject;

        @Option(names = "--changes-subject", paramLabel = "S", description = "Where rule changes are announced (default <subject>.changes).")
        String changesSubject;

        @Option(names = "--poll", paramLabel = "DURATION", defaultValue = "1s", converter = DurationOption.class,
                description = "How often the rules file is checked for changes (default ${DEFAULT-VALUE}).")
        Duration poll;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException, IOException {
            PrintWriter err = spec.commandLine().getErr();
            read(rules); // a broken file is a failure before connecting
            String s = subject != null ? subject : "spindle.policy." + new Subjects(lattice.lattice).lattice();
            Transport t = lattice.connect("spindle-policy");
            PolicyServer server;
            try {
                server = PolicyServer.start(t, rules, s, changesSubject, poll);
            } catch (RuntimeException | IOException e) {
                t.close();
                throw e;
            }
            CountDownLatch closed = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                t.close();
                PolicyServer.Stats st = server.stats();
                err.println("policy service stopped: " + st.requests() + " requests, " + st.allowed() + " allowed, " + st.denied() + " denied, "
                        + st.malformed() + " malformed, " + st.reloads() + " reloads, " + st.reloadFailures() + " refused reloads");
                err.flush();
                closed.countDown();
            }, "spindle-policy-shutdown"));
            try {
                sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> {
                    String why = server.reload();
                    err.println(why == null ? "SIGHUP: rules " + rules + " read (" + server.rules().size() + " rules)" : "SIGHUP: " + why);
                    err.flush();
                });
            } catch (IllegalArgumentException | UnsupportedOperationException noHup) {
                err.println("note: SIGHUP is not available here; the rules file is still re-read when it changes");
            }
            err.println("policy service answering on " + s + " (lattice '" + lattice.lattice + "', " + t.describe() + ") with "
                    + server.rules().size() + " rules from " + rules + ", default " + (server.rules().defaultAllow() ? "allow" : "deny"));
            err.flush();
            closed.await(); // the shutdown hook ends it
            return 0;
        }
    }

    /** {@code spindle policy validate FILE}: every problem of a rules file, each with its path. */
    @Command(name = "validate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Check a rules file: every problem with its path in the document. Exit code 0 when valid, 1 when not."},
            footer = {"", "Example: spindle policy validate policy.yaml"})
    static final class Validate implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "The rules file (YAML).")
        Path file;

        @Option(names = "--json", description = "Print {\"file\", \"valid\", \"rules\", \"default\", \"problems\": [...]} (rules and default only when valid).")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PolicyRules r = null;
            List<String> problems = List.of();
            try {
                r = read(file);
            } catch (RulesException e) {
                problems = e.problems();
            }
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("file", file.toString());
                m.put("valid", r != null);
                m.put("rules", r == null ? null : r.size());
                m.put("default", r == null ? null : r.defaultAllow() ? "allow" : "deny");
                m.put("problems", problems);
                out.println(new String(io.spindle.lattice.Json.write(m), java.nio.charset.StandardCharsets.UTF_8));
            } else if (r != null) {
                out.println(file + ": valid (" + r.size() + " rules, default " + (r.defaultAllow() ? "allow" : "deny") + ")");
            } else {
                for (String p : problems) out.println(file + ": " + p);
            }
            out.flush();
            return r != null ? 0 : 1;
        }
    }
}
