package io.spindle.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The objects of a host group as data: credentials, data volume, labels, spec checks. */
class HostGroupResourcesTest {
    static SpindleHostGroup group() {
        SpindleHostGroup g = new SpindleHostGroup();
        g.setMetadata(new ObjectMetaBuilder().withName("edge").withNamespace("plant1").withUid("u-1").build());
        HostGroupSpec s = new HostGroupSpec();
        s.lattice = "plant1";
        s.nats = "nats://nats:4222";
        s.labels = Map.of("zone", "edge");
        s.credentialsSecret = "nats-secret";
        g.setSpec(s);
        return g;
    }

    @Test
    void credsFileIsMountedReadOnlyAndPassedToTheHost() {
        HostGroupResources r = new HostGroupResources(group(), HostGroupResources.Credentials.CREDS_FILE);
        PodSpec pod = r.deployment().getSpec().getTemplate().getSpec();
        assertThat(r.args()).containsSequence("--nats-creds", "/etc/spindle/nats/nats.creds");
        assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getSecret()).isNotNull().extracting(s -> s.getSecretName()).isEqualTo("nats-secret"));
        assertThat(pod.getContainers().get(0).getVolumeMounts()).anySatisfy(m -> assertThat(m.getReadOnly()).isTrue());
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(r.role().getRules()).anySatisfy(rule -> assertThat(rule.getResourceNames()).containsExactly("nats-secret"));
    }

    @Test
    void userPasswordComeFromTheSecretAsEnvironment() {
        HostGroupResources r = new HostGroupResources(group(), HostGroupResources.Credentials.USER_PASSWORD);
        assertThat(r.deployment().getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .extracting(e -> e.getName()).contains("SPINDLE_NATS_USER", "SPINDLE_NATS_PASSWORD");
        assertThat(String.join(" ", r.args())).doesNotContain("password");
    }

    @Test
    void dataVolumeKinds() {
        SpindleHostGroup g = group();
        g.getSpec().dataVolume = new HostGroupSpec.DataVolume();
        g.getSpec().dataVolume.hostPath = "/var/lib/spindle-edge";
        g.getSpec().daemon = true;
        HostGroupResources r = new HostGroupResources(g, HostGroupResources.Credentials.NONE);
        assertThat(r.all()).last().satisfies(o -> assertThat(o.getKind()).isEqualTo("DaemonSet"));
        assertThat(r.daemonSet().getSpec().getTemplate().getSpec().getVolumes().get(0).getHostPath().getPath()).isEqualTo("/var/lib/spindle-edge");
    }

    @Test
    void specProblemsNameTheField() {
        HostGroupSpec s = group().getSpec();
        s.replicas = 2;
        s.daemon = true;
        assertThat(HostGroupReconciler.specProblem(s)).contains("spec.replicas and spec.daemon");
        s.daemon = null;
        s.labels = Map.of(SpindleHostGroup.GROUP_LABEL, "x");
        assertThat(HostGroupReconciler.specProblem(s)).contains("spec.labels.spindle.io/host-group");
        s.labels = Map.of();
        s.nats = " ";
        assertThat(HostGroupReconciler.specProblem(s)).contains("spec.nats");
    }
}
