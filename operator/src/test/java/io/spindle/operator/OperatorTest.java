package io.spindle.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spindle.deploy.orchestrator.AppStatus;
import io.spindle.deploy.orchestrator.ModelClient;
import io.spindle.deploy.orchestrator.Orchestrator;
import io.spindle.host.Host;
import io.spindle.lattice.transport.NatsServerProcess;
import io.spindle.lattice.transport.NatsTransport;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator against a real kube-apiserver (etcd beside it) and a real nats-server, with Spindle hosts and an
 * orchestrator in this JVM joined to the lattice (no kubelet: the hosts stand in for the pods).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorTest {
    static final String NS = "plant", LATTICE = "k8s", GROUP_KEY = NS + ".edge";
    static final Path ROOT = Path.of(System.getProperty("spindle.root", "..")).toAbsolutePath().normalize();

    @TempDir
    static Path dir;
    static ApiServerFixture api;
    static KubernetesClient kube;
    static NatsServerProcess nats;
    static NatsTransport transport;
    static Orchestrator orchestrator;
    static ModelClient models;
    static SpindleOperator operator;
    static final List<Host> hosts = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(NatsServerProcess.available(), "nats-server not installed");
        api = ApiServerFixture.start(dir.resolve("kube"));
        kube = api.newClient();
        for (Path crd : Crds.generate(dir.resolve("crds")))
            try (InputStream in = Files.newInputStream(crd)) {
                for (HasMetadata o : kube.load(in).items()) kube.resource(o).fieldManager("test").serverSideApply();
            }
        kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).serverSideApply();
        await("CRDs served", () -> {
            try {
                kube.resources(SpindleHostGroup.class).inNamespace(NS).list();
                kube.resources(OamApplication.class).inNamespace(NS).list();
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        });
        nats = NatsServerProcess.start(dir.resolve("nats"));
        transport = NatsTransport.connect(nats.url(), "operator-test");
        orchestrator = Orchestrator.builder(transport).lattice(LATTICE).hostExpiry(Duration.ofSeconds(1)).leaseTtl(Duration.ofMillis(900))
                .tick(Duration.ofMillis(100)).probation(Duration.ofMillis(300)).retry(Duration.ofMillis(500))
                .discoveryWindow(Duration.ofMillis(200)).build().start();
        models = new ModelClient(transport, LATTICE, Duration.ofSeconds(5));
        operator = new SpindleOperator(kube, NS, Duration.ofMillis(300), Duration.ofMillis(100)).start();
    }

    @AfterAll
    static void stop() {
        if (operator != null) operator.close();
        hosts.forEach(Host::close);
        if (orchestrator != null) orchestrator.close();
        if (transport != null) transport.close();
        if (nats != null) nats.close();
        if (kube != null) kube.close();
        if (api != null) api.close();
    }

    static Host host(String name, Map<String, String> labels) {
        Host h = Host.builder(transport).lattice(LATTICE).friendlyName(name).labels(labels).heartbeat(Duration.ofMillis(200))
                .discoveryWindow(Duration.ofMillis(150)).build().start();
        hosts.add(h);
        return h;
    }

    static SpindleHostGroup group(String name, Integer replicas, Boolean daemon, String jvm) {
        SpindleHostGroup g = new SpindleHostGroup();
        g.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        HostGroupSpec s = new HostGroupSpec();
        s.lattice = LATTICE;
        s.nats = nats.url();
        s.labels = Map.of("zone", "edge");
        s.replicas = replicas;
        s.daemon = daemon;
        s.jvmOptions = jvm;
        s.image = "spindle-host:test";
        g.setSpec(s);
        return g;
    }

    @Test
    @Order(1)
    void hostGroupWritesItsObjectsFollowsSpecChangesAndCountsLatticeHosts() {
        kube.resource(group("edge", 2, null, "-Xmx256m")).serverSideApply();
        Deployment d = awaitValue("Deployment edge", () -> kube.apps().deployments().inNamespace(NS).withName("edge").get());
        List<String> args = d.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
        assertThat(d.getSpec().getReplicas()).isEqualTo(2);
        assertThat(String.join(" ", args)).contains("host --lattice k8s --nats " + nats.url())
                .contains("--label spindle.io/host-group=" + GROUP_KEY).contains("--label zone=edge");
        assertThat(d.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getKind()).isEqualTo("SpindleHostGroup"));
        assertThat(kube.serviceAccounts().inNamespace(NS).withName("edge-host").get().getAutomountServiceAccountToken()).isFalse();
        assertThat(kube.rbac().roles().inNamespace(NS).withName("edge-host").get().getRules()).isNotEmpty();
        assertThat(kube.rbac().roleBindings().inNamespace(NS).withName("edge-host").get().getSubjects().get(0).getName()).isEqualTo("edge-host");
        assertThat(kube.configMaps().inNamespace(NS).withName("edge-host").get().getData()).containsEntry("JAVA_TOOL_OPTIONS", "-Xmx256m")
                .containsEntry("SPINDLE_LATTICE", LATTICE);
        assertThat(kube.services().inNamespace(NS).withName("edge").get().getSpec().getPorts().get(0).getPort()).isEqualTo(8080);
        SpindleHostGroup g = awaitValue("status of edge", () -> {
            SpindleHostGroup x = kube.resources(SpindleHostGroup.class).inNamespace(NS).withName("edge").get();
            return x.getStatus() != null && x.getStatus().readyHosts != null ? x : null;
        });
        assertThat(g.getStatus().readyHosts).isZero();
        assertThat(cond(g.getStatus().conditions, "Progressing").getReason()).isEqualTo("HostsStarting");

        // hosts beside the API server with the group's label count; one of another group does not
        host("edge-1", Map.of(SpindleHostGroup.GROUP_LABEL, GROUP_KEY, "zone", "edge"));
        host("edge-2", Map.of(SpindleHostGroup.GROUP_LABEL, GROUP_KEY, "zone", "edge"));
        host("other", Map.of(SpindleHostGroup.GROUP_LABEL, NS + ".cloud", "zone", "cloud"));
        SpindleHostGroup ready = awaitValue("2 ready hosts", () -> {
            SpindleHostGroup x = kube.resources(SpindleHostGroup.class).inNamespace(NS).withName("edge").get();
            return x.getStatus().readyHosts == 2 && "True".equals(cond(x.getStatus().conditions, "Ready").getStatus()) ? x : null;
        });
        assertThat(ready.getStatus().hosts).hasSize(2).allMatch(h -> h.contains("edge-"));
        assertThat(ready.getStatus().observedGeneration).isEqualTo(ready.getMetadata().getGeneration());

        // spec change: one per node now, new JVM options: a DaemonSet replaces the Deployment, the pods roll
        String oldHash = d.getSpec().getTemplate().getMetadata().getAnnotations().get("spindle.io/config-hash");
        kube.resource(group("edge", null, true, "-Xmx512m")).serverSideApply();
        DaemonSet ds = awaitValue("DaemonSet edge", () -> kube.apps().daemonSets().inNamespace(NS).withName("edge").get());
        await("Deployment edge deleted", () -> kube.apps().deployments().inNamespace(NS).withName("edge").get() == null);
        assertThat(ds.getSpec().getTemplate().getMetadata().getAnnotations().get("spindle.io/config-hash")).isNotEqualTo(oldHash);
        assertThat(kube.configMaps().inNamespace(NS).withName("edge-host").get().getData()).containsEntry("JAVA_TOOL_OPTIONS", "-Xmx512m");

        // a spec the schema cannot refuse gets a clear condition
        SpindleHostGroup bad = group("broken", 1, null, null);
        bad.getSpec().lattice = "no spaces allowed";
        kube.resource(bad).serverSideApply();
        SpindleHostGroup b = awaitValue("broken's condition", () -> {
            SpindleHostGroup x = kube.resources(SpindleHostGroup.class).inNamespace(NS).withName("broken").get();
            return x.getStatus() != null ? x : null;
        });
        assertThat(cond(b.getStatus().conditions, "Degraded").getReason()).isEqualTo("InvalidSpec");
        assertThat(cond(b.getStatus().conditions, "Degraded").getMessage()).contains("spec.lattice 'no spaces allowed'");
        assertThat(kube.apps().deployments().inNamespace(NS).withName("broken").get()).isNull();
    }

    static String manifest(String version, int instances, String extraTrait) {
        return """
                apiVersion: core.oam.dev/v1beta1
                kind: Application
                metadata:
                  name: downsampler
                  namespace: %s
                  annotations:
                    version: %s
                    description: LTTB on the edge
                    spindle.io/host-group: edge
                spec:
                  components:
                    - name: kv
                      type: capability
                      properties:
                        image: spindle:keyvalue
                      traits:
                        - type: daemonscaler
                          properties:
                            instances: 1
                            spread:
                              - name: edge
                                requirements: {zone: edge}
                    - name: lttb
                      type: component
                      properties:
                        image: "%s"
                        id: lttb
                        config:
                          - name: lttb-settings
                            properties: {bucket-nanos: "10000000"}
                      traits:
                        - type: spreadscaler
                          properties:
                            instances: %d
                            spread:
                              - name: edge
                                requirements: {zone: edge}
                %s""".formatted(NS, version, ROOT.resolve("components/lttb/lttb.wasm"), instances, extraTrait);
    }

    void kubectl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(api.kubectl().toString(), "--kubeconfig", api.kubeconfig().toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("kubectl " + String.join(" ", args) + ": " + out).isZero();
    }

    OamApplication app(String name) {
        return kube.resources(OamApplication.class).inNamespace(NS).withName(name).get();
    }

    @Test
    @Order(2)
    void applicationsDeployRollOutDriftAndUndeploy() throws Exception {
        kube.resource(group("edge", 2, null, null)).serverSideApply();
        if (hosts.isEmpty()) {
            host("edge-1", Map.of(SpindleHostGroup.GROUP_LABEL, GROUP_KEY, "zone", "edge"));
            host("edge-2", Map.of(SpindleHostGroup.GROUP_LABEL, GROUP_KEY, "zone", "edge"));
        }
        await("hosts known to the orchestrator", () -> models.list() != null);
        Path f = dir.resolve("app-v1.yaml");
        Files.writeString(f, manifest("v1", 1, ""));
        long t0 = System.nanoTime();
        kubectl("apply", "-f", f.toString());
        OamApplication a = awaitValue("downsampler deployed", () -> {
            OamApplication x = app("downsampler");
            return x != null && x.getStatus() != null && "deployed".equals(x.getStatus().phase) ? x : null;
        });
        double applyToDeployedMs = (System.nanoTime() - t0) / 1e6;
        assertThat(a.getStatus().deployedVersion).isEqualTo("v1");
        assertThat(a.getStatus().components).extracting(r -> r.name).containsExactly("kv", "lttb");
        assertThat(a.getStatus().components.get(0).running).isEqualTo(2);
        assertThat(cond(a.getStatus().conditions, "Ready").getStatus()).isEqualTo("True");
        assertThat(a.getMetadata().getFinalizers()).contains("spindle.io/undeploy");
        assertThat(models.status("downsampler").status()).isEqualTo(AppStatus.DEPLOYED);

        // editing the resource (new version) rolls it out
        Files.writeString(f, manifest("v2", 2, ""));
        kubectl("apply", "-f", f.toString());
        OamApplication v2 = awaitValue("v2 deployed", () -> {
            OamApplication x = app("downsampler");
            return "v2".equals(x.getStatus().deployedVersion) && "deployed".equals(x.getStatus().phase) ? x : null;
        });
        assertThat(v2.getStatus().components.get(1).running).isEqualTo(2);

        // someone deploys v1 with `spindle app deploy`: reported as drift, not undone
        models.deploy("downsampler", "v1");
        OamApplication drifted = awaitValue("Drifted", () -> {
            OamApplication x = app("downsampler");
            Condition c = cond(x.getStatus().conditions, "Drifted");
            return c != null && "True".equals(c.getStatus()) ? x : null;
        });
        assertThat(cond(drifted.getStatus().conditions, "Drifted").getMessage()).contains("version v1").contains("asks for v2");
        models.deploy("downsampler", "v2");
        awaitValue("back in sync", () -> {
            Condition c = cond(app("downsampler").getStatus().conditions, "Drifted");
            return "False".equals(c.getStatus()) ? c : null;
        });

        // a version whose component cannot start: the orchestrator rolls back to v2, the status says so (not drift)
        Files.writeString(f, manifest("v3", 2, "").replace(ROOT.resolve("components/lttb/lttb.wasm").toString(), dir.resolve("missing.wasm").toString()));
        kubectl("apply", "-f", f.toString());
        OamApplication failed = awaitValue("v3 failed and rolled back", () -> {
            OamApplication x = app("downsampler");
            return "v3".equals(x.getStatus().version) && "failed".equals(x.getStatus().phase) && "v2".equals(x.getStatus().deployedVersion) ? x : null;
        });
        assertThat(failed.getStatus().message).contains("rolled back");
        assertThat(cond(failed.getStatus().conditions, "Ready").getReason()).isEqualTo("Failed");
        assertThat(cond(failed.getStatus().conditions, "Drifted").getReason()).isEqualTo("RolledBack");
        Files.writeString(f, manifest("v4", 2, ""));
        kubectl("apply", "-f", f.toString());
        awaitValue("v4 deployed", () -> "v4".equals(app("downsampler").getStatus().deployedVersion)
                && "deployed".equals(app("downsampler").getStatus().phase) ? true : null);

        // an invalid spec: a clear condition naming the path, nothing put
        Files.writeString(dir.resolve("bad.yaml"), manifest("v9", 1, "        - type: autoscaler\n").replace("name: downsampler", "name: broken"));
        kubectl("apply", "-f", dir.resolve("bad.yaml").toString());
        OamApplication bad = awaitValue("broken invalid", () -> {
            OamApplication x = app("broken");
            return x != null && x.getStatus() != null && "invalid".equals(x.getStatus().phase) ? x : null;
        });
        assertThat(cond(bad.getStatus().conditions, "Valid").getMessage()).contains("spec.components[1].traits[1].type");
        assertThat(models.list()).extracting(m -> m.name()).doesNotContain("broken");

        // deleting the resource undeploys it
        kubectl("delete", "-f", f.toString(), "--wait=true");
        await("downsampler gone from the orchestrator", () -> models.list().stream().noneMatch(m -> m.name().equals("downsampler")));
        assertThat(hosts.stream().flatMap(h -> h.inventory().components().stream()).toList()).isEmpty();

        System.out.printf("apply -> deployed (operator in the test JVM): %.0f ms%n", applyToDeployedMs);
        assertThat(applyToDeployedMs).isLessThan(5000);
    }

    /**
     * The operator alone in its own JVM (as `spindle operator run`), authenticated as the service account of
     * deploy/kubernetes/operator.yaml (so its ClusterRole is proven sufficient): apply -> deployed, and its RSS.
     */
    @Test
    @Order(3)
    void operatorInItsOwnProcess() throws Exception {
        operator.close();
        operator = null;
        try (InputStream in = Files.newInputStream(ROOT.resolve("deploy/kubernetes/operator.yaml"))) {
            for (HasMetadata o : kube.load(in).items()) kube.resource(o).fieldManager("test").serverSideApply();
        }
        String saToken = kube.serviceAccounts().inNamespace("spindle-system").withName("spindle-operator")
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build()).getStatus().getToken();
        Path kubeconfig = dir.resolve("operator-sa.kubeconfig");
        Files.writeString(kubeconfig, Files.readString(api.kubeconfig()).replace(api.token(), saToken));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), OperatorMain.class.getName(), kubeconfig.toString(), NS)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            assertThat(new String(p.getInputStream().readNBytes(8))).isEqualTo("started\n");
            double[] ms = new double[3];
            for (int i = 0; i < ms.length; i++) {
                Path f = dir.resolve("proc-" + i + ".yaml");
                Files.writeString(f, manifest("v1", 1, "").replace("name: downsampler", "name: proc-" + i).replace("id: lttb", "id: lttb-" + i)
                        .replace("name: lttb-settings", "name: lttb-settings-" + i)); // configs belong to one application each
                long t0 = System.nanoTime();
                kubectl("apply", "-f", f.toString());
                String n = "proc-" + i;
                awaitValue(n + " deployed", () -> {
                    OamApplication x = app(n);
                    return x != null && x.getStatus() != null && "deployed".equals(x.getStatus().phase) ? x : null;
                });
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            long rss = rssMb(p.pid());
            System.out.printf("operator process: apply -> deployed %.0f / %.0f / %.0f ms, RSS %d MB (-Xmx96m)%n", ms[0], ms[1], ms[2], rss);
            assertThat(rss).isLessThan(200);
            for (int i = 0; i < ms.length; i++) kubectl("delete", "-f", dir.resolve("proc-" + i + ".yaml").toString(), "--wait=true");
        } finally {
            p.getOutputStream().close();
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
        }
    }

    static long rssMb(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status")))
            if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("\\D", "")) >> 10;
        return -1;
    }

    static Condition cond(List<Condition> cs, String type) {
        return cs == null ? null : cs.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    static void await(String what, BooleanSupplier c) {
        awaitValue(what, () -> c.getAsBoolean() ? Boolean.TRUE : null);
    }

    static <T> T awaitValue(String what, Supplier<T> s) {
        long end = System.nanoTime() + 20_000_000_000L;
        RuntimeException last = null;
        while (System.nanoTime() < end) {
            try {
                T v = s.get();
                if (v != null) return v;
            } catch (RuntimeException e) {
                last = e;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("not within 20 s: " + what + (last == null ? "" : " (last error: " + last + ")") + "\n" + ManagementFactory.getRuntimeMXBean().getName());
    }
}
