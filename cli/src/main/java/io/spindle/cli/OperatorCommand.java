package io.spindle.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.spindle.operator.SpindleOperator;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code spindle operator run}: the Kubernetes operator, in or outside the cluster, until SIGTERM/Ctrl-C. */
@Command(name = "operator", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "The Kubernetes operator for SpindleHostGroups and OAM Applications (deploy/kubernetes/README.md).",
        subcommands = OperatorCommand.Run.class)
public final class OperatorCommand {
    @Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Runs the operator until SIGTERM/Ctrl-C: it writes each SpindleHostGroup's Deployment or DaemonSet, "
                    + "ConfigMap, Service and RBAC and counts its hosts on the lattice; it puts and deploys each "
                    + "core.oam.dev Application through the orchestrator of its host group's lattice and mirrors its status.",
                    "Inside a cluster it uses the pod's service account; outside, --kubeconfig or $KUBECONFIG or ~/.kube/config."},
            footer = {"", "Example: spindle operator run --kubeconfig ~/.kube/config --namespace plant1"})
    static final class Run implements Callable<Integer> {
        @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Kubeconfig file (default: in-cluster, $KUBECONFIG, ~/.kube/config).")
        Path kubeconfig;

        @Option(names = "--namespace", paramLabel = "NS", description = "Watch only this namespace (default: all namespaces).")
        String namespace;

        @Option(names = "--status-interval", paramLabel = "DURATION", defaultValue = "10s", converter = DurationOption.class,
                description = "How often host counts and settled applications are re-read from the lattice (default ${DEFAULT-VALUE}).")
        Duration statusInterval;

        @Option(names = "--poll", paramLabel = "DURATION", defaultValue = "250ms", converter = DurationOption.class,
                description = "How often an application that is not yet settled is re-read (default ${DEFAULT-VALUE}).")
        Duration poll;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter err = spec.commandLine().getErr();
            Config config;
            if (kubeconfig != null) {
                if (!Files.isReadable(kubeconfig))
                    throw new ParameterException(spec.commandLine(), "--kubeconfig " + kubeconfig + ": not a readable file");
                config = Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
            } else {
                config = Config.autoConfigure(null);
            }
            KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
            SpindleOperator op;
            try {
                op = new SpindleOperator(client, namespace, statusInterval, poll).start();
            } catch (RuntimeException e) {
                client.close();
                throw e;
            }
            CountDownLatch closed = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                op.close();
                client.close();
                err.println("operator stopped");
                err.flush();
                closed.countDown();
            }, "spindle-operator-shutdown"));
            err.println("operator watches " + (namespace == null ? "all namespaces" : "namespace " + namespace) + " on "
                    + config.getMasterUrl());
            err.flush();
            closed.await(); // returns only as the JVM exits
            return 0;
        }
    }
}
