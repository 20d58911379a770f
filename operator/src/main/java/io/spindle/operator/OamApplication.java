package io.spindle.operator;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The OAM {@code core.oam.dev/v1beta1} Application, the same document as a manifest file: the operator puts it
 * into the orchestrator of the lattice of a SpindleHostGroup and deploys it.
 */
@Group("core.oam.dev")
@Version("v1beta1")
@Kind("Application")
@Plural("applications")
@ShortNames("app")
public class OamApplication extends CustomResource<OamApplicationSpec, OamApplicationStatus> implements Namespaced {
    /** Annotation naming the SpindleHostGroup (in the same namespace) whose lattice runs the application. */
    public static final String HOST_GROUP_ANNOTATION = "spindle.io/host-group";
}
