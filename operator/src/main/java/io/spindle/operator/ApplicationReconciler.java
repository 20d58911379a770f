package io.spindle.operator;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.spindle.deploy.ComponentWorlds;
import io.spindle.deploy.Manifests;
import io.spindle.deploy.Problem;
import io.spindle.deploy.Validation;
import io.spindle.deploy.orchestrator.AppStatus;
import io.spindle.deploy.orchestrator.ModelClient;
import io.spindle.deploy.orchestrator.ModelRecords.DeployRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Reconciles an OAM Application: validates the manifest it stands for, puts and deploys its version through the
 * orchestrator of its host group's lattice when the resource changed, and mirrors the orchestrator's status
 * (polled fast while not settled). Deleting the resource undeploys and deletes the model (finalizer).
 */
final class ApplicationReconciler implements Reconciler<OamApplication>, Cleaner<OamApplication> {
    private final KubernetesClient kube;
    private final LatticeConnections lattices;
    private final Duration fastPoll, slowPoll;
    final AtomicLong invalid = new AtomicLong(), errors = new AtomicLong();

    ApplicationReconciler(KubernetesClient kube, LatticeConnections lattices, Duration fastPoll, Duration slowPoll) {
        this.kube = kube;
        this.lattices = lattices;
        this.fastPoll = fastPoll;
        this.slowPoll = slowPoll;
    }

    /** The host group an application deploys through: its annotation, else the namespace's only group. */
    SpindleHostGroup hostGroup(OamApplication app) {
        String ns = app.getMetadata().getNamespace();
        Map<String, String> a = app.getMetadata().getAnnotations();
        String named = a == null ? null : a.get(OamApplication.HOST_GROUP_ANNOTATION);
        if (named != null) {
            SpindleHostGroup g = kube.resources(SpindleHostGroup.class).inNamespace(ns).withName(named).get();
            if (g == null) throw new IllegalStateException("annotation " + OamApplication.HOST_GROUP_ANNOTATION + ": no SpindleHostGroup '"
                    + named + "' in namespace " + ns);
            return g;
        }
        List<SpindleHostGroup> all = kube.resources(SpindleHostGroup.class).inNamespace(ns).list().getItems();
        if (all.size() == 1) return all.get(0);
        throw new IllegalStateException("no annotation " + OamApplication.HOST_GROUP_ANNOTATION + " and " + all.size()
                + " SpindleHostGroups in namespace " + ns + " (name the one whose lattice runs it)");
    }

    @Override
    public UpdateControl<OamApplication> reconcile(OamApplication app, Context<OamApplication> context) {
        OamApplicationStatus st = app.getStatus() == null ? new OamApplicationStatus() : app.getStatus();
        long gen = app.getMetadata().getGeneration() == null ? 0 : app.getMetadata().getGeneration();
        String name = app.getMetadata().getName(), version = ManifestText.version(app);
        st.version = version;
        String text = ManifestText.of(app);
        Validation v = Manifests.validate(text, ComponentWorlds.UNCHECKED);
        if (!v.valid()) {
            invalid.incrementAndGet();
            String all = v.problems().stream().map(Problem::toString).collect(Collectors.joining("; "));
            st.phase = "invalid";
            st.message = v.problems().size() + " problem(s): " + all;
            Conditions.set(st.conditions, gen, "Valid", false, "InvalidManifest", all);
            Conditions.set(st.conditions, gen, "Ready", false, "InvalidManifest", "not deployed: the manifest is invalid");
            return status(app, st, gen, null);
        }
        Conditions.set(st.conditions, gen, "Valid", true, "Validated", "the manifest is valid");
        SpindleHostGroup g;
        LatticeConnections.Lattice l;
        try {
            g = hostGroup(app);
            l = lattices.of(g);
        } catch (RuntimeException e) {
            errors.incrementAndGet();
            st.phase = "waiting";
            st.message = e.getMessage();
            Conditions.set(st.conditions, gen, "Ready", false, "NoLattice", e.getMessage());
            return status(app, st, gen, slowPoll);
        }
        st.hostGroup = g.getMetadata().getName();
        st.lattice = l.name();
        ModelClient models = l.models();
        try {
            // put and deploy once per generation: later polls only observe, so a `spindle app deploy` shows as drift
            if (st.appliedGeneration == null || st.appliedGeneration != gen) {
                models.put(text, Map.of());
                models.deploy(name, version);
                st.appliedGeneration = gen;
            }
            AppStatus s = models.status(name);
            mirror(st, s);
            drift(st, gen, models, name, version);
        } catch (RuntimeException e) {
            errors.incrementAndGet();
            st.phase = "failed";
            st.message = e.getMessage();
            Conditions.set(st.conditions, gen, "Ready", false, "OrchestratorRefused", e.getMessage());
            // a refused put (e.g. the same version with other text) needs a new resource generation: poll slowly
            return status(app, st, gen, slowPoll);
        }
        boolean settled = AppStatus.DEPLOYED.equals(st.phase) || AppStatus.FAILED.equals(st.phase);
        Conditions.set(st.conditions, gen, "Ready", AppStatus.DEPLOYED.equals(st.phase) && version.equals(st.deployedVersion),
                reason(st.phase), st.message);
        return status(app, st, gen, settled ? slowPoll : fastPoll);
    }

