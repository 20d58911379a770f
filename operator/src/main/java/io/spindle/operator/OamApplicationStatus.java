package io.spindle.operator;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** The orchestrator's status of the application, mirrored, plus Kubernetes conditions. */
public class OamApplicationStatus {
    public Long observedGeneration;
    /** The generation last put and deployed through the orchestrator. */
    public Long appliedGeneration;
    /** deployed, reconciling, waiting, failed, undeployed, or invalid (the spec failed validation: nothing was put). */
    public String phase;
    public String message;
    /** The version the resource asks for (metadata.annotations.version). */
    public String version;
    /** The version the orchestrator has deployed (differs from version after a rollback or a `spindle app deploy`). */
    public String deployedVersion;
    /** The lattice and host group it was deployed through. */
    public String lattice;
    public String hostGroup;
    public List<ComponentRow> components = new ArrayList<>();
    /** Ready, Drifted, Valid. */
    public List<Condition> conditions = new ArrayList<>();

    /** One component as the orchestrator reports it. */
    public static class ComponentRow {
        public String name;
        public String id;
        public String type;
        public Integer desired;
        public Integer running;
        public List<String> hosts = new ArrayList<>();
        public String status;
        public String message;
    }
}
