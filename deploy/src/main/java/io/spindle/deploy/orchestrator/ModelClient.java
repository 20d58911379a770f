package io.spindle.deploy.orchestrator;

import com.fasterxml.jackson.databind.JavaType;
import io.spindle.deploy.orchestrator.ModelRecords.DeployRecord;
import io.spindle.deploy.orchestrator.ModelRecords.DeployReply;
import io.spindle.deploy.orchestrator.ModelRecords.ModelRef;
import io.spindle.deploy.orchestrator.ModelRecords.ModelSummary;
import io.spindle.deploy.orchestrator.ModelRecords.PutReply;
import io.spindle.deploy.orchestrator.ModelRecords.PutRequest;
import io.spindle.deploy.orchestrator.ModelRecords.StoredManifest;
import io.spindle.deploy.orchestrator.ModelRecords.VersionRow;
import io.spindle.lattice.CtlException;
import io.spindle.lattice.Json;
import io.spindle.lattice.LatticeClient;
import io.spindle.lattice.Subjects;
import io.spindle.lattice.transport.Msg;
import io.spindle.lattice.transport.Transport;
import io.spindle.lattice.transport.TransportException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * The model API from the caller's side (the CLI, tests, benchmarks): one method per operation. A refusal or no
 * answer (no orchestrator runs in the lattice) is a {@link CtlException} with the reason.
 */
public final class ModelClient {
    private final Transport transport;
    private final Subjects subjects;
    private final Duration timeout;

    /** A client of lattice's orchestrator; timeout bounds each request. */
    public ModelClient(Transport transport, String lattice, Duration timeout) {
        this.transport = transport;
        this.subjects = new Subjects(lattice);
        this.timeout = timeout;
    }

    /** Stores a manifest as a new version; images maps component names to stored module digests. */
    public PutReply put(String manifest, Map<String, String> images) {
        return call("put", new PutRequest(manifest, images), PutReply.class);
    }

    /** A stored manifest (version null: the newest). */
    public StoredManifest get(String name, String version) {
        return call("get", new ModelRef(name, version), StoredManifest.class);
    }

    /** Every application. */
    public List<ModelSummary> list() {
        return call("list", null, Json.MAPPER.getTypeFactory().constructCollectionType(List.class, ModelSummary.class));
    }

    /** Deletes one version, or the whole application (version null; it must be undeployed). */
    public void delete(String name, String version) {
        call("del", new ModelRef(name, version), (JavaType) null);
    }

    /** An application's versions, oldest first. */
    public List<VersionRow> versions(String name) {
        return call("versions", new ModelRef(name, null), Json.MAPPER.getTypeFactory().constructCollectionType(List.class, VersionRow.class));
    }

    /** Deploys a version (null: the newest). */
    public DeployReply deploy(String name, String version) {
        return call("deploy", new ModelRef(name, version), DeployReply.class);
    }

    /** Undeploys an application: everything it started is stopped, its links and configs deleted. */
    public void undeploy(String name) {
        call("undeploy", new ModelRef(name, null), (JavaType) null);
    }

    /** Where an application stands. */
    public AppStatus status(String name) {
        return call("status", new ModelRef(name, null), AppStatus.class);
    }

    /** An application's deploy history, oldest first. */
    public List<DeployRecord> history(String name) {
        return call("history", new ModelRef(name, null), Json.MAPPER.getTypeFactory().constructCollectionType(List.class, DeployRecord.class));
    }

    /** Deploys the version deployed before the current one. */
    public DeployReply rollback(String name) {
        return call("rollback", new ModelRef(name, null), DeployReply.class);
    }

    private <T> T call(String op, Object body, Class<T> type) {
        return call(op, body, Json.MAPPER.getTypeFactory().constructType(type));
    }

    private <T> T call(String op, Object body, JavaType type) {
        String subject = subjects.modelApi(op);
        Msg reply;
        try {
            reply = transport.request(subject, body == null ? new byte[0] : Json.write(body), timeout).get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            String why = c instanceof TransportException ? c.getMessage() : String.valueOf(c);
            throw new CtlException("model." + op + ": no answer from an orchestrator in lattice " + subjects.lattice()
                    + " (" + why + "); is one running? (`spindle host` runs one unless --no-orchestrator; or `spindle orchestrator`)", c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CtlException("model." + op + ": interrupted", e);
        }
        return LatticeClient.unwrap(subject, reply, type);
    }
}
