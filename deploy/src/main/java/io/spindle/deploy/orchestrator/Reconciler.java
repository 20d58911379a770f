package io.spindle.deploy.orchestrator;

import io.spindle.deploy.AppComponent;
import io.spindle.deploy.Application;
import io.spindle.deploy.ComponentWorlds;
import io.spindle.deploy.ConfigSpec;
import io.spindle.deploy.LinkSpec;
import io.spindle.deploy.Manifests;
import io.spindle.deploy.Validation;
import io.spindle.deploy.orchestrator.AppStatus.ComponentStatus;
import io.spindle.deploy.orchestrator.ClusterState.HostView;
import io.spindle.deploy.orchestrator.ModelRecords.DeployRecord;
import io.spindle.deploy.orchestrator.ModelRecords.ModelIndex;
import io.spindle.deploy.orchestrator.ModelRecords.StoredManifest;
import io.spindle.lattice.CtlException;
import io.spindle.lattice.HostInventory.ComponentDescription;
import io.spindle.lattice.HostInventory.ProviderDescription;
import io.spindle.lattice.LatticeClient;
import io.spindle.lattice.Link;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * One reconcile pass per call: for every application, compares the deployed version's manifest with the lattice
 * (from {@link ClusterState}, links and configs from their buckets) and issues control commands until they agree:
 * configs, then per component the stops (a move stops the old instance first, so its final checkpoint is what the
 * new one restores), a rolling upgrade when the module changed (one host at a time, each on probation; a failure
 * returns the application to its previous version), the starts, then links; things the application no longer
 * declares are stopped and deleted. Writes each application's {@link AppStatus}. Runs on one thread.
 */
final class Reconciler {
    /** Annotations on everything the orchestrator starts (wadm's managed-by labels). */
    static final String APP = "spindle.app", APP_VERSION = "spindle.app.version", APP_COMPONENT = "spindle.app.component";
    private static final System.Logger LOG = System.getLogger(Reconciler.class.getName());

    private final LatticeClient client;
    private final ModelStore store;
    private final ClusterState cluster;
    private final LatticeBuckets buckets;
    private final Duration probation;
    private final Duration retry;
    private final BiConsumer<String, Object> events;
    private final java.util.function.BooleanSupplier acting;
    private final Map<String, Application> parsed = new HashMap<>();
    private final Map<String, Long> retryAt = new HashMap<>();
    private final Map<String, AppStatus> lastStatus = new HashMap<>();

    Reconciler(LatticeClient client, ModelStore store, ClusterState cluster, LatticeBuckets buckets, Duration probation,
               Duration retry, BiConsumer<String, Object> events, java.util.function.BooleanSupplier acting) {
        this.acting = acting;
        this.client = client;
        this.store = store;
        this.cluster = cluster;
        this.buckets = buckets;
        this.probation = probation;
        this.retry = retry;
        this.events = events;
    }

