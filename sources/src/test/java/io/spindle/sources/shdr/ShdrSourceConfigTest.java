package io.spindle.sources.shdr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShdrSourceConfigTest {

    private static Map<String, String> with(String... kv) {
        Map<String, String> m = new HashMap<>(Map.of("host", "10.0.0.5", "device", "okuma"));
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    @Test
    void readsLinkConfigWithDefaults() {
        ShdrSourceConfig c = ShdrSourceConfig.fromConfig(with());
        assertThat(c).isEqualTo(new ShdrSourceConfig("10.0.0.5", 7878, "okuma", Duration.ofSeconds(5), Duration.ofSeconds(10),
                Duration.ofMillis(250), Duration.ofSeconds(30), 1 << 20));
        ShdrSourceConfig d = ShdrSourceConfig.fromConfig(with("port", "7879", "connect-timeout", "1.5s", "heartbeat", "500ms",
                "backoff-min", "100ms", "backoff-max", "1m", "max-line-bytes", "4096"));
        assertThat(d.port()).isEqualTo(7879);
        assertThat(d.connectTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(d.heartbeat()).isEqualTo(Duration.ofMillis(500));
        assertThat(d.backoffMax()).isEqualTo(Duration.ofMinutes(1));
        assertThat(d.maxLineBytes()).isEqualTo(4096);
        assertThat(new ShdrSource(d).name()).isEqualTo("shdr:okuma@10.0.0.5:7879");
        assertThat(ShdrSource.fromConfig(with("port", "7879")).name()).isEqualTo("shdr:okuma@10.0.0.5:7879");
    }

    @Test
    void badConfigNamesTheKeyAndTheReason() {
        Map<Map<String, String>, String> cases = Map.ofEntries(
                Map.entry(with("prot", "7878"), "unknown key 'prot' (known: host, port, device"),
                Map.entry(Map.of("device", "x"), "host: required"),
                Map.entry(Map.of("host", "h"), "device: required"),
                Map.entry(with("port", "http"), "port: 'http' is not an integer"),
                Map.entry(with("port", "0"), "port: 0 is not a TCP port"),
                Map.entry(with("port", "65536"), "port: 65536 is not a TCP port"),
                Map.entry(with("device", "a/b"), "device: 'a/b' must be a non-blank name"),
                Map.entry(with("heartbeat", "10"), "heartbeat: '10' is not a duration"),
                Map.entry(with("heartbeat", "5ms"), "heartbeat: 5ms is outside 10ms..1h"),
                Map.entry(with("connect-timeout", "0s"), "connect-timeout: must be a positive duration"),
                Map.entry(with("backoff-min", "2s", "backoff-max", "1s"), "backoff-max: 1000ms is below backoff-min"),
                Map.entry(with("max-line-bytes", "10"), "max-line-bytes: 10 is outside"));
        cases.forEach((config, message) -> assertThatThrownBy(() -> ShdrSourceConfig.fromConfig(config)).as(message)
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message));
    }
}
