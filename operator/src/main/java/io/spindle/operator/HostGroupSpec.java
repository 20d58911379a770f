package io.spindle.operator;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a SpindleHostGroup asks for; fields are public for the CRD generator and Jackson. */
public class HostGroupSpec {
    @Required
    @JsonPropertyDescription("The lattice the hosts join (spindle host --lattice).")
    public String lattice;

    @Required
    @JsonPropertyDescription("NATS server URL(s), comma-separated, e.g. nats://nats.spindle:4222.")
    public String nats;

    @JsonPropertyDescription("Secret in this namespace holding NATS credentials: key nats.creds (a JWT creds file) or user and password.")
    public String credentialsSecret;

    @JsonPropertyDescription("Labels every host carries (placement requirements in manifests match them).")
    public Map<String, String> labels = new LinkedHashMap<>();

    @JsonPropertyDescription("Number of hosts (a Deployment); ignored when daemon is true. Default 1.")
    public Integer replicas;

    @JsonPropertyDescription("One host per node (a DaemonSet) instead of replicas.")
    public Boolean daemon;

    @JsonPropertyDescription("The host image (runs `spindle host`).")
    public String image;

    @JsonPropertyDescription("JVM options for the hosts (JAVA_TOOL_OPTIONS), e.g. -Xmx256m.")
    public String jvmOptions;

    @JsonPropertyDescription("Container resources of each host.")
    public ResourceRequirements resources;

    @JsonPropertyDescription("Where a host keeps its data directory (checkpoints, stores, keys).")
    public DataVolume dataVolume;

    @JsonPropertyDescription("Port of the host's HTTP endpoints (query API, /metrics), exposed by the group's Service. Default 8080.")
    public Integer httpPort;

    /** The data directory's volume: one of claimName, hostPath, or an emptyDir (sizeLimit optional). */
    public static class DataVolume {
        @JsonPropertyDescription("A PersistentVolumeClaim to mount (ReadWriteMany when replicas > 1).")
        public String claimName;
        @JsonPropertyDescription("A directory on the node (daemon groups on edge nodes: state survives pod restarts).")
        public String hostPath;
        @JsonPropertyDescription("Size limit of the emptyDir used when neither claimName nor hostPath is given, e.g. 1Gi.")
        public String sizeLimit;
    }

    int replicasOrDefault() {
        return replicas == null ? 1 : replicas;
    }

    boolean isDaemon() {
        return Boolean.TRUE.equals(daemon);
    }

    int httpPortOrDefault() {
        return httpPort == null ? 8080 : httpPort;
    }
}