    /** Reconciles every application once. */
    void pass() {
        cluster.hosts(); // drops the hosts that went silent
        for (String lost : cluster.drainLost()) {
            LOG.log(System.Logger.Level.WARNING, "host " + lost + " lost: no heartbeat within the expiry; re-placing what it ran");
            events.accept("host_lost", Map.of("host", lost));
        }
        List<String> names;
        try {
            names = store.names();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "reconcile: cannot list the applications: " + e.getMessage());
            return;
        }
        for (String name : names) {
            Long at = retryAt.get(name);
            if (at != null && System.nanoTime() < at) continue;
            String version = null;
            try {
                Optional<ModelIndex> idx = store.index(name);
                if (idx.isEmpty()) continue;
                version = idx.get().deployedVersion();
                reconcile(idx.get());
                retryAt.remove(name);
            } catch (LeaseLost e) {
                return; // another orchestrator acts now: stop issuing commands at once
            } catch (RuntimeException e) {
                // a host refused or did not answer, or the bucket failed: report and try again after the retry interval
                retryAt.put(name, System.nanoTime() + retry.toNanos());
                AppStatus prev = lastStatus.get(name);
                try {
                    publish(new AppStatus(name, version, AppStatus.FAILED, String.valueOf(e.getMessage()), System.currentTimeMillis(),
                            prev == null ? List.of() : prev.components()));
                } catch (RuntimeException unreported) {
                    LOG.log(System.Logger.Level.WARNING, "application " + name + ": " + e.getMessage() + " (status not written: "
                            + unreported.getMessage() + ")");
                }
            }
        }
    }

    /** Thrown when the lease was lost during a pass: no further command may be issued. */
    static final class LeaseLost extends RuntimeException {
        LeaseLost() {
            super("the lease was lost", null, false, false);
        }
    }

    /** Every command goes through here: an orchestrator that no longer holds the lease must not act. */
    private void mayAct() {
        if (!acting.getAsBoolean()) throw new LeaseLost();
    }

    private void reconcile(ModelIndex idx) {
        if (idx.deployedVersion() == null) {
            teardown(idx);
            return;
        }
        StoredManifest m = store.manifest(idx, idx.deployedVersion())
                .orElseThrow(() -> new IllegalStateException("version " + idx.deployedVersion() + " of " + idx.name() + " has no stored manifest"));
        Application app = parse(idx, m);
        Application previous = previous(idx);
        List<HostView> hosts = cluster.hosts();
        Set<String> ids = new LinkedHashSet<>();
        for (AppComponent c : app.components()) ids.add(c.latticeId(app.name()));

        // configs first: components and links refer to them by name
        Map<String, Map<String, String>> configs = configsOf(app);
        for (var e : configs.entrySet())
            if (!e.getValue().equals(buckets.config(e.getKey()))) {
                mayAct();
                client.putConfig(e.getKey(), e.getValue());
                buckets.noteConfig(e.getKey(), e.getValue());
            }

        Map<String, Integer> load = load(hosts);
        List<ComponentStatus> rows = new ArrayList<>();
        String failure = null;
        for (AppComponent c : app.components()) {
            String id = c.latticeId(app.name());
            String ref = image(c, m);
            Map<String, String> ann = Map.of(APP, app.name(), APP_VERSION, app.version(), APP_COMPONENT, c.name());
            List<String> cfg = c.config().stream().map(ConfigSpec::name).toList();
            boolean provider = c.type() == AppComponent.Type.CAPABILITY;
            Map<String, Object> running = where(hosts, id, provider);
            Placement p = Placement.of(c, hosts, running.keySet(), load);

            // moves and scale-downs: stop before start, so a stateful component's last checkpoint is final; a provider
            // whose kind changed under the same id is replaced the same way
            for (var e : new ArrayList<>(running.entrySet())) {
                boolean otherKind = provider && !ref.equals(((ProviderDescription) e.getValue()).imageRef());
                if (!p.hosts().containsKey(e.getKey()) || otherKind) {
                    stop(e.getKey(), id, provider);
                    if (otherKind) running.remove(e.getKey());
                }
            }
            if (!provider) {
                List<String> stale = new ArrayList<>();
                for (var e : running.entrySet())
                    if (p.hosts().containsKey(e.getKey()) && !matches((ComponentDescription) e.getValue(), ref)) stale.add(e.getKey());
                if (!stale.isEmpty()) {
                    String why = rollout(app, c, id, ref, ann, cfg, stale, p);
                    if (why != null) {
                        failure = why;
                        rollBack(idx, why);
                        break;
                    }
                }
            }
            for (var e : p.hosts().entrySet()) {
                String h = e.getKey();
                if (provider) {
                    if (!running.containsKey(h)) {
                        mayAct();
                        ProviderDescription d = client.startProvider(h, ref, id, cfg, ann);
                        cluster.providerRunning(h, d);
                        load.merge(h, 1, Integer::sum);
                    }
                } else {
                    ComponentDescription cur = (ComponentDescription) running.get(h);
                    if (cur == null || cur.maxInstances() != e.getValue()) {
                        mayAct();
                        ComponentDescription d = client.scaleComponent(h, ref, id, e.getValue(), ann, cfg);
                        cluster.componentRunning(h, d);
                        if (cur == null) load.merge(h, 1, Integer::sum);
                    }
                }
            }
            Map<String, Object> now = where(cluster.hosts(), id, provider);
            int have = provider ? now.size() : now.values().stream().mapToInt(o -> ((ComponentDescription) o).maxInstances()).sum();
            String st = p.shortage() != null ? AppStatus.WAITING : have >= p.desired() ? AppStatus.DEPLOYED : AppStatus.RECONCILING;
            rows.add(new ComponentStatus(c.name(), id, c.type().word(), ref, p.desired(), List.copyOf(now.keySet()), st, p.shortage()));
        }
        if (failure != null) {
            retryAt.put(app.name(), System.nanoTime() + retry.toNanos());
            publish(new AppStatus(app.name(), app.version(), AppStatus.FAILED, failure, System.currentTimeMillis(), rows));
            return;
        }

        // links, once both ends run somewhere
        Set<String> placed = new LinkedHashSet<>();
        for (ComponentStatus r : rows) if (!r.hosts().isEmpty()) placed.add(r.id());
        Map<String, Link> desired = new LinkedHashMap<>();
        List<String> waitingLinks = new ArrayList<>();
        for (AppComponent c : app.components())
            for (LinkSpec l : c.links()) {
                AppComponent target = app.component(l.target()).orElseThrow();
                Link link = l.toLink(c.latticeId(app.name()), target.latticeId(app.name()));
                desired.put(link.key(), link);
                if (!placed.contains(link.sourceId()) || !placed.contains(link.target())) {
                    waitingLinks.add(link.describe());
                    continue;
                }
                if (!link.equals(buckets.link(link.key()))) {
                    mayAct();
                    buckets.noteLink(client.putLink(link));
                }
            }

        // what the application no longer declares
        Set<String> owned = new LinkedHashSet<>(ids);
        if (previous != null) for (AppComponent c : previous.components()) owned.add(c.latticeId(app.name()));
        for (HostView h : cluster.hosts()) {
            for (ComponentDescription c : h.components().values())
                if (app.name().equals(c.annotations().get(APP)) && !ids.contains(c.id())) stop(h.id(), c.id(), false);
            for (ProviderDescription pd : h.providers().values())
                if (app.name().equals(pd.annotations().get(APP)) && !ids.contains(pd.id())) stop(h.id(), pd.id(), true);
        }
        for (Link l : buckets.links())
            if (owned.contains(l.sourceId()) && !desired.containsKey(l.key())) {
                mayAct();
                client.deleteLink(l.sourceId(), l.name(), l.witNamespace(), l.witPackage());
            }
        if (previous != null)
            for (String name : configsOf(previous).keySet())
                if (!configs.containsKey(name) && buckets.config(name) != null) {
                    mayAct();
                    client.deleteConfig(name);
                }

        publish(summarise(idx, app, rows, waitingLinks));
    }

    /** Replaces stale instances one host at a time; returns why the rollout failed, or null. */
    private String rollout(Application app, AppComponent c, String id, String ref, Map<String, String> ann, List<String> cfg,
                           List<String> stale, Placement p) {
        int i = 0;
        for (String h : stale) {
            i++;
            publish(new AppStatus(app.name(), app.version(), AppStatus.RECONCILING, "rolling out " + app.version() + ": component "
                    + c.name() + " on host " + i + " of " + stale.size() + " (" + h + ")", System.currentTimeMillis(),
                    lastRows(app.name())));
            long since = System.nanoTime();
            stop(h, id, false);
            try {
                mayAct();
                cluster.componentRunning(h, client.scaleComponent(h, ref, id, p.hosts().get(h), ann, cfg));
            } catch (CtlException e) {
                return "version " + app.version() + " failed to start component " + c.name() + " on host " + h + ": " + e.getMessage();
            }
            long until = System.nanoTime() + probation.toNanos();
            while (System.nanoTime() < until) {
                mayAct();
                ClusterState.Health hl = cluster.health(h, id);
                if (hl != null && hl.atNanos() > since && "failed".equals(hl.state()))
                    return "version " + app.version() + " of component " + c.name() + " failed its health check on host " + h
                            + " during the rollout: " + hl.message();
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return "rollout interrupted";
                }
            }
            LOG.log(System.Logger.Level.INFO, "rollout of " + app.name() + " " + app.version() + ": " + c.name() + " healthy on " + h);
        }
        return null;
    }

    /** Marks the failed version and returns the application to the previous one (the next pass reconciles it). */
    private void rollBack(ModelIndex idx, String why) {
        mayAct();
        String failed = idx.deployedVersion();
        String back = idx.previousVersion();
        DeployRecord last = idx.history().isEmpty() ? null : idx.history().get(idx.history().size() - 1);
        if (last != null && "auto-rollback".equals(last.action()) && Objects.equals(last.version(), failed)) {
            // this version is itself the way back from a failed one: going back again would ping-pong
            LOG.log(System.Logger.Level.ERROR, "application " + idx.name() + ": " + why + "; it was already a rollback, staying failed");
            return;
        }
        store.update(idx.name(), cur -> {
            if (cur == null || !Objects.equals(cur.deployedVersion(), failed)) return cur;
            List<DeployRecord> h = ModelStore.append(cur.history(), new DeployRecord(back, "auto-rollback", System.currentTimeMillis(),
                    why + (back == null ? "; no previous version: undeployed" : "; returned to " + back)));
            return new ModelIndex(cur.name(), cur.versions(), back, failed, cur.nextSeq(), h);
        });
        LOG.log(System.Logger.Level.WARNING, "application " + idx.name() + ": " + why + "; rolling back to " + back);
        events.accept("application_rolled_back", Map.of("application", idx.name(), "failed_version", failed,
                "version", back == null ? "" : back, "reason", why));
    }

    private void teardown(ModelIndex idx) {
        Application previous = previous(idx);
        boolean any = false;
        for (HostView h : cluster.hosts()) {
            for (ComponentDescription c : h.components().values())
                if (idx.name().equals(c.annotations().get(APP))) {
                    stop(h.id(), c.id(), false);
                    any = true;
                }
            for (ProviderDescription p : h.providers().values())
                if (idx.name().equals(p.annotations().get(APP))) {
                    stop(h.id(), p.id(), true);
                    any = true;
                }
        }
        if (previous != null) {
            Set<String> ids = new LinkedHashSet<>();
            for (AppComponent c : previous.components()) ids.add(c.latticeId(previous.name()));
            for (Link l : buckets.links())
                if (ids.contains(l.sourceId())) {
                    mayAct();
                    client.deleteLink(l.sourceId(), l.name(), l.witNamespace(), l.witPackage());
                    any = true;
                }
            for (String name : configsOf(previous).keySet())
                if (buckets.config(name) != null) {
                    mayAct();
                    client.deleteConfig(name);
                    any = true;
                }
        }
        AppStatus last = lastStatus.get(idx.name());
        if (any || last == null || !AppStatus.UNDEPLOYED.equals(last.status()))
            publish(AppStatus.undeployed(idx.name(), System.currentTimeMillis()));
    }

    private AppStatus summarise(ModelIndex idx, Application app, List<ComponentStatus> rows, List<String> waitingLinks) {
        List<String> notes = new ArrayList<>();
        String status = AppStatus.DEPLOYED;
        for (ComponentStatus r : rows) {
            if (AppStatus.WAITING.equals(r.status())) {
                status = AppStatus.WAITING;
                notes.add(r.name() + ": " + r.message());
            } else if (AppStatus.RECONCILING.equals(r.status()) && !AppStatus.WAITING.equals(status)) {
                status = AppStatus.RECONCILING;
                notes.add(r.name() + ": " + r.hosts().size() + " of " + r.desired() + " placed");
            }
        }
        if (!waitingLinks.isEmpty() && AppStatus.DEPLOYED.equals(status)) status = AppStatus.RECONCILING;
        for (String l : waitingLinks) notes.add("link " + l + " waits for both ends to run");
        DeployRecord last = idx.history().isEmpty() ? null : idx.history().get(idx.history().size() - 1);
        if (last != null && "auto-rollback".equals(last.action()) && Objects.equals(last.version(), app.version())) {
            notes.add(0, "rolled back: " + last.message());
            status = AppStatus.FAILED;
        }
        String message = notes.isEmpty() ? "version " + app.version() + " deployed: " + rows.size() + " component"
                + (rows.size() == 1 ? "" : "s") + " as declared" : String.join("; ", notes);
        return new AppStatus(app.name(), app.version(), status, message, System.currentTimeMillis(), rows);
    }

    private void publish(AppStatus s) {
        AppStatus prev = lastStatus.get(s.name());
        if (prev != null && prev.withoutTime().equals(s.withoutTime())) return;
        Optional<AppStatus> stored = store.status(s.name());
        lastStatus.put(s.name(), s);
        if (stored.isPresent() && stored.get().withoutTime().equals(s.withoutTime())) return;
        store.putStatus(s);
        if (prev == null || !prev.status().equals(s.status()))
            events.accept("application_" + s.status(), Map.of("application", s.name(), "version", s.version() == null ? "" : s.version(),
                    "message", s.message() == null ? "" : s.message()));
    }

    private List<ComponentStatus> lastRows(String name) {
        AppStatus s = lastStatus.get(name);
        return s == null ? List.of() : s.components();
    }

    private void stop(String host, String id, boolean provider) {
        mayAct();
        try {
            if (provider) client.stopProvider(host, id);
            else client.stopComponent(host, id);
        } catch (CtlException e) {
            if (!e.getMessage().contains("does not run")) throw e; // already gone is what we wanted
        }
        if (provider) cluster.providerStopped(host, id);
        else cluster.componentStopped(host, id);
    }

    private Application parse(ModelIndex idx, StoredManifest m) {
        String key = idx.name() + "/" + m.version() + "/" + m.putAt();
        Application a = parsed.get(key);
        if (a != null) return a;
        Validation v = Manifests.validate(m.manifest(), ComponentWorlds.UNCHECKED);
        if (!v.valid()) throw new IllegalStateException("stored manifest of " + idx.name() + " " + m.version() + " is not valid: " + v.problems());
        if (parsed.size() > 256) parsed.clear();
        parsed.put(key, v.application());
        return v.application();
    }

    private Application previous(ModelIndex idx) {
        if (idx.previousVersion() == null) return null;
        return store.manifest(idx, idx.previousVersion()).map(m -> parse(idx, m)).orElse(null);
    }

    private static String image(AppComponent c, StoredManifest m) {
        return c.type() == AppComponent.Type.COMPONENT ? m.images().getOrDefault(c.name(), c.image()) : c.image();
    }

    private static boolean matches(ComponentDescription d, String ref) {
        return ref.startsWith("sha256-") ? ref.equals(d.digest()) : ref.equals(d.imageRef());
    }

    private static Map<String, Object> where(List<HostView> hosts, String id, boolean provider) {
        Map<String, Object> out = new TreeMap<>();
        for (HostView h : hosts) {
            Object d = provider ? h.providers().get(id) : h.components().get(id);
            if (d != null) out.put(h.id(), d);
        }
        return out;
    }

    private static Map<String, Integer> load(List<HostView> hosts) {
        Map<String, Integer> l = new HashMap<>();
        for (HostView h : hosts) l.put(h.id(), h.components().size() + h.providers().size());
        return l;
    }

    private static Map<String, Map<String, String>> configsOf(Application app) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (AppComponent c : app.components()) {
            for (ConfigSpec s : c.config()) out.put(s.name(), s.properties());
            for (LinkSpec l : c.links()) {
                for (ConfigSpec s : l.sourceConfig()) out.put(s.name(), s.properties());
                for (ConfigSpec s : l.targetConfig()) out.put(s.name(), s.properties());
            }
        }
        return out;
    }
}
