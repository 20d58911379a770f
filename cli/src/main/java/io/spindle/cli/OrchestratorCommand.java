package io.spindle.cli;

import io.spindle.deploy.orchestrator.Orchestrator;
import io.spindle.lattice.transport.Transport;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spindle orchestrator}: runs an orchestrator (model API and, while it holds the lattice's lease, the
 * reconciler) until SIGTERM/Ctrl-C, which releases the lease so a stand-by takes over at once.
 */
@Command(name = "orchestrator", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Runs an orchestrator until SIGTERM/Ctrl-C: it answers `spindle app` (the model API) and, while "
                + "it holds the lattice's lease, reconciles every deployed application (places, links, re-places from "
                + "lost hosts, rolls out new versions). Several may run: one acts, the others stand by and take over "
                + "within --lease-ttl when it dies; a clean stop hands the lease over at once.",
                "Every `spindle host` runs one too unless --no-orchestrator; this command is for a lattice whose "
                        + "hosts do not, or for an orchestrator apart from the hosts."},
        footer = {"", "Example: spindle orchestrator --lattice plant1 --host-expiry 30s"})
public final class OrchestratorCommand implements Callable<Integer> {
    @Mixin
    LatticeOptions lattice;

    @Option(names = "--host-expiry", paramLabel = "DURATION", defaultValue = "90s", converter = DurationOption.class,
            description = "A host silent this long is lost and its components are placed elsewhere (default ${DEFAULT-VALUE}: "
                    + "3 heartbeats of `spindle host`'s default 30s).")
    Duration hostExpiry;

    @Option(names = "--lease-ttl", paramLabel = "DURATION", defaultValue = "6s", converter = DurationOption.class,
            description = "A stand-by takes over when the acting orchestrator has not renewed its lease for this long (default ${DEFAULT-VALUE}).")
    Duration leaseTtl;

    @Option(names = "--probation", paramLabel = "DURATION", defaultValue = "3s", converter = DurationOption.class,
            description = "In a rolling upgrade, how long a new instance must stay healthy before the next host (default ${DEFAULT-VALUE}).")
    Duration probation;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        Transport t = lattice.connect("spindle-orchestrator");
        Orchestrator o;
        try {
            o = Orchestrator.builder(t).lattice(lattice.lattice).hostExpiry(hostExpiry).leaseTtl(leaseTtl)
                    .probation(probation).build().start();
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            o.close();
            t.close();
            err.println("orchestrator " + o.id() + " stopped (lease released)");
            err.flush();
            closed.countDown();
        }, "spindle-orchestrator-shutdown"));
        err.println("orchestrator " + o.id() + " serves lattice '" + lattice.lattice + "' on " + t.describe()
                + "; it acts once it holds the lease (host expiry " + AppWait.seconds(hostExpiry) + ")");
        err.flush();
        closed.await(); // never returns normally: the shutdown hook runs as the JVM exits
        return 0;
    }
}
