package io.spindle.cli;

import io.spindle.deploy.orchestrator.Orchestrator;
import io.spindle.host.Host;
import io.spindle.host.PolicyConfig;
import io.spindle.lattice.transport.Transport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code spindle host}: runs a host in the lattice until stopped. SIGTERM or Ctrl-C stops it cleanly (components
 * checkpointed, subscriptions drained, host_stopped published); so does {@code spindle stop host ID}. It runs an
 * orchestrator in the same process (stand-by unless it wins the lattice's lease) unless {@code --no-orchestrator}.
 */
@Command(name = "host", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Runs a host in the lattice until stopped (SIGTERM/Ctrl-C: checkpoints flushed, drained, deregistered).",
                "It also runs an orchestrator (what `spindle app` talks to; see `spindle orchestrator`) on the same "
                        + "connection and lattice: it stands by unless it wins the lattice's lease, and is closed before "
                        + "the host (handing the lease over). --no-orchestrator leaves that to others."},
        footer = {"", "Example: spindle host --lattice plant1 --label zone=edge --heartbeat 10s"})
public final class HostCommand implements Callable<Integer> {
    @Mixin
    LatticeOptions lattice;

    @Option(names = "--label", paramLabel = "K=V", description = "Host label, e.g. zone=edge (repeatable).")
    List<String> labels;

    @Option(names = "--name", paramLabel = "NAME", description = "Friendly name (default: machine name and id prefix).")
    String name;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:SPINDLE_DATA:-${sys:user.home}/.local/share/spindle/host}",
            description = "Host key seed (0600: the id survives restarts) and compiled-module cache (default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--heartbeat", paramLabel = "DURATION", defaultValue = "30s", converter = DurationOption.class,
            description = "Interval of host_heartbeat events (default ${DEFAULT-VALUE}).")
    Duration heartbeat;

    @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "100",
            description = "Checkpoint a stateful component after N input messages (default ${DEFAULT-VALUE}) ...")
    int checkpointMessages;

    @Option(names = "--checkpoint-interval", paramLabel = "DURATION", defaultValue = "5s", converter = DurationOption.class,
            description = "... or this long after its state changed (default ${DEFAULT-VALUE}).")
    Duration checkpointInterval;

    @Option(names = "--require-signed", description = "Refuse components without a valid signature (`component sign`); "
            + "signed components are always verified, unsigned ones run without this.")
    boolean requireSigned;

    @Option(names = "--trusted-issuer", paramLabel = "KEY", description = "Run only components signed by this account "
            + "public key (A...; repeatable; default: any issuer whose signature verifies).")
    List<String> trustedIssuers;

    @Option(names = "--no-orchestrator", description = "Do not run an orchestrator in this process.")
    boolean noOrchestrator;

    @Option(names = "--host-expiry", paramLabel = "DURATION", converter = DurationOption.class,
            description = "For the orchestrator: a host silent this long is lost and its components are placed elsewhere "
                    + "(default 3 x --heartbeat).")
    Duration hostExpiry;

    @Option(names = "--policy-subject", paramLabel = "S",
            description = "Ask the policy service on S (e.g. spindle.policy.<lattice>, see `spindle policy serve`) before starting "
                    + "components and providers and applying links (default: no policy service).")
    String policySubject;

    @Option(names = "--policy-timeout", paramLabel = "DURATION", defaultValue = "1s", converter = DurationOption.class,
            description = "How long to wait for the policy service before --policy-default applies (default ${DEFAULT-VALUE}).")
    Duration policyTimeout;

    @Option(names = "--policy-cache", paramLabel = "DURATION", defaultValue = "60s", converter = DurationOption.class,
            description = "How long a decision is reused; a rules change announced on <subject>.changes drops them (default ${DEFAULT-VALUE}).")
    Duration policyCache;

    @Option(names = "--policy-default", paramLabel = "deny|allow", defaultValue = "deny",
            description = "The decision when the policy service does not answer or answers nonsense (default ${DEFAULT-VALUE}).")
    String policyDefault;

    @Spec
    CommandSpec spec;

    private PolicyConfig policyConfig() {
        if (!policyDefault.equals("deny") && !policyDefault.equals("allow"))
            throw new IllegalArgumentException("--policy-default must be deny or allow, got '" + policyDefault + "'");
        return new PolicyConfig(policySubject, policyTimeout, policyCache, null, policyDefault.equals("allow"));
    }

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> l = LatticeCommands.pairs(labels, spec, "--label");
        PrintWriter err = spec.commandLine().getErr();
        if (trustedIssuers != null) for (String k : trustedIssuers) { // before connecting: a typo is a usage error
            String bad = io.spindle.wasm.claims.ComponentClaims.checkIssuerKey(k);
            if (bad != null) throw new ParameterException(spec.commandLine(), "--trusted-issuer " + bad);
        }
        if (trustedIssuers != null && !requireSigned)
            err.println("spindle: note: without --require-signed, unsigned components still run; --trusted-issuer restricts signed ones");
        PolicyConfig policy;
        try {
            policy = policySubject == null ? null : policyConfig();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Transport t = lattice.connect("spindle-host");
        Host host;
        try {
            Host.Builder b = Host.builder(t).lattice(lattice.lattice).labels(l).dataDir(dataDir).heartbeat(heartbeat)
                    .checkpointEvery(checkpointMessages, checkpointInterval);
            if (name != null) b.friendlyName(name);
            b.requireSigned(requireSigned);
            if (trustedIssuers != null) trustedIssuers.forEach(b::trustedIssuer);
            if (policy != null) b.policy(policy);
            host = b.build();
        } catch (IllegalArgumentException e) {
            t.close();
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        host.start();
        Orchestrator orchestrator = noOrchestrator ? null : Orchestrator.builder(t).lattice(lattice.lattice)
                .hostExpiry(hostExpiry != null ? hostExpiry : heartbeat.multipliedBy(3)).build().start();
        Thread hook = new Thread(() -> {
            if (orchestrator != null) orchestrator.close();
            host.close();
            t.close();
        }, "spindle-host-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        err.println("host " + host.id() + " (" + host.friendlyName() + ") joined lattice '" + lattice.lattice + "' on "
                + t.describe() + (l.isEmpty() ? "" : " with labels " + LatticeCommands.labels(l))
                + (requireSigned ? "; it runs signed components only" : "")
                + (orchestrator == null ? "" : "; orchestrator " + orchestrator.id() + " started (it acts when it holds the lattice's lease)"));
        err.flush();
        host.awaitStopped(); // returns after spindle stop host, or never (the shutdown hook stops it)
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return 0;
        }
        if (orchestrator != null) orchestrator.close();
        t.close();
        err.println("host " + host.id() + " stopped");
        err.flush();
        return 0;
    }
}
