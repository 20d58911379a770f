package io.spindle.deploy.orchestrator;

import io.spindle.deploy.orchestrator.ModelRecords.DeployRecord;
import io.spindle.deploy.orchestrator.ModelRecords.ModelIndex;
import io.spindle.deploy.orchestrator.ModelRecords.ModelVersion;
import io.spindle.deploy.orchestrator.ModelRecords.StoredManifest;
import io.spindle.lattice.Json;
import io.spindle.lattice.transport.KeyValueBucket;
import io.spindle.lattice.transport.KvEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Applications in the models bucket: {@code model.<name>} (a {@link ModelIndex}), {@code manifest.<name>.<seq>}
 * (a {@link StoredManifest}) and {@code status.<name>} (an {@link AppStatus}). Index changes are compare-and-set,
 * so API calls answered by different orchestrator instances never lose each other's writes.
 */
public final class ModelStore {
    /** Versions kept per application; older ones (never the deployed or previous one) are deleted on put. */
    public static final int MAX_VERSIONS = 32;
    /** Deploy history entries kept per application. */
    public static final int MAX_HISTORY = 64;
    static final String INDEX = "model.", MANIFEST = "manifest.", STATUS = "status.";

    private final KeyValueBucket kv;

    /** The store over bucket (the lattice's {@code SPINDLE_MODELS_<lattice>}). */
    public ModelStore(KeyValueBucket kv) {
        this.kv = kv;
    }

    /** The application's index, if it exists. */
    public Optional<ModelIndex> index(String name) {
        return read(INDEX + name).map(e -> Json.read(e.value(), ModelIndex.class, "index of application " + name));
    }

    /** Every application's name. */
    public List<String> names() {
        List<String> out = new ArrayList<>();
        for (String k : kv.keys()) if (k.startsWith(INDEX)) out.add(k.substring(INDEX.length()));
        out.sort(null);
        return out;
    }

    /** A stored manifest by its sequence number. */
    public Optional<StoredManifest> manifest(String name, long seq) {
        return read(MANIFEST + name + "." + seq).map(e -> Json.read(e.value(), StoredManifest.class, "manifest " + name + " #" + seq));
    }

    /** The manifest of a version (null: the newest). */
    public Optional<StoredManifest> manifest(ModelIndex index, String version) {
        return find(index, version).flatMap(v -> manifest(index.name(), v.seq()));
    }

    /** The version entry (null: the newest). */
    public static Optional<ModelVersion> find(ModelIndex index, String version) {
        if (index.versions().isEmpty()) return Optional.empty();
        if (version == null) return Optional.of(index.versions().get(index.versions().size() - 1));
        return index.versions().stream().filter(v -> v.version().equals(version)).findFirst();
    }

    /**
     * Stores a manifest body under a sequence number no one holds yet (before the index points at it); false when the
     * key exists already (another put took that number), so two puts never write one key.
     */
    public boolean createManifest(String name, long seq, StoredManifest m) {
        return kv.update(MANIFEST + name + "." + seq, Json.write(m), 0) >= 0;
    }

    /** Deletes a stored manifest. */
    public void deleteManifest(String name, long seq) {
        kv.delete(MANIFEST + name + "." + seq);
    }

    /**
     * Changes an application's index atomically: change gets the current index (null when there is none) and
     * returns the new one, or null to delete it; retried when another writer got in between. Returns the new index.
     */
    public ModelIndex update(String name, UnaryOperator<ModelIndex> change) {
        for (int attempt = 0; attempt < 100; attempt++) {
            Optional<KvEntry> cur = read(INDEX + name);
            ModelIndex before = cur.map(e -> Json.read(e.value(), ModelIndex.class, "index of application " + name)).orElse(null);
            ModelIndex after = change.apply(before);
            if (after == before) return before;
            if (after == null) {
                kv.delete(INDEX + name);
                return null;
            }
            long rev = kv.update(INDEX + name, Json.write(after), cur.map(KvEntry::revision).orElse(0L));
            if (rev >= 0) return after;
        }
        throw new IllegalStateException("application " + name + ": its index kept changing under 100 attempts to update it");
    }

    /** The status the acting orchestrator last wrote. */
    public Optional<AppStatus> status(String name) {
        return read(STATUS + name).map(e -> Json.read(e.value(), AppStatus.class, "status of application " + name));
    }

    /** Writes a status. */
    public void putStatus(AppStatus s) {
        kv.put(STATUS + s.name(), Json.write(s));
    }

    /** Deletes a status. */
    public void deleteStatus(String name) {
        kv.delete(STATUS + name);
    }

    /** The index with one more history entry (the oldest dropped past {@link #MAX_HISTORY}). */
    public static List<DeployRecord> append(List<DeployRecord> history, DeployRecord r) {
        List<DeployRecord> h = new ArrayList<>(history);
        h.add(r);
        while (h.size() > MAX_HISTORY) h.remove(0);
        return h;
    }

    /** The bucket underneath (watched by the reconciler). */
    public KeyValueBucket bucket() {
        return kv;
    }

    private Optional<KvEntry> read(String key) {
        return kv.get(key).filter(e -> !e.deleted());
    }
}
