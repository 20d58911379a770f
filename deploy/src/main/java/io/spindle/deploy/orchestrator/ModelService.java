package io.spindle.deploy.orchestrator;

import io.spindle.deploy.AppComponent;
import io.spindle.deploy.Application;
import io.spindle.deploy.ComponentWorlds;
import io.spindle.deploy.Manifests;
import io.spindle.deploy.Problem;
import io.spindle.deploy.Validation;
import io.spindle.deploy.orchestrator.ModelRecords.DeployRecord;
import io.spindle.deploy.orchestrator.ModelRecords.DeployReply;
import io.spindle.deploy.orchestrator.ModelRecords.ModelIndex;
import io.spindle.deploy.orchestrator.ModelRecords.ModelRef;
import io.spindle.deploy.orchestrator.ModelRecords.ModelSummary;
import io.spindle.deploy.orchestrator.ModelRecords.ModelVersion;
import io.spindle.deploy.orchestrator.ModelRecords.PutReply;
import io.spindle.deploy.orchestrator.ModelRecords.PutRequest;
import io.spindle.deploy.orchestrator.ModelRecords.StoredManifest;
import io.spindle.deploy.orchestrator.ModelRecords.VersionRow;
import io.spindle.lattice.CtlResponse;
import io.spindle.lattice.Json;
import io.spindle.lattice.Subjects;
import io.spindle.lattice.transport.KeyValueBucket;
import io.spindle.lattice.transport.Msg;
import io.spindle.lattice.transport.Subscription;
import io.spindle.lattice.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * Answers the model API on {@code spindle.api.<lattice>.model.<op>} (queue group: one orchestrator instance answers
 * each request; all state is in the models bucket, so any instance can). Operations: put, get, list, del, versions,
 * deploy, undeploy, status, history, rollback. Replies are {@link CtlResponse} envelopes; a refused request changes
 * nothing and says why.
 */
public final class ModelService implements AutoCloseable {
    /** The operations, in the order the README lists them. */
    public static final List<String> OPERATIONS = List.of("put", "get", "list", "del", "versions", "deploy", "undeploy",
            "status", "history", "rollback");
    static final String QUEUE = "spindle-orchestrator";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern DIGEST = Pattern.compile("sha256-[0-9a-f]{64}");
    private static final System.Logger LOG = System.getLogger(ModelService.class.getName());

    private final Transport transport;
    private final Subjects subjects;
    private final ModelStore store;
    private final KeyValueBucket components;
    private final ExecutorService pool;
    private final List<Subscription> subs = new ArrayList<>();

