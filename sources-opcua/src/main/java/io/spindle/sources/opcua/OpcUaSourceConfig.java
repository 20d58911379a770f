package io.spindle.sources.opcua;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;

/**
 * What an {@link OpcUaSource} connects to and subscribes. Build it with {@link #builder(String)} or read it from link
 * config with {@link #fromMap(Map)}; both check every value and name the key at fault.
 *
 * @param endpoint     {@code opc.tcp://host[:port][/path]} (port 4840 when absent)
 * @param device       the series prefix ({@code <device>/<item>}); no '/'
 * @param nodes        the nodes to monitor, at least one, no node twice
 * @param samplingMs   the monitored items' sampling interval in ms (0: the fastest the server offers)
 * @param queueSize    the monitored items' queue size (oldest discarded when full)
 * @param publishingMs the subscription's publishing interval in ms
 * @param username       user name, or null for the anonymous identity
 * @param password       password (with a user name), or null
 * @param securityPolicy {@code None}, {@code Basic256Sha256}, {@code Aes128_Sha256_RsaOaep} or {@code Aes256_Sha256_RsaPss}
 * @param securityMode   {@code None} (with policy None), {@code Sign} or {@code SignAndEncrypt}
 * @param pkiDir         the client certificate and trust list directory (required unless the policy is None)
 */