    private static String reason(String phase) {
        return switch (phase) {
            case AppStatus.DEPLOYED -> "Deployed";
            case AppStatus.FAILED -> "Failed";
            case AppStatus.WAITING -> "WaitingForHosts";
            case AppStatus.UNDEPLOYED -> "Undeployed";
            default -> "Reconciling";
        };
    }

    private static void mirror(OamApplicationStatus st, AppStatus s) {
        st.phase = s.status();
        st.message = s.message();
        st.deployedVersion = s.version();
        st.components = s.components().stream().map(c -> {
            OamApplicationStatus.ComponentRow r = new OamApplicationStatus.ComponentRow();
            r.name = c.name();
            r.id = c.id();
            r.type = c.type();
            r.desired = c.desired();
            r.running = c.hosts().size();
            r.hosts = c.hosts();
            r.status = c.status();
            r.message = c.message();
            return r;
        }).toList();
    }

    /** Drifted: the orchestrator runs another version, or none, because of a `spindle app` command, not a rollback. */
    private static void drift(OamApplicationStatus st, long gen, ModelClient models, String name, String version) {
        if (version.equals(st.deployedVersion)) {
            Conditions.set(st.conditions, gen, "Drifted", false, "InSync", "the orchestrator deploys " + version);
            return;
        }
        List<DeployRecord> h = models.history(name);
        DeployRecord last = h.isEmpty() ? null : h.get(h.size() - 1);
        if (last != null && "auto-rollback".equals(last.action())) {
            Conditions.set(st.conditions, gen, "Drifted", false, "RolledBack", "version " + version + " failed; the orchestrator returned to "
                    + st.deployedVersion + ": " + last.message());
            return;
        }
        Conditions.set(st.conditions, gen, "Drifted", true, "ChangedOutsideKubernetes", "the orchestrator deploys "
                + (st.deployedVersion == null ? "nothing" : "version " + st.deployedVersion) + ", the resource asks for " + version
                + (last == null ? "" : " (last action: " + last.action() + " " + last.version() + ")"));
    }

    private UpdateControl<OamApplication> status(OamApplication app, OamApplicationStatus st, long gen, Duration again) {
        st.observedGeneration = gen;
        OamApplication patch = new OamApplication();
        patch.setMetadata(new ObjectMetaBuilder().withName(app.getMetadata().getName()).withNamespace(app.getMetadata().getNamespace()).build());
        patch.setStatus(st);
        UpdateControl<OamApplication> c = UpdateControl.patchStatus(patch);
        return again == null ? c : c.rescheduleAfter(again);
    }

    @Override
    public DeleteControl cleanup(OamApplication app, Context<OamApplication> context) {
        String name = app.getMetadata().getName();
        LatticeConnections.Lattice l;
        try {
            l = lattices.of(hostGroup(app));
        } catch (RuntimeException e) {
            // the group or its NATS is gone: nothing left to undeploy through; do not hold the resource forever
            return DeleteControl.defaultDelete();
        }
        try {
            AppStatus s = l.models().status(name);
            if (!AppStatus.UNDEPLOYED.equals(s.status())) {
                l.models().undeploy(name);
                return DeleteControl.noFinalizerRemoval().rescheduleAfter(fastPoll);
            }
            l.models().delete(name, null);
        } catch (RuntimeException e) {
            if (e.getMessage() == null || !e.getMessage().contains("no application")) {
                errors.incrementAndGet();
                return DeleteControl.noFinalizerRemoval().rescheduleAfter(fastPoll);
            }
        }
        return DeleteControl.defaultDelete();
    }
}
