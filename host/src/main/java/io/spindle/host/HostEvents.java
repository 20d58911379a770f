package io.spindle.host;

import io.spindle.lattice.Link;
import java.util.Map;

/**
 * Payloads ({@code data}) of the CloudEvents a host publishes on {@code spindle.evt.<lattice>.<event>}, besides
 * {@code host_started}, {@code host_stopped}, {@code labels_changed} ({@link io.spindle.lattice.HostInfo}) and
 * {@code host_heartbeat} ({@link io.spindle.lattice.HostInventory}). JSON snake_case, absent fields omitted.
 */
public final class HostEvents {
    private HostEvents() {
    }

    /**
     * {@code component_scaled} (max_instances 0: stopped) and {@code component_scale_failed} (error set).
     * world is the component's world id.
     */
    public record ComponentScaled(String hostId, String componentId, String imageRef, String digest, int maxInstances,
                                  Map<String, String> annotations, String world, String error) {
    }

    /** {@code provider_started}, {@code provider_stopped}, {@code provider_start_failed} (error set). */
    public record ProviderEvent(String hostId, String providerId, String providerRef, Map<String, String> annotations, String error) {
    }

    /**
     * {@code link_put_failed}: phase {@code put} (refused by link.put, nothing stored; link absent when the request
     * was not a link) or {@code apply} (a stored link this host cannot apply; hostId says which host).
     */
    public record LinkFailed(String hostId, String phase, Link link, String error) {
    }

    /** {@code link_deleted}. */
    public record LinkDeleted(String sourceId, String name, String witNamespace, String witPackage) {
    }

    /** {@code config_set}, {@code config_deleted}. */
    public record ConfigChanged(String configName) {
    }

    /** {@code health_check_passed}, {@code health_check_failed}: kind component or provider; message says why. */
    public record Health(String hostId, String kind, String id, String state, String message) {
    }

    /** {@code checkpoint_saved}, {@code checkpoint_restored}: offsets per input (link key), state size. */
    public record CheckpointEvent(String hostId, String componentId, String digest, Map<String, Long> offsets, long messages,
                                  int bytes, String savedAt) {
    }
}
