package io.spindle.operator;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Where a SpindleHostGroup stands: hosts counted from the lattice (they answer host.get), not from pods. */
public class HostGroupStatus {
    public Long observedGeneration;
    /** Hosts wanted: replicas, or for a daemon group the DaemonSet's desired count. */
    public Integer desiredHosts;
    /** Hosts of this group (by the spindle.io/host-group label) that answer on the lattice. */
    public Integer readyHosts;
    /** Their ids and friendly names, "N...(name)". */
    public List<String> hosts = new ArrayList<>();
    /** Ready, Progressing, Degraded. */
    public List<Condition> conditions = new ArrayList<>();
}
