package io.spindle.sources.mqtt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Reads an {@link MqttConfig} from string keys (link config); unknown keys and bad values name the key and why. */
final class MqttConfigKeys {
    static final Set<String> KEYS = Set.of("broker", "client_id", "groups", "json_topics", "username", "password",
        "qos", "naming", "rebirth", "rebirth_interval_ms", "reconnect_initial_ms", "reconnect_max_ms",
        "keep_alive_s");

    private MqttConfigKeys() {
    }

    static MqttConfig parse(Map<String, String> config) {
        for (String key : config.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown key '" + key + "'; known keys: " + new TreeSet<>(KEYS));
            }
        }
        String broker = config.get("broker");
        if (broker == null || broker.isBlank()) throw new IllegalArgumentException("key 'broker': required (tcp://host:port)");
        MqttConfig.Builder b = MqttConfig.builder().broker(broker);
        String v;
        if ((v = config.get("client_id")) != null) b.clientId(v.trim());
        if ((v = config.get("groups")) != null) b.groups(list(v).toArray(String[]::new));
        if ((v = config.get("json_topics")) != null) b.jsonTopics(list(v).toArray(String[]::new));
        b.credentials(config.get("username"), config.get("password"));
        if ((v = config.get("qos")) != null) b.qos((int) number("qos", v, 0, 2));
        if ((v = config.get("naming")) != null) {
            try {
                b.naming(SeriesNaming.parse(v));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("key 'naming': " + e.getMessage());
            }
        }
        if ((v = config.get("rebirth")) != null) b.rebirth(bool("rebirth", v));
        if ((v = config.get("rebirth_interval_ms")) != null) {
            b.rebirthInterval(Duration.ofMillis(number("rebirth_interval_ms", v, 0, 86_400_000)));
        }
        if ((v = config.get("reconnect_initial_ms")) != null) {
            b.reconnectInitial(Duration.ofMillis(number("reconnect_initial_ms", v, 1, 3_600_000)));
        }
        if ((v = config.get("reconnect_max_ms")) != null) {
            b.reconnectMax(Duration.ofMillis(number("reconnect_max_ms", v, 1, 3_600_000)));
        }
        if ((v = config.get("keep_alive_s")) != null) b.keepAliveSeconds((int) number("keep_alive_s", v, 0, 65535));
        return b.build();
    }

    private static List<String> list(String v) {
        List<String> out = new ArrayList<>();
        for (String s : v.split(",")) if (!s.isBlank()) out.add(s.trim());
        return out;
    }

    private static long number(String key, String v, long min, long max) {
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("key '" + key + "': '" + v + "' is not an integer");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("key '" + key + "': " + n + " is outside " + min + ".." + max);
        }
        return n;
    }

    private static boolean bool(String key, String v) {
        return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("key '" + key + "': must be true or false, got '" + v + "'");
        };
    }
}
