package io.spindle.operator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Kubernetes objects a SpindleHostGroup stands for, computed from its spec alone (no API calls), so what the
 * operator applies is testable as data: ServiceAccount, Role and RoleBinding, ConfigMap, Service, and a
 * Deployment (replicas) or DaemonSet (daemon) running {@code spindle host}.
 */
final class HostGroupResources {
    static final String DEFAULT_IMAGE = "ghcr.io/spindle/spindle-host:0.1.0";
    static final String DATA_DIR = "/var/lib/spindle", CREDS_DIR = "/etc/spindle/nats";

    /** How the hosts authenticate to NATS, from the keys of the credentials secret. */
    enum Credentials { NONE, CREDS_FILE, USER_PASSWORD }

    private final SpindleHostGroup group;
    private final HostGroupSpec spec;
    private final String name, ns;
    private final Credentials credentials;

    HostGroupResources(SpindleHostGroup group, Credentials credentials) {
        this.group = group;
        this.spec = group.getSpec();
        this.name = group.getMetadata().getName();
        this.ns = group.getMetadata().getNamespace();
        this.credentials = credentials;
    }

    static String hostName(String group) {
        return group + "-host";
    }

    /** Everything to apply, in order (RBAC and config before the workload that uses them). */
    List<HasMetadata> all() {
        return List.of(serviceAccount(), role(), roleBinding(), configMap(), service(), spec.isDaemon() ? daemonSet() : deployment());
    }

