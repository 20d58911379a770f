package io.spindle.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.Set;

/** The operator: both reconcilers on one Kubernetes client, watching one namespace or all. */
public final class SpindleOperator implements AutoCloseable {
    private final Operator operator;
    private final LatticeConnections lattices;
    private final HostGroupReconciler groups;
    private final ApplicationReconciler apps;

    /**
     * An operator on client, for namespace (null: all); statusInterval paces host counting and settled
     * applications, fastPoll applications that are still reconciling.
     */
    public SpindleOperator(KubernetesClient client, String namespace, Duration statusInterval, Duration fastPoll) {
        this.lattices = new LatticeConnections(client, Duration.ofSeconds(10));
        this.groups = new HostGroupReconciler(client, lattices, statusInterval, Duration.ofMillis(500));
        this.apps = new ApplicationReconciler(client, lattices, fastPoll, statusInterval);
        this.operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
        operator.register(groups, c -> {
            c.withName("spindlehostgroup");
            if (namespace != null) c.settingNamespaces(Set.of(namespace));
        });
        operator.register(apps, c -> {
            c.withName("oam-application").withFinalizer("spindle.io/undeploy");
            if (namespace != null) c.settingNamespaces(Set.of(namespace));
        });
    }

    /** Starts watching and reconciling. */
    public SpindleOperator start() {
        operator.start();
        return this;
    }

    /** Errors so far: bad specs, unreachable lattices, refused requests (for metrics and tests). */
    public long errors() {
        return groups.errors.get() + apps.errors.get() + apps.invalid.get();
    }

    @Override
    public void close() {
        operator.stop();
        lattices.close();
    }
}