    /** A service for lattice over transport; call {@link #start()}. */
    public ModelService(Transport transport, String lattice) {
        this.transport = transport;
        this.subjects = new Subjects(lattice);
        this.store = new ModelStore(transport.keyValue(subjects.modelsBucket()));
        this.components = transport.keyValue(subjects.componentsBucket());
        this.pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "spindle-model-api");
            t.setDaemon(true);
            return t;
        });
    }

    /** Subscribes to every operation. */
    public ModelService start() {
        for (String op : OPERATIONS)
            subs.add(transport.subscribe(subjects.modelApi(op), QUEUE, m -> pool.execute(() -> answer(op, m))));
        return this;
    }

    private void answer(String op, Msg m) {
        CtlResponse<?> reply = handle(op, m.data());
        if (m.replyTo() != null) transport.publish(m.replyTo(), Json.write(reply));
    }

    /** Answers one request (also for embedded callers and tests): the reply, or a refusal saying why. */
    public CtlResponse<?> handle(String op, byte[] body) {
        try {
            return dispatch(op, body);
        } catch (Refused e) {
            return CtlResponse.error(e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "model." + op + " failed", e);
            return CtlResponse.error("model." + op + ": " + e.getMessage());
        }
    }

    private CtlResponse<?> dispatch(String op, byte[] body) {
        return switch (op) {
            case "put" -> put(read(op, body, PutRequest.class));
            case "get" -> get(ref(op, body, false));
            case "list" -> list(op, body);
            case "del" -> delete(ref(op, body, false));
            case "versions" -> versions(ref(op, body, true));
            case "deploy" -> deploy(ref(op, body, false));
            case "undeploy" -> undeploy(ref(op, body, true));
            case "status" -> status(ref(op, body, true));
            case "history" -> history(ref(op, body, true));
            case "rollback" -> rollback(ref(op, body, true));
            default -> throw new Refused("model." + op + ": unknown operation (known: " + String.join(", ", OPERATIONS) + ")");
        };
    }

    private CtlResponse<?> put(PutRequest r) {
        if (r.manifest() == null || r.manifest().isBlank()) throw new Refused("model.put: manifest is missing");
        Validation v = Manifests.validate(r.manifest(), ComponentWorlds.UNCHECKED);
        if (!v.valid()) {
            StringBuilder b = new StringBuilder("model.put: the manifest has " + v.problems().size() + " problem"
                    + (v.problems().size() == 1 ? "" : "s") + ":");
            for (Problem p : v.problems()) b.append("\n  ").append(p);
            throw new Refused(b.toString());
        }
        Application app = v.application();
        Map<String, String> images = r.images() == null ? Map.of() : r.images();
        for (var e : images.entrySet()) {
            Optional<AppComponent> c = app.component(e.getKey());
            if (c.isEmpty() || c.get().type() != AppComponent.Type.COMPONENT)
                throw new Refused("model.put: images names '" + e.getKey() + "', which is not a component (type: component) of application " + app.name());
            if (e.getValue() == null || !DIGEST.matcher(e.getValue()).matches())
                throw new Refused("model.put: image of '" + e.getKey() + "' must be sha256-<64 lowercase hex>, got '" + e.getValue() + "'");
            if (components.get(e.getValue()).filter(x -> !x.deleted()).isEmpty())
                throw new Refused("model.put: image of '" + e.getKey() + "' (" + e.getValue() + ") is not in " + subjects.componentsBucket()
                        + " (store the module first: the CLI does so for file images)");
        }
        refuseSharedConfigs(app);
        long now = System.currentTimeMillis();
        StoredManifest body = new StoredManifest(app.name(), app.version(), r.manifest(), images, now);
        Optional<ModelIndex> existing = store.index(app.name());
        if (existing.isPresent()) {
            Optional<ModelVersion> same = ModelStore.find(existing.get(), app.version());
            if (same.isPresent()) {
                Optional<StoredManifest> old = store.manifest(app.name(), same.get().seq());
                if (old.isPresent() && old.get().manifest().equals(r.manifest()) && old.get().images().equals(images))
                    return CtlResponse.ok("application " + app.name() + " version " + app.version() + " is already stored, unchanged",
                            new PutReply(app.name(), app.version(), false, existing.get().versions().size()));
                throw new Refused("model.put: application " + app.name() + " already has a version " + app.version()
                        + " with another manifest; versions are immutable: change metadata.annotations.version");
            }
        }
        AtomicReference<Long> seq = new AtomicReference<>(); // the manifest key this put created (reused on a retry)
        List<Long> dropped = new ArrayList<>();
        ModelIndex after;
        try {
            after = store.update(app.name(), cur -> {
                ModelIndex base = cur != null ? cur : new ModelIndex(app.name(), List.of(), null, null, 1, List.of());
                if (ModelStore.find(base, app.version()).isPresent() && cur != null)
                    throw new Refused("model.put: application " + app.name() + " version " + app.version() + " was stored concurrently");
                long s = seq.get() != null && seq.get() >= base.nextSeq() ? seq.get() : base.nextSeq();
                if (seq.get() == null || s != seq.get()) {
                    while (!store.createManifest(app.name(), s, body)) s++; // taken by a concurrent put: the next one
                    if (seq.get() != null) store.deleteManifest(app.name(), seq.get());
                    seq.set(s);
                }
                List<ModelVersion> vs = new ArrayList<>(base.versions());
                vs.add(new ModelVersion(app.version(), s, now, app.description()));
                dropped.clear();
                while (vs.size() > ModelStore.MAX_VERSIONS) {
                    int i = 0;
                    while (i < vs.size() - 1 && (vs.get(i).version().equals(base.deployedVersion()) || vs.get(i).version().equals(base.previousVersion()))) i++;
                    dropped.add(vs.remove(i).seq());
                }
                return new ModelIndex(app.name(), vs, base.deployedVersion(), base.previousVersion(), s + 1, base.history());
            });
        } catch (RuntimeException e) {
            if (seq.get() != null) store.deleteManifest(app.name(), seq.get()); // a refused put leaves nothing behind
            throw e;
        }
        for (long s : dropped) store.deleteManifest(app.name(), s);
        return CtlResponse.ok("stored application " + app.name() + " version " + app.version(),
                new PutReply(app.name(), app.version(), true, after.versions().size()));
    }

    /**
     * Named configs live in one lattice-wide bucket and the reconciler writes and deletes the ones its application
     * declares: two applications declaring one name would overwrite each other on every pass, and undeploying one
     * would delete the other's. So a name another application's newest or deployed version declares is refused.
     */
    private void refuseSharedConfigs(Application app) {
        java.util.Set<String> mine = configNames(app);
        if (mine.isEmpty()) return;
        for (String other : store.names()) {
            if (other.equals(app.name())) continue;
            Optional<ModelIndex> idx = store.index(other);
            if (idx.isEmpty()) continue;
            java.util.Set<String> versions = new java.util.LinkedHashSet<>();
            if (idx.get().deployedVersion() != null) versions.add(idx.get().deployedVersion());
            if (!idx.get().versions().isEmpty()) versions.add(idx.get().versions().get(idx.get().versions().size() - 1).version());
            for (String v : versions) {
                Optional<StoredManifest> m = store.manifest(idx.get(), v);
                if (m.isEmpty()) continue;
                Validation ov = Manifests.validate(m.get().manifest(), ComponentWorlds.UNCHECKED);
                if (ov.application() == null) continue;
                java.util.Set<String> shared = new java.util.TreeSet<>(configNames(ov.application()));
                shared.retainAll(mine);
                if (!shared.isEmpty())
                    throw new Refused("model.put: config " + String.join(", ", shared) + " is declared by application " + other
                            + " (version " + v + "); configs are lattice-wide and each belongs to one application: rename it");
            }
        }
    }

    private static java.util.Set<String> configNames(Application app) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (AppComponent c : app.components()) {
            c.config().forEach(x -> out.add(x.name()));
            c.links().forEach(l -> {
                l.sourceConfig().forEach(x -> out.add(x.name()));
                l.targetConfig().forEach(x -> out.add(x.name()));
            });
        }
        return out;
    }

    private CtlResponse<?> get(ModelRef r) {
        ModelIndex idx = index("model.get", r.name());
        StoredManifest m = store.manifest(idx, r.version()).orElseThrow(() -> noVersion("model.get", idx, r.version()));
        return CtlResponse.ok("application " + idx.name() + " version " + m.version(), m);
    }

    private CtlResponse<?> list(String op, byte[] body) {
        if (body.length > 0 && !new String(body).isBlank() && !new String(body).trim().equals("{}"))
            throw new Refused("model." + op + ": takes no request body");
        List<ModelSummary> rows = new ArrayList<>();
        for (String name : store.names()) {
            Optional<ModelIndex> idx = store.index(name);
            if (idx.isEmpty() || idx.get().versions().isEmpty()) continue;
            ModelIndex i = idx.get();
            ModelVersion latest = i.versions().get(i.versions().size() - 1);
            rows.add(new ModelSummary(name, latest.version(), i.deployedVersion(), currentStatus(i).status(),
                    latest.description(), i.versions().size()));
        }
        return CtlResponse.ok(rows.size() + " application" + (rows.size() == 1 ? "" : "s"), rows);
    }

    private CtlResponse<?> delete(ModelRef r) {
        ModelIndex idx = index("model.del", r.name());
        if (r.version() != null) {
            ModelVersion v = ModelStore.find(idx, r.version()).orElseThrow(() -> noVersion("model.del", idx, r.version()));
            store.update(idx.name(), cur -> {
                if (cur == null) throw new Refused("model.del: application " + r.name() + " was deleted concurrently");
                if (r.version().equals(cur.deployedVersion()))
                    throw new Refused("model.del: version " + r.version() + " of " + r.name() + " is deployed; deploy another version or undeploy first");
                List<ModelVersion> vs = new ArrayList<>(cur.versions());
                vs.removeIf(x -> x.version().equals(r.version()));
                String prev = r.version().equals(cur.previousVersion()) ? null : cur.previousVersion();
                return new ModelIndex(cur.name(), vs, cur.deployedVersion(), prev, cur.nextSeq(), cur.history());
            });
            store.deleteManifest(idx.name(), v.seq());
            return CtlResponse.ok("deleted version " + r.version() + " of application " + r.name(), null);
        }
        ModelIndex gone = store.update(idx.name(), cur -> {
            if (cur == null) throw new Refused("model.del: application " + r.name() + " was deleted concurrently");
            if (cur.deployedVersion() != null)
                throw new Refused("model.del: application " + r.name() + " is deployed (version " + cur.deployedVersion() + "); undeploy it first");
            return null;
        });
        if (gone == null) {
            for (ModelVersion v : idx.versions()) store.deleteManifest(idx.name(), v.seq());
            store.deleteStatus(idx.name());
        }
        return CtlResponse.ok("deleted application " + r.name() + " (" + idx.versions().size() + " version"
                + (idx.versions().size() == 1 ? "" : "s") + ")", null);
    }

    private CtlResponse<?> versions(ModelRef r) {
        ModelIndex idx = index("model.versions", r.name());
        List<VersionRow> rows = idx.versions().stream()
                .map(v -> new VersionRow(v.version(), v.putAt(), v.version().equals(idx.deployedVersion()), v.description())).toList();
        return CtlResponse.ok(rows.size() + " version" + (rows.size() == 1 ? "" : "s") + " of " + idx.name(), rows);
    }

    private CtlResponse<?> deploy(ModelRef r) {
        return deployVersion("model.deploy", r.name(), r.version(), "deploy");
    }

    private CtlResponse<?> deployVersion(String op, String name, String version, String action) {
        ModelIndex idx = index(op, name);
        ModelVersion v = ModelStore.find(idx, version).orElseThrow(() -> noVersion(op, idx, version));
        ModelIndex after = store.update(name, cur -> {
            if (cur == null || ModelStore.find(cur, v.version()).isEmpty())
                throw new Refused(op + ": application " + name + " version " + v.version() + " was deleted concurrently");
            if (v.version().equals(cur.deployedVersion()) && !failed(cur)) return cur;
            String prev = cur.deployedVersion() != null && !cur.deployedVersion().equals(v.version()) ? cur.deployedVersion() : cur.previousVersion();
            return new ModelIndex(cur.name(), cur.versions(), v.version(), prev, cur.nextSeq(),
                    ModelStore.append(cur.history(), new DeployRecord(v.version(), action, System.currentTimeMillis(), null)));
        });
        boolean already = Objects.equals(idx.deployedVersion(), v.version()) && after.history().size() == idx.history().size();
        return CtlResponse.ok(already ? "application " + name + " version " + v.version() + " is already deployed"
                : (action.equals("rollback") ? "rolling back " : "deploying ") + "application " + name + " version " + v.version(),
                new DeployReply(name, v.version(), already));
    }

    private boolean failed(ModelIndex idx) {
        return store.status(idx.name()).map(s -> AppStatus.FAILED.equals(s.status())).orElse(false);
    }

    private CtlResponse<?> undeploy(ModelRef r) {
        if (r.version() != null) throw new Refused("model.undeploy: takes no version (it undeploys whatever is deployed)");
        ModelIndex idx = index("model.undeploy", r.name());
        if (idx.deployedVersion() == null) return CtlResponse.ok("application " + r.name() + " is not deployed", null);
        store.update(r.name(), cur -> cur == null || cur.deployedVersion() == null ? cur
                : new ModelIndex(cur.name(), cur.versions(), null, cur.deployedVersion(), cur.nextSeq(),
                ModelStore.append(cur.history(), new DeployRecord(cur.deployedVersion(), "undeploy", System.currentTimeMillis(), null))));
        return CtlResponse.ok("undeploying application " + r.name(), null);
    }

    private CtlResponse<?> status(ModelRef r) {
        ModelIndex idx = index("model.status", r.name());
        return CtlResponse.ok("status of " + r.name(), currentStatus(idx));
    }

    private AppStatus currentStatus(ModelIndex idx) {
        Optional<AppStatus> s = store.status(idx.name());
        if (idx.deployedVersion() == null) {
            if (s.isPresent() && !AppStatus.UNDEPLOYED.equals(s.get().status())) return s.get(); // still being taken down
            return s.orElse(AppStatus.undeployed(idx.name(), System.currentTimeMillis()));
        }
        if (s.isPresent() && idx.deployedVersion().equals(s.get().version())) return s.get();
        return new AppStatus(idx.name(), idx.deployedVersion(), AppStatus.RECONCILING,
                "version " + idx.deployedVersion() + " is deployed; waiting for the acting orchestrator to report", System.currentTimeMillis(),
                s.map(AppStatus::components).orElse(List.of()));
    }

    private CtlResponse<?> history(ModelRef r) {
        ModelIndex idx = index("model.history", r.name());
        return CtlResponse.ok(idx.history().size() + " entries", idx.history());
    }

    private CtlResponse<?> rollback(ModelRef r) {
        if (r.version() != null) throw new Refused("model.rollback: takes no version (it returns to the previously deployed one; deploy a version by name instead)");
        ModelIndex idx = index("model.rollback", r.name());
        if (idx.previousVersion() == null)
            throw new Refused("model.rollback: application " + r.name() + " has no previous deployed version to return to");
        return deployVersion("model.rollback", r.name(), idx.previousVersion(), "rollback");
    }

    private ModelIndex index(String op, String name) {
        return store.index(name).orElseThrow(() -> new Refused(op + ": no application named '" + name + "'"
                + (store.names().isEmpty() ? " (none are stored)" : " (stored: " + String.join(", ", store.names()) + ")")));
    }

    private static Refused noVersion(String op, ModelIndex idx, String version) {
        return new Refused(op + ": application " + idx.name() + " has no version " + version + " (versions: "
                + String.join(", ", idx.versions().stream().map(ModelVersion::version).toList()) + ")");
    }

    private static ModelRef ref(String op, byte[] body, boolean nameOnly) {
        ModelRef r = read(op, body, ModelRef.class);
        if (r.name() == null) throw new Refused("model." + op + ": name is missing");
        if (!NAME.matcher(r.name()).matches()) throw new Refused("model." + op + ": name '" + r.name() + "' must be 1-64 of [A-Za-z0-9_-]");
        if (r.version() != null && r.version().isBlank()) throw new Refused("model." + op + ": version is empty");
        return r;
    }

    private static <T> T read(String op, byte[] body, Class<T> type) {
        if (body == null || body.length == 0) throw new Refused("model." + op + ": the request body is empty (expected a JSON object)");
        try {
            return Json.read(body, type, "model." + op + " request");
        } catch (IllegalArgumentException e) {
            throw new Refused(e.getMessage());
        }
    }

    @Override
    public void close() {
        for (Subscription s : subs) s.close();
        subs.clear();
        pool.shutdown();
    }

    /** A request refused with a reason. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }
}