    Map<String, String> selector() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("app.kubernetes.io/name", "spindle-host");
        m.put("app.kubernetes.io/instance", name);
        return m;
    }

    private ObjectMeta meta(String n) {
        Map<String, String> labels = new LinkedHashMap<>(selector());
        labels.put("app.kubernetes.io/managed-by", "spindle-operator");
        return new ObjectMetaBuilder().withName(n).withNamespace(ns).withLabels(labels)
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(group.getApiVersion()).withKind(group.getKind())
                        .withName(name).withUid(group.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true).build())
                .build();
    }

    ServiceAccount serviceAccount() {
        // hosts never call the API server: no token in their pods
        return new ServiceAccountBuilder().withMetadata(meta(hostName(name))).withAutomountServiceAccountToken(false).build();
    }

    Role role() {
        List<String> secrets = spec.credentialsSecret == null ? List.of() : List.of(spec.credentialsSecret);
        RoleBuilder b = new RoleBuilder().withMetadata(meta(hostName(name)))
                .addNewRule().withApiGroups("").withResources("configmaps").withResourceNames(hostName(name)).withVerbs("get").endRule();
        if (!secrets.isEmpty())
            b.addNewRule().withApiGroups("").withResources("secrets").withResourceNames(secrets).withVerbs("get").endRule();
        return b.build();
    }

    RoleBinding roleBinding() {
        return new RoleBindingBuilder().withMetadata(meta(hostName(name)))
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName(hostName(name)).endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withName(hostName(name)).withNamespace(ns).endSubject().build();
    }

    ConfigMap configMap() {
        Map<String, String> data = new TreeMap<>();
        data.put("SPINDLE_LATTICE", spec.lattice);
        data.put("SPINDLE_NATS", spec.nats);
        if (spec.jvmOptions != null && !spec.jvmOptions.isBlank()) data.put("JAVA_TOOL_OPTIONS", spec.jvmOptions);
        return new ConfigMapBuilder().withMetadata(meta(hostName(name))).withData(data).build();
    }

    Service service() {
        int port = spec.httpPortOrDefault();
        ObjectMeta m = meta(name);
        m.setAnnotations(Map.of("prometheus.io/scrape", "true", "prometheus.io/port", String.valueOf(port), "prometheus.io/path", "/metrics"));
        return new ServiceBuilder().withMetadata(m).withNewSpec().withSelector(selector())
                .addNewPort().withName("http").withPort(port).withNewTargetPort("http").withProtocol("TCP").endPort()
                .endSpec().build();
    }

    /** The host's command line: the group label first, then the spec's labels in order. */
    List<String> args() {
        List<String> a = new ArrayList<>(List.of("host", "--lattice", spec.lattice, "--nats", spec.nats,
                "--name", "$(POD_NAME)", "--data-dir", DATA_DIR, "--label", SpindleHostGroup.GROUP_LABEL + "=" + group.groupKey()));
        spec.labels.forEach((k, v) -> {
            a.add("--label");
            a.add(k + "=" + v);
        });
        if (credentials == Credentials.CREDS_FILE) a.addAll(List.of("--nats-creds", CREDS_DIR + "/nats.creds"));
        return a;
    }

    private PodTemplateSpec podTemplate() {
        ContainerBuilder c = new ContainerBuilder().withName("host").withImage(spec.image == null ? DEFAULT_IMAGE : spec.image)
                .withArgs(args())
                .addNewEnvFrom().withNewConfigMapRef().withName(hostName(name)).endConfigMapRef().endEnvFrom()
                .addToEnv(new EnvVarBuilder().withName("POD_NAME").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name")
                        .endFieldRef().endValueFrom().build())
                .addNewPort().withName("http").withContainerPort(spec.httpPortOrDefault()).endPort()
                .addNewVolumeMount().withName("data").withMountPath(DATA_DIR).endVolumeMount();
        if (spec.resources != null) c.withResources(spec.resources);
        List<Volume> volumes = new ArrayList<>(List.of(dataVolume()));
        if (credentials == Credentials.CREDS_FILE) {
            c.addNewVolumeMount().withName("nats-credentials").withMountPath(CREDS_DIR).withReadOnly(true).endVolumeMount();
            volumes.add(new VolumeBuilder().withName("nats-credentials").withNewSecret().withSecretName(spec.credentialsSecret)
                    .withDefaultMode(0400).endSecret().build());
        }
        if (credentials == Credentials.USER_PASSWORD) {
            c.addToEnv(new EnvVarBuilder().withName("SPINDLE_NATS_USER").withNewValueFrom().withNewSecretKeyRef(
                    "user", spec.credentialsSecret, false).endValueFrom().build());
            c.addToEnv(new EnvVarBuilder().withName("SPINDLE_NATS_PASSWORD").withNewValueFrom().withNewSecretKeyRef(
                    "password", spec.credentialsSecret, false).endValueFrom().build());
        }
        Container container = c.build();
        Map<String, String> labels = new LinkedHashMap<>(selector());
        return new PodTemplateSpecBuilder().withNewMetadata().withLabels(labels)
                .withAnnotations(Map.of("spindle.io/config-hash", configHash())).endMetadata()
                .withNewSpec().withServiceAccountName(hostName(name)).withAutomountServiceAccountToken(false)
                .withTerminationGracePeriodSeconds(30L).withContainers(container).withVolumes(volumes).endSpec().build();
    }

    private Volume dataVolume() {
        HostGroupSpec.DataVolume d = spec.dataVolume;
        VolumeBuilder v = new VolumeBuilder().withName("data");
        if (d != null && d.claimName != null) return v.withNewPersistentVolumeClaim().withClaimName(d.claimName).endPersistentVolumeClaim().build();
        if (d != null && d.hostPath != null) return v.withNewHostPath().withPath(d.hostPath).withType("DirectoryOrCreate").endHostPath().build();
        if (d != null && d.sizeLimit != null) return v.withNewEmptyDir().withSizeLimit(new Quantity(d.sizeLimit)).endEmptyDir().build();
        return v.withNewEmptyDir().endEmptyDir().build();
    }

    /** Changes of the ConfigMap roll the pods (env from a ConfigMap is read only at start). */
    String configHash() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(configMap().getData().toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private LabelSelector labelSelector() {
        return new LabelSelectorBuilder().withMatchLabels(selector()).build();
    }

    Deployment deployment() {
        return new DeploymentBuilder().withMetadata(meta(name)).withNewSpec().withReplicas(spec.replicasOrDefault())
                .withSelector(labelSelector()).withTemplate(podTemplate()).endSpec().build();
    }

    DaemonSet daemonSet() {
        return new DaemonSetBuilder().withMetadata(meta(name)).withNewSpec().withSelector(labelSelector())
                .withTemplate(podTemplate()).endSpec().build();
    }
}
