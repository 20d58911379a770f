package io.spindle.deploy.orchestrator;

import java.util.List;
import java.util.Map;

/** What the orchestrator keeps in {@code SPINDLE_MODELS_<lattice>} and answers on its API (JSON, snake_case). */
public final class ModelRecords {
    private ModelRecords() {
    }

    /** One stored version of an application: {@code seq} keys its manifest, {@code put_at} is epoch ms. */
    public record ModelVersion(String version, long seq, long putAt, String description) {
    }

    /** One entry of an application's deploy history; action is deploy, undeploy, rollback or auto-rollback. */
    public record DeployRecord(String version, String action, long at, String message) {
    }

    /**
     * Key {@code model.<name>}: an application's versions (oldest first), the version deployed (null: undeployed),
     * the one deployed before it (what {@code rollback} returns to) and the deploy history (newest last).
     */
    public record ModelIndex(String name, List<ModelVersion> versions, String deployedVersion, String previousVersion,
                             long nextSeq, List<DeployRecord> history) {
        public ModelIndex {
            versions = versions == null ? List.of() : List.copyOf(versions);
            history = history == null ? List.of() : List.copyOf(history);
        }
    }

    /**
     * Key {@code manifest.<name>.<seq>}: a manifest as put, and the images the client resolved (component name to
     * {@code sha256-<hex>} of a module it stored in the components bucket) which replace file paths.
     */
    public record StoredManifest(String name, String version, String manifest, Map<String, String> images, long putAt) {
        public StoredManifest {
            images = images == null ? Map.of() : Map.copyOf(images);
        }
    }

    /** {@code model.put} request. */
    public record PutRequest(String manifest, Map<String, String> images) {
    }

    /** {@code model.put} reply: created false when that version was already stored with the same manifest. */
    public record PutReply(String name, String version, boolean created, int versions) {
    }

    /** Requests naming an application and optionally a version ({@code get}, {@code del}, {@code deploy}, ...). */
    public record ModelRef(String name, String version) {
    }

    /** {@code model.list} rows. */
    public record ModelSummary(String name, String latestVersion, String deployedVersion, String status,
                               String description, int versions) {
    }

    /** {@code model.versions} rows. */
    public record VersionRow(String version, long putAt, boolean deployed, String description) {
    }

    /** {@code model.deploy}, {@code model.rollback} replies: the version now desired; unchanged when it already was. */
    public record DeployReply(String name, String version, boolean unchanged) {
    }
}
