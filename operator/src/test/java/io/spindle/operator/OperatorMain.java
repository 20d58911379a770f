package io.spindle.operator;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The operator alone in a JVM (what `spindle operator run` does), for measuring its memory: args KUBECONFIG NAMESPACE. */
public final class OperatorMain {
    private OperatorMain() {
    }

    public static void main(String[] args) throws Exception {
        Config c = Config.fromKubeconfig(null, Files.readString(Path.of(args[0])), args[0]);
        KubernetesClient client = new KubernetesClientBuilder().withConfig(c).build();
        SpindleOperator op = new SpindleOperator(client, args[1], Duration.ofSeconds(2), Duration.ofMillis(100)).start();
        System.out.println("started");
        System.out.flush();
        System.in.read(); // runs until stdin closes
        op.close();
        client.close();
    }
}