public record OpcUaSourceConfig(String endpoint, String device, List<NodeSpec> nodes, double samplingMs, int queueSize,
        double publishingMs, String username, String password, String securityPolicy, String securityMode, Path pkiDir) {
    /** The keys {@link #fromMap} accepts. */
    public static final List<String> KEYS = List.of("endpoint", "nodes", "device", "sampling_ms", "queue_size",
            "publishing_ms", "username", "password", "security_policy", "security_mode", "pki_dir");
    /** The security policies a source can use (the deprecated Basic128Rsa15 and Basic256 are refused). */
    public static final List<String> POLICIES = List.of("None", "Basic256Sha256", "Aes128_Sha256_RsaOaep", "Aes256_Sha256_RsaPss");
    static final double DEFAULT_SAMPLING_MS = 100;
    static final double DEFAULT_PUBLISHING_MS = 500;
    static final int MAX_DEFAULT_QUEUE = 10_000;

    /** Checks every value; see the class comment. */
    public OpcUaSourceConfig {
        endpointUri(endpoint);
        if (device == null || device.isBlank() || device.contains("/") || !device.strip().equals(device)) {
            throw new IllegalArgumentException("device: '" + device + "' must be a non-blank name without '/' or outer spaces");
        }
        if (nodes == null || nodes.isEmpty()) throw new IllegalArgumentException("nodes: no node configured");
        nodes = List.copyOf(nodes);
        Set<ExpandedNodeId> ids = new HashSet<>();
        Set<String> series = new HashSet<>();
        for (NodeSpec n : nodes) {
            if (!ids.add(n.nodeId())) throw new IllegalArgumentException("nodes: node '" + n.text() + "' is listed twice");
            if (n.series() != null && !series.add(seriesName(device, n.series()))) {
                throw new IllegalArgumentException("nodes: series '" + n.series() + "' is given to two nodes");
            }
        }
        if (!(samplingMs >= 0) || Double.isInfinite(samplingMs)) {
            throw new IllegalArgumentException("sampling_ms: " + samplingMs + " must be a finite number >= 0");
        }
        if (!(publishingMs > 0) || Double.isInfinite(publishingMs)) {
            throw new IllegalArgumentException("publishing_ms: " + publishingMs + " must be a finite number > 0");
        }
        if (queueSize < 1) throw new IllegalArgumentException("queue_size: " + queueSize + " must be >= 1");
        if (username != null && username.isEmpty()) throw new IllegalArgumentException("username: empty");
        if (password != null && username == null) throw new IllegalArgumentException("password: given without a username");
        if (username != null && password == null) throw new IllegalArgumentException("username: given without a password");
        if (!POLICIES.contains(securityPolicy)) {
            throw new IllegalArgumentException("security_policy: '" + securityPolicy + "' is not one of " + POLICIES);
        }
        if ("None".equals(securityPolicy)) {
            if (!"None".equals(securityMode)) {
                throw new IllegalArgumentException("security_mode: '" + securityMode + "' needs a security_policy other than None");
            }
        } else {
            if (!"Sign".equals(securityMode) && !"SignAndEncrypt".equals(securityMode)) {
                throw new IllegalArgumentException("security_mode: '" + securityMode + "' is not Sign or SignAndEncrypt");
            }
            if (pkiDir == null) {
                throw new IllegalArgumentException("pki_dir: required with security_policy " + securityPolicy
                        + " (holds the client certificate and the trusted server certificates)");
            }
        }
    }

    /** A builder for the endpoint {@code opc.tcp://host[:port][/path]}. */
    public static Builder builder(String endpoint) {
        return new Builder(endpoint);
    }

    /**
     * Reads link config. Keys: {@code endpoint} (required), {@code nodes} (required: one entry per line, or entries
     * separated by '|'; an entry is {@code NODE_ID} or {@code SERIES=NODE_ID}), {@code device} (default: the endpoint's
     * host), {@code sampling_ms} (100), {@code publishing_ms} (500), {@code queue_size} (2 x publishing/sampling, at most
     * 10000), {@code username} and {@code password} (default: anonymous), {@code security_policy} (None),
     * {@code security_mode} (SignAndEncrypt when a policy is set) and {@code pki_dir}. An unknown key or a bad value
     * throws IllegalArgumentException naming the key and the reason.
     */
    public static OpcUaSourceConfig fromMap(Map<String, String> config) {
        for (Map.Entry<String, String> e : config.entrySet()) {
            if (!KEYS.contains(e.getKey())) {
                throw new IllegalArgumentException("unknown key '" + e.getKey() + "' (known: " + String.join(", ", KEYS) + ")");
            }
            if (e.getValue() == null) throw new IllegalArgumentException(e.getKey() + ": no value");
        }
        String endpoint = config.get("endpoint");
        if (endpoint == null) throw new IllegalArgumentException("endpoint: required (opc.tcp://host:port/path)");
        String nodes = config.get("nodes");
        if (nodes == null) throw new IllegalArgumentException("nodes: required (node ids, one per line or separated by '|')");
        Builder b = builder(endpoint.strip());
        try {
            NodeSpec.parseList(nodes).forEach(b::node);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("nodes: " + e.getMessage(), e);
        }
        if (config.containsKey("device")) b.device(config.get("device"));
        if (config.containsKey("sampling_ms")) b.samplingMs(number("sampling_ms", config.get("sampling_ms")));
        if (config.containsKey("publishing_ms")) b.publishingMs(number("publishing_ms", config.get("publishing_ms")));
        if (config.containsKey("queue_size")) b.queueSize(integer("queue_size", config.get("queue_size")));
        if (config.containsKey("username") || config.containsKey("password")) {
            b.credentials(config.get("username"), config.get("password"));
        }
        if (config.containsKey("security_policy") || config.containsKey("security_mode")) {
            b.security(config.getOrDefault("security_policy", "None").strip(),
                    config.containsKey("security_mode") ? config.get("security_mode").strip() : null);
        }
        if (config.containsKey("pki_dir")) {
            if (config.get("pki_dir").isBlank()) throw new IllegalArgumentException("pki_dir: empty");
            b.pkiDir(Path.of(config.get("pki_dir").strip()));
        }
        return b.build();
    }

    /** The series a node's name maps to: names with a '/' are complete series names, others get the device prefix. */
    static String seriesName(String device, String name) {
        return name.contains("/") ? name : device + "/" + name;
    }

    /** The endpoint's host, port (4840 when absent) and path, checked. */
    static URI endpointUri(String endpoint) {
        if (endpoint == null) throw new IllegalArgumentException("endpoint: required (opc.tcp://host:port/path)");
        URI uri;
        try {
            uri = new URI(endpoint);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("endpoint: '" + endpoint + "' is not a URL: " + e.getReason(), e);
        }
        if (!"opc.tcp".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("endpoint: '" + endpoint + "' must start with opc.tcp://");
        }
        if (uri.getHost() == null) throw new IllegalArgumentException("endpoint: '" + endpoint + "' has no host");
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            throw new IllegalArgumentException("endpoint: '" + endpoint + "' has port " + uri.getPort() + " (1..65535)");
        }
        return uri;
    }

    /** The endpoint's port (4840, the OPC UA default, when the URL has none). */
    int port() {
        int p = endpointUri(endpoint).getPort();
        return p < 0 ? 4840 : p;
    }

    /** The endpoint's host. */
    String host() {
        return endpointUri(endpoint).getHost();
    }

    private static double number(String key, String value) {
        try {
            return Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + value + "' is not a number", e);
        }
    }

    private static int integer(String key, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + value + "' is not an integer", e);
        }
    }

    /** Builds an {@link OpcUaSourceConfig}; unset values take the defaults listed at {@link #fromMap}. */
    public static final class Builder {
        private final String endpoint;
        private final List<NodeSpec> nodes = new ArrayList<>();
        private String device;
        private double samplingMs = DEFAULT_SAMPLING_MS;
        private double publishingMs = DEFAULT_PUBLISHING_MS;
        private int queueSize;
        private String username;
        private String password;
        private String securityPolicy = "None";
        private String securityMode;
        private Path pkiDir;

        private Builder(String endpoint) {
            this.endpoint = endpoint;
        }

        /** Adds a node named after its browse name. */
        public Builder node(String nodeId) {
            NodeSpec spec = NodeSpec.parse(nodeId);
            if (spec.series() != null) throw new IllegalArgumentException("nodes: '" + nodeId + "' is not a node id");
            return node(spec);
        }

        /** Adds a node with a series name ({@code <device>/<series>}, or the series itself when it contains '/'). */
        public Builder node(String nodeId, String series) {
            NodeSpec spec = NodeSpec.parse(nodeId);
            if (spec.series() != null) throw new IllegalArgumentException("nodes: '" + nodeId + "' is not a node id");
            return node(new NodeSpec(spec.text(), spec.nodeId(), series));
        }

        /** Adds a parsed node. */
        public Builder node(NodeSpec spec) {
            nodes.add(spec);
            return this;
        }

        /** Sets the series prefix (default: the endpoint's host). */
        public Builder device(String device) {
            this.device = device;
            return this;
        }

        /** Sets the sampling interval in ms (0: the server's fastest). */
        public Builder samplingMs(double ms) {
            this.samplingMs = ms;
            return this;
        }

        /** Sets the publishing interval in ms. */
        public Builder publishingMs(double ms) {
            this.publishingMs = ms;
            return this;
        }

        /** Sets the monitored items' queue size. */
        public Builder queueSize(int size) {
            if (size < 1) throw new IllegalArgumentException("queue_size: " + size + " must be >= 1");
            this.queueSize = size;
            return this;
        }

        /** Uses a user name identity instead of the anonymous one. */
        public Builder credentials(String username, String password) {
            this.username = username;
            this.password = password;
            return this;
        }

        /** Uses a security policy and mode (null: SignAndEncrypt, or None with policy None); needs {@link #pkiDir}. */
        public Builder security(String policy, String mode) {
            this.securityPolicy = policy;
            this.securityMode = mode;
            return this;
        }

        /** Sets the directory of the client certificate and the trusted server certificates. */
        public Builder pkiDir(Path dir) {
            this.pkiDir = dir;
            return this;
        }

        /** Checks and builds. */
        public OpcUaSourceConfig build() {
            String dev = device != null ? device : endpointUri(endpoint).getHost();
            int queue = queueSize > 0 ? queueSize : defaultQueueSize(samplingMs, publishingMs);
            String mode = securityMode != null ? securityMode : "None".equals(securityPolicy) ? "None" : "SignAndEncrypt";
            return new OpcUaSourceConfig(endpoint, dev, nodes, samplingMs, queue, publishingMs, username, password,
                    securityPolicy, mode, pkiDir);
        }

        // room for two publishing intervals of samples, so one late publish loses nothing
        private static int defaultQueueSize(double samplingMs, double publishingMs) {
            if (!(samplingMs >= 0) || !(publishingMs > 0)) return 1; // the record names the bad value
            double perPublish = Math.ceil(publishingMs / Math.max(samplingMs, 1.0));
            return (int) Math.max(1, Math.min(MAX_DEFAULT_QUEUE, 2 * perPublish));
        }
    }
}
