package io.spindle.operator;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spindle.deploy.orchestrator.ModelClient;
import io.spindle.lattice.LatticeClient;
import io.spindle.lattice.transport.NatsConnectOptions;
import io.spindle.lattice.transport.NatsTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One NATS connection per (URL, credentials secret version, lattice), shared by both reconcilers: the operator
 * talks to lattices as any `spindle` client does, with the group's credentials read from its Secret.
 */
final class LatticeConnections implements AutoCloseable {
    /** A lattice as the operator reaches it. */
    record Lattice(String name, NatsTransport transport, LatticeClient client, ModelClient models) {
    }

    private final KubernetesClient kube;
    private final Duration timeout;
    private final Map<String, Lattice> open = new ConcurrentHashMap<>();

    LatticeConnections(KubernetesClient kube, Duration timeout) {
        this.kube = kube;
        this.timeout = timeout;
    }

    /** The lattice of a group, connected on first use; a missing secret or unreachable NATS is an exception naming it. */
    Lattice of(SpindleHostGroup g) {
        HostGroupSpec s = g.getSpec();
        String ns = g.getMetadata().getNamespace();
        Secret secret = null;
        if (s.credentialsSecret != null && !s.credentialsSecret.isBlank()) {
            secret = kube.secrets().inNamespace(ns).withName(s.credentialsSecret).get();
            if (secret == null)
                throw new IllegalStateException("credentials secret '" + s.credentialsSecret + "' not found in namespace " + ns);
        }
        String key = s.nats + "|" + s.lattice + "|" + (secret == null ? "-" : ns + "/" + secret.getMetadata().getName() + "@"
                + secret.getMetadata().getResourceVersion());
        Secret sec = secret;
        return open.computeIfAbsent(key, k -> connect(s, sec, g.groupKey()));
    }

    private Lattice connect(HostGroupSpec s, Secret secret, String who) {
        NatsConnectOptions o = NatsConnectOptions.defaults().withConnectTimeout(Duration.ofSeconds(3));
        if (secret != null) o = withCredentials(o, secret);
        NatsTransport t = NatsTransport.connect(Arrays.asList(s.nats.split(",")), "spindle-operator " + who, o);
        return new Lattice(s.lattice, t, new LatticeClient(t, s.lattice, timeout), new ModelClient(t, s.lattice, timeout));
    }

    private static NatsConnectOptions withCredentials(NatsConnectOptions o, Secret secret) {
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        String name = secret.getMetadata().getName();
        if (data.containsKey("nats.creds")) {
            try {
                Path f = Files.createTempFile("spindle-operator-", ".creds",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                f.toFile().deleteOnExit();
                Files.write(f, Base64.getDecoder().decode(data.get("nats.creds")));
                return o.withCredsFile(f);
            } catch (IOException e) {
                throw new UncheckedIOException("credentials secret '" + name + "': cannot write the creds file", e);
            }
        }
        if (data.containsKey("user") && data.containsKey("password"))
            return o.withUserPassword(decode(data.get("user")), decode(data.get("password")));
        throw new IllegalStateException("credentials secret '" + name + "' has neither key nats.creds nor user and password");
    }

    private static String decode(String b64) {
        return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    }

    /** Drops a connection that failed so the next use reconnects. */
    void forget(Lattice l) {
        open.values().removeIf(x -> {
            if (x != l) return false;
            l.transport().close();
            return true;
        });
    }

    @Override
    public void close() {
        open.values().forEach(l -> l.transport().close());
        open.clear();
    }
}
