package io.spindle.host;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.lattice.Link;
import java.util.List;
import java.util.Map;

/**
 * What a host sends its policy service, as JSON in the lattice's snake_case (wasmCloud's service says
 * {@code requestId}/{@code publicKey}; Spindle's JSON is snake_case everywhere).
 *
 * @param requestId a fresh id the answer must repeat
 * @param kind      {@code start_component}, {@code start_provider} or {@code apply_link}
 * @param version   {@code v1}
 * @param request   the thing asked about: a {@link ComponentTarget}, {@link ProviderTarget} or {@link LinkTarget}
 * @param host      the host asking
 */
public record PolicyRequest(String requestId, String kind, String version, Object request, HostTarget host) {
    /** Kinds of request. */
    public static final String START_COMPONENT = "start_component", START_PROVIDER = "start_provider", APPLY_LINK = "apply_link";
    /** The request format's version. */
    public static final String VERSION = "v1";

    /**
     * A component about to start. {@code claims} is the module's signed claims once modules can be signed; null
     * (present, not omitted) until then, so a service can tell "unsigned" from "not sent".
     */
    public record ComponentTarget(String componentId, String imageRef, String digest, String world, Map<String, String> annotations,
                                  @JsonInclude(JsonInclude.Include.ALWAYS) JsonNode claims) {
    }

    /** A provider about to start. */
    public record ProviderTarget(String providerId, String providerRef, List<String> configNames, Map<String, String> annotations) {
    }

    /** A link about to be applied on the asking host (both of its ends run there). */
    public record LinkTarget(String sourceId, String target, String name, String witNamespace, String witPackage, List<String> interfaces,
                             List<String> sourceConfig, List<String> targetConfig) {
        static LinkTarget of(Link l) {
            return new LinkTarget(l.sourceId(), l.target(), l.name(), l.witNamespace(), l.witPackage(), l.interfaces(), l.sourceConfig(),
                    l.targetConfig());
        }
    }

    /** The asking host. */
    public record HostTarget(String publicKey, String lattice, Map<String, String> labels) {
    }
}
