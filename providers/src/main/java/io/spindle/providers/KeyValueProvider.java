package io.spindle.providers;

import io.spindle.lattice.Subjects;
import io.spindle.lattice.transport.KeyValueBucket;
import io.spindle.lattice.transport.KvEntry;
import io.spindle.lattice.transport.Transport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code spindle:keyvalue}: key-value storage for components in a bucket of the transport (JetStream key-value on
 * NATS; the in-process transport's store, on disk when it has a data directory).
 *
 * <p>Settings (provider config, overridden per link by the link's target_config):
 * <ul>
 *   <li>{@code bucket}: default {@code SPINDLE_KV_<lattice>}; {@code [A-Za-z0-9_-]{1,64}}, and not one of the
 *       lattice's own buckets: a name starting {@code SPINDLE_} must start {@code SPINDLE_KV_};</li>
 *   <li>{@code key-prefix}: default the component's id; the component's key k is stored as {@code <prefix>.k}, so
 *       components see only their own keys unless their links give them the same prefix ({@code ""}: none);</li>
 *   <li>{@code max-value-bytes}: default 262144, at most 1000000.</li>
 * </ul>
 */
public final class KeyValueProvider implements Provider {
    public static final String BUCKET = "bucket", KEY_PREFIX = "key-prefix", MAX_VALUE_BYTES = "max-value-bytes";
    /** Default and largest value size. */
    public static final int DEFAULT_MAX_VALUE = 256 << 10, LIMIT_MAX_VALUE = 1_000_000;
    private static final Pattern BUCKET_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern KEY = Pattern.compile("[-/_=a-zA-Z0-9]+(\\.[-/_=a-zA-Z0-9]+)*");

    private final String id;
    private final Transport transport;
    private final Subjects subjects;
    private final Map<String, String> config;

    /** A provider with id, storing through transport; config: its start settings (checked). */
    public KeyValueProvider(String id, Transport transport, Subjects subjects, Map<String, String> config) {
        this.id = id;
        this.transport = transport;
        this.subjects = subjects;
        this.config = Map.copyOf(config);
        List<String> problems = checkConfig(subjects, config, false);
        if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String ref() {
        return Interfaces.KEYVALUE;
    }

    @Override
    public Map<String, String> config() {
        return config;
    }

    @Override
    public List<String> checkLinkConfig(String iface, String peerId, Map<String, String> linkConfig) {
        if (!iface.equals(Interfaces.STORE)) return List.of("provider " + id + " (" + ref() + ") does not offer " + iface);
        return checkConfig(subjects, merged(linkConfig), true);
    }

    private Map<String, String> merged(Map<String, String> linkConfig) {
        Map<String, String> m = new HashMap<>(config);
        m.putAll(linkConfig);
        return m;
    }

    /** Problems of a store config (unknown keys are allowed: other link users may read them). */
    public static List<String> checkConfig(Subjects subjects, Map<String, String> c, boolean complete) {
        List<String> p = new ArrayList<>();
        String b = c.get(BUCKET);
        if (b != null) {
            if (!BUCKET_NAME.matcher(b).matches()) p.add("bucket '" + b + "' must be 1-64 of [A-Za-z0-9_-]");
            else if (b.startsWith("SPINDLE_") && !b.startsWith("SPINDLE_KV_"))
                p.add("bucket '" + b + "' is reserved for the lattice (buckets starting SPINDLE_ must start SPINDLE_KV_)");
        }
        String prefix = c.get(KEY_PREFIX);
        if (prefix != null && !prefix.isEmpty() && (!KEY.matcher(prefix).matches() || prefix.length() > 256))
            p.add("key-prefix '" + prefix + "' must be empty or up to 256 characters of [-/_=a-zA-Z0-9] in '.'-separated tokens");
        String max = c.get(MAX_VALUE_BYTES);
        if (max != null) {
            try {
                long v = Long.parseLong(max.trim());
                if (v < 1 || v > LIMIT_MAX_VALUE) p.add("max-value-bytes " + v + " must be in [1, " + LIMIT_MAX_VALUE + "]");
            } catch (NumberFormatException e) {
                p.add("max-value-bytes '" + max + "' is not an integer");
            }
        }
        return p;
    }

    /**
     * The store a link from componentId to this provider grants; linkConfig is the link's target_config (named
     * configs merged). Throws IllegalArgumentException naming every problem of the config.
     */
    public KeyValueCapability.Store store(String componentId, Map<String, String> linkConfig) {
        Map<String, String> c = merged(linkConfig);
        List<String> problems = checkConfig(subjects, c, true);
        if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
        String bucketName = c.getOrDefault(BUCKET, "SPINDLE_KV_" + subjects.lattice());
        String prefix = c.getOrDefault(KEY_PREFIX, componentId);
        int maxValue = c.containsKey(MAX_VALUE_BYTES) ? Integer.parseInt(c.get(MAX_VALUE_BYTES).trim()) : DEFAULT_MAX_VALUE;
        KeyValueBucket bucket = transport.keyValue(bucketName);
        return new Store(bucket, prefix, maxValue);
    }

    /** Key checks, prefixing and error mapping of one link's store. */
    private record Store(KeyValueBucket bucket, String prefix, int maxValue) implements KeyValueCapability.Store {
        private String key(String k) {
            if (k.isEmpty()) throw new ProviderException("key is empty");
            if (!KEY.matcher(k).matches())
                throw new ProviderException("key '" + shorten(k) + "' must be [-/_=a-zA-Z0-9] in '.'-separated non-empty tokens");
            return prefix.isEmpty() ? k : prefix + "." + k;
        }

        @Override
        public Optional<byte[]> get(String k) {
            String full = key(k);
            try {
                return bucket.get(full).filter(e -> !e.deleted()).map(KvEntry::value);
            } catch (RuntimeException e) {
                throw new ProviderException("keyvalue get '" + k + "' in bucket " + bucket.name() + " failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void set(String k, byte[] value) {
            String full = key(k);
            if (value.length > maxValue)
                throw new ProviderException("value of " + value.length + " bytes exceeds the link's max-value-bytes of " + maxValue);
            try {
                bucket.put(full, value);
            } catch (RuntimeException e) {
                throw new ProviderException("keyvalue set '" + k + "' in bucket " + bucket.name() + " failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void delete(String k) {
            String full = key(k);
            try {
                bucket.delete(full);
            } catch (RuntimeException e) {
                throw new ProviderException("keyvalue delete '" + k + "' in bucket " + bucket.name() + " failed: " + e.getMessage(), e);
            }
        }
    }

    static String shorten(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    @Override
    public void close() {
        // nothing held: buckets belong to the transport
    }
}
