package io.spindle.sources.mqtt;

import com.hivemq.client.mqtt.datatypes.MqttTopicFilter;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Settings of an {@link MqttSource}. Build with {@link #builder()} or read from string keys with
 * {@link MqttSource#fromConfig}; every check names the config key it is about.
 *
 * @param host              broker host
 * @param port              broker port
 * @param clientId          MQTT client identifier (unique per broker)
 * @param groups            Sparkplug B group ids to follow ("+" follows every group)
 * @param jsonTopics        MQTT topic filters whose payloads are JSON
 * @param username          user name, or null for an anonymous connection
 * @param password          password (only with a user name), or null
 * @param qos               the subscriptions' maximum QoS, 0..2
 * @param naming            how Sparkplug metrics become series names
 * @param rebirth           whether to publish rebirth requests (NCMD) at all
 * @param rebirthInterval   the least time between two rebirth requests to one edge node
 * @param reconnectInitial  the first reconnect delay (doubling up to reconnectMax, plus up to 25% jitter)
 * @param reconnectMax      the longest reconnect delay
 * @param keepAliveSeconds  MQTT keep-alive (0: none)
 */
public record MqttConfig(String host, int port, String clientId, List<String> groups, List<String> jsonTopics,
                         String username, String password, int qos, SeriesNaming naming, boolean rebirth,
                         Duration rebirthInterval, Duration reconnectInitial, Duration reconnectMax,
                         int keepAliveSeconds) {

    public MqttConfig {
        groups = List.copyOf(groups);
        jsonTopics = List.copyOf(jsonTopics);
        check(host != null && !host.isBlank(), "broker", "has no host");
        check(port > 0 && port < 65536, "broker", "port " + port + " is outside 1..65535");
        check(clientId != null && !clientId.isEmpty(), "client_id", "must not be empty");
        check(!groups.isEmpty() || !jsonTopics.isEmpty(), "groups", "configure groups or json_topics (or both)");
        for (String g : groups) {
            check(g.equals("+") || (!g.isEmpty() && g.indexOf('/') < 0 && g.indexOf('+') < 0 && g.indexOf('#') < 0),
                "groups", "'" + g + "' is not a Sparkplug group id (non-empty, no '/', '+' or '#'; or just '+')");
        }
        for (String f : jsonTopics) {
            try {
                MqttTopicFilter.of(f);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("key 'json_topics': '" + f + "' is not an MQTT topic filter: "
                    + e.getMessage());
            }
            check(!f.startsWith(SparkplugTopic.NAMESPACE + '/'), "json_topics",
                "'" + f + "' is in the Sparkplug namespace; use groups");
        }
        check(password == null || username != null, "password", "needs a username");
        check(qos >= 0 && qos <= 2, "qos", "must be 0, 1 or 2, got " + qos);
        check(naming != null, "naming", "must be set");
        check(rebirthInterval != null && !rebirthInterval.isNegative(), "rebirth_interval_ms", "must be >= 0");
        check(reconnectInitial != null && reconnectInitial.toMillis() > 0, "reconnect_initial_ms", "must be > 0");
        check(reconnectMax != null && reconnectMax.compareTo(reconnectInitial) >= 0, "reconnect_max_ms",
            "must be >= reconnect_initial_ms");
        check(keepAliveSeconds >= 0 && keepAliveSeconds <= 65535, "keep_alive_s", "must be 0..65535");
    }

    /** A builder with the defaults: QoS 1, naming full, rebirths on (at most one per 5 s per node), reconnect 1-30 s. */
    public static Builder builder() {
        return new Builder();
    }

    /** The broker as {@code tcp://host:port}. */
    public String broker() {
        return "tcp://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ':' + port;
    }

    @Override
    public String toString() { // never print the password
        return "MqttConfig[broker=" + broker() + ", clientId=" + clientId + ", groups=" + groups + ", jsonTopics="
            + jsonTopics + ", username=" + username + ", qos=" + qos + ", naming=" + naming + ", rebirth=" + rebirth
            + "]";
    }

    private static void check(boolean ok, String key, String why) {
        if (!ok) throw new IllegalArgumentException("key '" + key + "': " + why);
    }

    /** Builds an {@link MqttConfig}. */
    public static final class Builder {
        private String host;
        private int port;
        private String clientId = "spindle-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        private final List<String> groups = new ArrayList<>();
        private final List<String> jsonTopics = new ArrayList<>();
        private String username;
        private String password;
        private int qos = 1;
        private SeriesNaming naming = SeriesNaming.FULL;
        private boolean rebirth = true;
        private Duration rebirthInterval = Duration.ofSeconds(5);
        private Duration reconnectInitial = Duration.ofSeconds(1);
        private Duration reconnectMax = Duration.ofSeconds(30);
        private int keepAliveSeconds = 30;

        /** The broker as {@code tcp://host:port} (port 1883 when left out). */
        public Builder broker(String uri) {
            URI u;
            try {
                u = new URI(uri.trim());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("key 'broker': '" + uri + "' is not tcp://host:port: "
                    + e.getReason());
            }
            check("tcp".equalsIgnoreCase(u.getScheme()), "broker", "'" + uri + "' must start with tcp:// "
                + "(TLS and WebSocket brokers are not supported)");
            check(u.getHost() != null, "broker", "'" + uri + "' has no host (tcp://host:port)");
            check(u.getUserInfo() == null && (u.getRawPath() == null || u.getRawPath().isEmpty())
                && u.getRawQuery() == null && u.getRawFragment() == null, "broker",
                "'" + uri + "' must be only tcp://host:port (credentials go in username/password)");
            String h = u.getHost();
            host = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
            port = u.getPort() < 0 ? 1883 : u.getPort();
            return this;
        }

        public Builder clientId(String id) {
            clientId = id;
            return this;
        }

        /** Adds Sparkplug B group ids to follow. */
        public Builder groups(String... ids) {
            groups.addAll(List.of(ids));
            return this;
        }

        /** Adds topic filters whose payloads are JSON. */
        public Builder jsonTopics(String... filters) {
            jsonTopics.addAll(List.of(filters));
            return this;
        }

        public Builder credentials(String user, String pass) {
            username = user;
            password = pass;
            return this;
        }

        public Builder qos(int q) {
            qos = q;
            return this;
        }

        public Builder naming(SeriesNaming n) {
            naming = n;
            return this;
        }

        public Builder rebirth(boolean on) {
            rebirth = on;
            return this;
        }

        public Builder rebirthInterval(Duration d) {
            rebirthInterval = d;
            return this;
        }

        public Builder reconnectInitial(Duration d) {
            reconnectInitial = d;
            return this;
        }

        public Builder reconnectMax(Duration d) {
            reconnectMax = d;
            return this;
        }

        public Builder keepAliveSeconds(int s) {
            keepAliveSeconds = s;
            return this;
        }

        public MqttConfig build() {
            return new MqttConfig(host, port, clientId, groups, jsonTopics, username, password, qos, naming, rebirth,
                rebirthInterval, reconnectInitial, reconnectMax, keepAliveSeconds);
        }
    }
}
