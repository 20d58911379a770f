package io.spindle.lattice;

/**
 * Every subject and bucket of a lattice, in one place (documented in {@code lattice/README.md}). Control requests:
 * {@code spindle.ctl.v1.<lattice>.<operation>[.<host-id>]}; events: {@code spindle.evt.<lattice>.<event>};
 * key-value buckets {@code SPINDLE_<KIND>_<lattice>}.
 */
public final class Subjects {
    /** Prefix of control subjects. */
    public static final String CTL = "spindle.ctl.v1";
    /** Prefix of event subjects. */
    public static final String EVT = "spindle.evt";
    /** Prefix of the orchestrator's API subjects (wadm's {@code wasmbus.ctl...model} counterpart). */
    public static final String API = "spindle.api";

    private final String lattice;

    /** The subjects of one lattice; the name must be a single subject token. */
    public Subjects(String lattice) {
        if (lattice == null || !lattice.matches("[A-Za-z0-9_-]{1,64}"))
            throw new IllegalArgumentException("lattice name must be 1-64 of [A-Za-z0-9_-], got '" + lattice + "'");
        this.lattice = lattice;
    }

    /** The lattice name. */
    public String lattice() {
        return lattice;
    }

    /** {@code spindle.ctl.v1.<lattice>.<operation>}. */
    public String ctl(String operation) {
        return CTL + "." + lattice + "." + operation;
    }

    /** {@code spindle.ctl.v1.<lattice>.<operation>.<target>} (a host id or a config name). */
    public String ctl(String operation, String target) {
        return ctl(operation) + "." + target;
    }

    /** {@code spindle.evt.<lattice>.<event>}. */
    public String event(String type) {
        return EVT + "." + lattice + "." + type;
    }

    /** Every event of the lattice: {@code spindle.evt.<lattice>.>}. */
    public String allEvents() {
        return EVT + "." + lattice + ".>";
    }

    /** {@code spindle.api.<lattice>.model.<operation>}: the orchestrator's model API. */
    public String modelApi(String operation) {
        return API + "." + lattice + ".model." + operation;
    }

    /** Application manifests, their versions, deploy history and status (the orchestrator's bucket). */
    public String modelsBucket() {
        return "SPINDLE_MODELS_" + lattice;
    }

    /** The orchestrator's lease: which orchestrator instance acts (one at a time). */
    public String orchestratorBucket() {
        return "SPINDLE_ORCHESTRATOR_" + lattice;
    }

    /** Links bucket: key = source id + "." + link name + "." + target... see {@link Link#key()}. */
    public String linksBucket() {
        return "SPINDLE_LINKS_" + lattice;
    }

    /** Named config bucket: key = config name, value = JSON object of strings. */
    public String configBucket() {
        return "SPINDLE_CONFIG_" + lattice;
    }

    /** Component checkpoints: key = component id, value = a checkpoint (state and input offset). */
    public String checkpointBucket() {
        return "SPINDLE_CHECKPOINTS_" + lattice;
    }

    /** Stored component binaries: key = {@code sha256-<hex>}, value = the module bytes. */
    public String componentsBucket() {
        return "SPINDLE_COMPONENTS_" + lattice;
    }

    /** The durable stream of machine data published on {@code spindle.data.<lattice>.>}. */
    public String dataStream() {
        return "SPINDLE_DATA_" + lattice;
    }

    /** Subjects captured by the data stream. */
    public String dataSubjects() {
        return "spindle.data." + lattice + ".>";
    }
}
