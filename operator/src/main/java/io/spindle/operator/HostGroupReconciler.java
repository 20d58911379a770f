package io.spindle.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.spindle.lattice.HostInfo;
import io.spindle.lattice.LatticeClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reconciles a SpindleHostGroup: server-side applies its objects ({@link HostGroupResources}), removes the
 * workload kind it no longer uses, and counts its hosts on the lattice (hosts answering host.get with the group's
 * label), rechecked every statusInterval.
 */
final class HostGroupReconciler implements Reconciler<SpindleHostGroup> {
    static final String FIELD_MANAGER = "spindle-operator";

    private final KubernetesClient kube;
    private final LatticeConnections lattices;
    private final Duration statusInterval, hostWindow;
    final AtomicLong errors = new AtomicLong();

    HostGroupReconciler(KubernetesClient kube, LatticeConnections lattices, Duration statusInterval, Duration hostWindow) {
        this.kube = kube;
        this.lattices = lattices;
        this.statusInterval = statusInterval;
        this.hostWindow = hostWindow;
    }

    @Override
    public UpdateControl<SpindleHostGroup> reconcile(SpindleHostGroup g, Context<SpindleHostGroup> context) {
        HostGroupStatus st = g.getStatus() == null ? new HostGroupStatus() : g.getStatus();
        long gen = g.getMetadata().getGeneration() == null ? 0 : g.getMetadata().getGeneration();
        HostGroupSpec spec = g.getSpec();
        String ns = g.getMetadata().getNamespace(), name = g.getMetadata().getName();
        String problem = specProblem(spec);
        if (problem != null) {
            errors.incrementAndGet();
            Conditions.set(st.conditions, gen, "Ready", false, "InvalidSpec", problem);
            Conditions.set(st.conditions, gen, "Degraded", true, "InvalidSpec", problem);
            Conditions.set(st.conditions, gen, "Progressing", false, "InvalidSpec", problem);
            return status(g, st, gen, false);
        }
        HostGroupResources.Credentials creds = HostGroupResources.Credentials.NONE;
        if (spec.credentialsSecret != null) {
            Secret s = kube.secrets().inNamespace(ns).withName(spec.credentialsSecret).get();
            if (s == null) {
                errors.incrementAndGet();
                String m = "credentials secret '" + spec.credentialsSecret + "' not found in namespace " + ns;
                Conditions.set(st.conditions, gen, "Ready", false, "CredentialsSecretMissing", m);
                Conditions.set(st.conditions, gen, "Degraded", true, "CredentialsSecretMissing", m);
                return status(g, st, gen, true);
            }
            Map<String, String> d = s.getData() == null ? Map.of() : s.getData();
            creds = d.containsKey("nats.creds") ? HostGroupResources.Credentials.CREDS_FILE : HostGroupResources.Credentials.USER_PASSWORD;
        }
        HostGroupResources res = new HostGroupResources(g, creds);
        for (HasMetadata o : res.all()) kube.resource(o).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
        if (spec.isDaemon()) kube.apps().deployments().inNamespace(ns).withName(name).delete();
        else kube.apps().daemonSets().inNamespace(ns).withName(name).delete();

        int desired = spec.replicasOrDefault();
        if (spec.isDaemon()) {
            DaemonSet ds = kube.apps().daemonSets().inNamespace(ns).withName(name).get();
            desired = ds == null || ds.getStatus() == null || ds.getStatus().getDesiredNumberScheduled() == null ? 0
                    : ds.getStatus().getDesiredNumberScheduled();
        }
        st.desiredHosts = desired;
        List<HostInfo> hosts;
        try {
            LatticeConnections.Lattice l = lattices.of(g);
            hosts = new LatticeClient(l.transport(), l.name(), hostWindow).getHosts().stream()
                    .filter(h -> g.groupKey().equals(h.labels().get(SpindleHostGroup.GROUP_LABEL))).toList();
        } catch (RuntimeException e) {
            errors.incrementAndGet();
            String m = "cannot reach lattice '" + spec.lattice + "' on " + spec.nats + ": " + e.getMessage();
            Conditions.set(st.conditions, gen, "Ready", false, "LatticeUnreachable", m);
            Conditions.set(st.conditions, gen, "Degraded", true, "LatticeUnreachable", m);
            return status(g, st, gen, true);
        }
        st.readyHosts = hosts.size();
        st.hosts = hosts.stream().map(h -> h.id() + "(" + h.friendlyName() + ")").sorted().toList();
        boolean ready = hosts.size() >= desired && !(spec.isDaemon() && hosts.isEmpty());
        String counted = hosts.size() + " of " + desired + " hosts on lattice '" + spec.lattice + "'";
        Conditions.set(st.conditions, gen, "Ready", ready, ready ? "HostsReady" : "HostsMissing", counted);
        Conditions.set(st.conditions, gen, "Progressing", hosts.size() != desired,
                hosts.size() < desired ? "HostsStarting" : hosts.size() > desired ? "HostsStopping" : "Stable", counted);
        Conditions.set(st.conditions, gen, "Degraded", false, "Healthy", "objects applied, lattice reachable");
        return status(g, st, gen, true);
    }

    private UpdateControl<SpindleHostGroup> status(SpindleHostGroup g, HostGroupStatus st, long gen, boolean again) {
        st.observedGeneration = gen;
        SpindleHostGroup patch = new SpindleHostGroup();
        patch.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(g.getMetadata().getName())
                .withNamespace(g.getMetadata().getNamespace()).build());
        patch.setStatus(st);
        UpdateControl<SpindleHostGroup> c = UpdateControl.patchStatus(patch);
        return again ? c.rescheduleAfter(statusInterval) : c;
    }

    /** A clear reason for a spec the API server's schema cannot reject (1.20 has no CEL), or null. */
    static String specProblem(HostGroupSpec s) {
        if (s == null) return "spec is missing";
        if (s.lattice == null || !s.lattice.matches("[A-Za-z0-9_-]{1,64}"))
            return "spec.lattice '" + s.lattice + "': 1-64 of [A-Za-z0-9_-] expected";
        if (s.nats == null || s.nats.isBlank()) return "spec.nats: a NATS URL is required";
        if (s.replicas != null && s.replicas < 0) return "spec.replicas " + s.replicas + ": must be 0 or more";
        if (Boolean.TRUE.equals(s.daemon) && s.replicas != null)
            return "spec.replicas and spec.daemon: give one (daemon runs one host per node)";
        for (String k : s.labels.keySet())
            if (k.equals(SpindleHostGroup.GROUP_LABEL)) return "spec.labels." + k + ": set by the operator, not allowed";
        return null;
    }
}
