package io.spindle.operator;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A group of Spindle hosts run by Kubernetes (a Deployment, or a DaemonSet for one per node), joined to one lattice. */
@Group("spindle.io")
@Version("v1alpha1")
@Kind("SpindleHostGroup")
@Plural("spindlehostgroups")
@ShortNames("shg")
public class SpindleHostGroup extends CustomResource<HostGroupSpec, HostGroupStatus> implements Namespaced {
    /** The host label every host of a group carries: its value is {@code <namespace>.<name>}. */
    public static final String GROUP_LABEL = "spindle.io/host-group";

    /** The value of {@link #GROUP_LABEL} for this group. */
    public String groupKey() {
        return getMetadata().getNamespace() + "." + getMetadata().getName();
    }
}
