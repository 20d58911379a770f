package io.spindle.deploy.orchestrator;

import java.util.List;

/**
 * Key {@code status.<name>} and reply of {@code model.status}: where an application stands, per component too.
 *
 * @param name       the application
 * @param version    the version deployed (or being rolled out), null when undeployed
 * @param status     one of {@link #UNDEPLOYED}, {@link #RECONCILING}, {@link #DEPLOYED}, {@link #FAILED}, {@link #WAITING}
 * @param message    what is happening or why it failed
 * @param updatedAt  epoch ms of the last change
 * @param components one row per manifest component
 */
public record AppStatus(String name, String version, String status, String message, long updatedAt,
                        List<ComponentStatus> components) {
    public static final String UNDEPLOYED = "undeployed", RECONCILING = "reconciling", DEPLOYED = "deployed",
            FAILED = "failed", WAITING = "waiting";

    public AppStatus {
        components = components == null ? List.of() : List.copyOf(components);
    }

    /**
     * One component: desired instances, those running (host ids), its own status and why.
     *
     * @param name     the manifest's component name
     * @param id       its lattice id
     * @param type     component or capability
     * @param image    what runs: a digest, a file path or a provider ref
     * @param desired  instances wanted in total
     * @param hosts    ids of the hosts running it
     * @param status   as the application's
     * @param message  why it is not deployed, or null
     */
    public record ComponentStatus(String name, String id, String type, String image, int desired, List<String> hosts,
                                  String status, String message) {
        public ComponentStatus {
            hosts = hosts == null ? List.of() : List.copyOf(hosts);
        }
    }

    /** An application with nothing deployed. */
    public static AppStatus undeployed(String name, long now) {
        return new AppStatus(name, null, UNDEPLOYED, "not deployed", now, List.of());
    }

    /** The same status without the timestamp, to tell real changes from rewrites. */
    public AppStatus withoutTime() {
        return new AppStatus(name, version, status, message, 0, components);
    }
}
