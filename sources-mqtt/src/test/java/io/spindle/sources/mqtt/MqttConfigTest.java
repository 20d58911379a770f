package io.spindle.sources.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Config keys: values parsed, defaults applied, every bad key refused with its name and the reason. */
class MqttConfigTest {
    private static Map<String, String> keys(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    @Test
    void everyKeyIsRead() {
        MqttConfig c = MqttConfigKeys.parse(keys("broker", "tcp://broker.local:1884", "client_id", "edge-host-1",
            "groups", "Plant1, Plant2", "json_topics", "sensors/#,lines/+/temp", "username", "u", "password", "p",
            "qos", "0", "naming", "Device", "rebirth", "false", "rebirth_interval_ms", "250",
            "reconnect_initial_ms", "100", "reconnect_max_ms", "2000", "keep_alive_s", "10"));
        assertThat(c.host()).isEqualTo("broker.local");
        assertThat(c.port()).isEqualTo(1884);
        assertThat(c.clientId()).isEqualTo("edge-host-1");
        assertThat(c.groups()).containsExactly("Plant1", "Plant2");
        assertThat(c.jsonTopics()).containsExactly("sensors/#", "lines/+/temp");
        assertThat(c.username()).isEqualTo("u");
        assertThat(c.password()).isEqualTo("p");
        assertThat(c.qos()).isZero();
        assertThat(c.naming()).isEqualTo(SeriesNaming.DEVICE);
        assertThat(c.rebirth()).isFalse();
        assertThat(c.rebirthInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.reconnectInitial()).isEqualTo(Duration.ofMillis(100));
        assertThat(c.reconnectMax()).isEqualTo(Duration.ofMillis(2000));
        assertThat(c.keepAliveSeconds()).isEqualTo(10);
        assertThat(c.toString()).doesNotContain("p,").contains("broker=tcp://broker.local:1884");
    }

    @Test
    void defaultsAreSensible() {
        MqttConfig c = MqttConfigKeys.parse(keys("broker", "tcp://[::1]", "groups", "+"));
        assertThat(c.host()).isEqualTo("::1");
        assertThat(c.port()).isEqualTo(1883);
        assertThat(c.broker()).isEqualTo("tcp://[::1]:1883");
        assertThat(c.clientId()).startsWith("spindle-");
        assertThat(c.qos()).isEqualTo(1);
        assertThat(c.naming()).isEqualTo(SeriesNaming.FULL);
        assertThat(c.rebirth()).isTrue();
        assertThat(c.rebirthInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.reconnectInitial()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.reconnectMax()).isEqualTo(Duration.ofSeconds(30));
        assertThat(MqttSource.fromConfig(keys("broker", "tcp://h:1", "client_id", "c", "groups", "g")).name())
            .isEqualTo("mqtt:c@h:1");
    }

    @Test
    void badKeysAreRefusedNamingTheKeyAndWhy() {
        List<String[]> cases = List.of(
            new String[] {"unknown key 'brokr'", "brokr", "tcp://h", "groups", "g"},
            new String[] {"key 'broker': required", "groups", "g"},
            new String[] {"key 'broker': 'ssl://h:8883' must start with tcp://", "broker", "ssl://h:8883", "groups", "g"},
            new String[] {"key 'broker': 'tcp://u:p@h:1' must be only tcp://host:port", "broker", "tcp://u:p@h:1",
                "groups", "g"},
            new String[] {"key 'broker': 'tcp://h:1/x' must be only", "broker", "tcp://h:1/x", "groups", "g"},
            new String[] {"key 'broker': port 99999 is outside 1..65535", "broker", "tcp://h:99999", "groups", "g"},
            new String[] {"key 'groups': configure groups or json_topics", "broker", "tcp://h"},
            new String[] {"key 'groups': 'a/b' is not a Sparkplug group id", "broker", "tcp://h", "groups", "a/b"},
            new String[] {"key 'groups': 'a#' is not", "broker", "tcp://h", "groups", "a#"},
            new String[] {"key 'json_topics': 'a/#/b' is not an MQTT topic filter", "broker", "tcp://h",
                "json_topics", "a/#/b"},
            new String[] {"key 'json_topics': 'spBv1.0/G/#' is in the Sparkplug namespace", "broker", "tcp://h",
                "json_topics", "spBv1.0/G/#"},
            new String[] {"key 'qos': 3 is outside 0..2", "broker", "tcp://h", "groups", "g", "qos", "3"},
            new String[] {"key 'qos': 'one' is not an integer", "broker", "tcp://h", "groups", "g", "qos", "one"},
            new String[] {"key 'naming': must be full, node or device", "broker", "tcp://h", "groups", "g",
                "naming", "flat"},
            new String[] {"key 'rebirth': must be true or false, got 'yes'", "broker", "tcp://h", "groups", "g",
                "rebirth", "yes"},
            new String[] {"key 'password': needs a username", "broker", "tcp://h", "groups", "g", "password", "p"},
            new String[] {"key 'client_id': must not be empty", "broker", "tcp://h", "groups", "g", "client_id", " "},
            new String[] {"key 'reconnect_max_ms': must be >= reconnect_initial_ms", "broker", "tcp://h", "groups",
                "g", "reconnect_initial_ms", "5000", "reconnect_max_ms", "100"},
            new String[] {"key 'keep_alive_s': 70000 is outside 0..65535", "broker", "tcp://h", "groups", "g",
                "keep_alive_s", "70000"});
        for (String[] c : cases) {
            String[] kv = java.util.Arrays.copyOfRange(c, 1, c.length);
            assertThatThrownBy(() -> MqttSource.fromConfig(keys(kv)))
                .as(String.join(" ", kv))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(c[0]);
        }
    }
}
