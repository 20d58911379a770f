package io.spindle.sources.opcua;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpcUaSourceConfigTest {
    private static Map<String, String> minimal() {
        Map<String, String> m = new HashMap<>();
        m.put("endpoint", "opc.tcp://plc.local:4840/milo");
        m.put("nodes", "ns=2;s=Machine/SpindleLoad");
        return m;
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> m = minimal();
        m.put(key, value);
        return m;
    }

    @Test
    void defaultsFollowTheEndpoint() {
        OpcUaSourceConfig c = OpcUaSourceConfig.fromMap(minimal());
        assertThat(c.device()).isEqualTo("plc.local");
        assertThat(c.samplingMs()).isEqualTo(100);
        assertThat(c.publishingMs()).isEqualTo(500);
        assertThat(c.queueSize()).as("two publishing intervals of samples").isEqualTo(10);
        assertThat(c.username()).isNull();
        assertThat(c.nodes()).containsExactly(new NodeSpec("ns=2;s=Machine/SpindleLoad",
                ExpandedNodeId.parse("ns=2;s=Machine/SpindleLoad"), null));
        assertThat(new OpcUaSource(c).name()).isEqualTo("opcua:plc.local@plc.local:4840/milo");
        assertThat(OpcUaSourceConfig.fromMap(with("endpoint", "opc.tcp://10.0.0.7")).port()).isEqualTo(4840);
        assertThat(OpcUaSourceConfig.fromMap(with("sampling_ms", "1")).queueSize()).isEqualTo(1000);
        assertThat(OpcUaSourceConfig.fromMap(with("sampling_ms", "0")).queueSize()).isEqualTo(1000);
    }

    @Test
    void everyKeyIsRead() {
        Map<String, String> m = minimal();
        m.put("device", "okuma");
        m.put("sampling_ms", "2.5");
        m.put("publishing_ms", "250");
        m.put("queue_size", "64");
        m.put("username", "op");
        m.put("password", "pw");
        OpcUaSourceConfig c = OpcUaSourceConfig.fromMap(m);
        m.put("security_policy", "Aes256_Sha256_RsaPss");
        m.put("security_mode", "Sign");
        m.put("pki_dir", "/var/lib/spindle/pki");
        assertThat(OpcUaSourceConfig.fromMap(m)).isEqualTo(new OpcUaSourceConfig("opc.tcp://plc.local:4840/milo",
                "okuma", c.nodes(), 2.5, 64, 250, "op", "pw", "Aes256_Sha256_RsaPss", "Sign",
                Path.of("/var/lib/spindle/pki")));
        assertThat(c.securityPolicy()).isEqualTo("None");
        assertThat(c.securityMode()).isEqualTo("None");
        Map<String, String> secure = with("security_policy", "Basic256Sha256");
        secure.put("pki_dir", "pki");
        assertThat(OpcUaSourceConfig.fromMap(secure).securityMode()).isEqualTo("SignAndEncrypt");
    }

    @Test
    void nodeListsSplitOnLinesOrBarsAndNameSeries() {
        String lines = """
                ns=2;s=Machine/SpindleLoad
                  Z1load = ns=2;s=Axis/Z;Load,peak
                cell/feed=nsu=urn:vendor:plc;i=1007

                i=2258
                ns=3;s=a=b|c
                """;
        List<NodeSpec> specs = OpcUaSourceConfig.fromMap(with("nodes", lines)).nodes();
        assertThat(specs).extracting(NodeSpec::text).containsExactly("ns=2;s=Machine/SpindleLoad",
                "ns=2;s=Axis/Z;Load,peak", "nsu=urn:vendor:plc;i=1007", "i=2258", "ns=3;s=a=b|c");
        assertThat(specs).extracting(NodeSpec::series).containsExactly(null, "Z1load", "cell/feed", null, null);
        assertThat(specs.get(1).nodeId().getIdentifier()).isEqualTo("Axis/Z;Load,peak");
        assertThat(specs.get(2).nodeId().getNamespaceUri()).isEqualTo("urn:vendor:plc");
        assertThat(specs.get(4).nodeId().getIdentifier()).isEqualTo("a=b|c");

        List<NodeSpec> barred = OpcUaSourceConfig.fromMap(with("nodes", "ns=2;s=A | load=ns=2;s=B|")).nodes();
        assertThat(barred).extracting(NodeSpec::text).containsExactly("ns=2;s=A", "ns=2;s=B");
        assertThat(barred).extracting(NodeSpec::series).containsExactly(null, "load");
        assertThat(OpcUaSourceConfig.seriesName("okuma", "Z1load")).isEqualTo("okuma/Z1load");
        assertThat(OpcUaSourceConfig.seriesName("okuma", "cell/feed")).isEqualTo("cell/feed");
    }

    @Test
    void unknownOrBadKeysAreRefusedByName() {
        assertThatThrownBy(() -> OpcUaSourceConfig.fromMap(with("sampling", "10")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown key 'sampling'")
                .hasMessageContaining("sampling_ms");
        assertThatThrownBy(() -> OpcUaSourceConfig.fromMap(with("sampling_ms", "fast")))
                .hasMessage("sampling_ms: 'fast' is not a number");
        assertThatThrownBy(() -> OpcUaSourceConfig.fromMap(with("sampling_ms", "-1")))
                .hasMessageStartingWith("sampling_ms: -1.0 must be");
        assertThatThrownBy(() -> OpcUaSourceConfig.fromMap(with("sampling_ms", "NaN"))).hasMessageStartingWith("sampling_ms:");
        assertThatThrownBy(() -> OpcUaSourceConfig.fromMap(with("publishing_ms", "0"))).hasMessageStartingWith("publishing_ms:");
        assertThatThrownBy(() -> OpcUaSourceConfig.fromMap(with("publishing_ms", "Infinity")))
                .hasMessageStartingWith("publishing_ms:");
        assertThatThrownBy(() -> OpcUaSourceConfig.fromMap(with("queue_size", "1.5")))
                .hasMessage("queue_size: '1.5' is not an integer");
        assertThatThrownBy(() -> OpcUaSourceConfig.fromMap(with("queue_size", "0"))).hasMessageStartingWith("queue_size:");
        assertThatThrownBy(() -> OpcUaSourceConfig.fromMap(with("device", "a/b"))).hasMessageStartingWith("device:");
        assertThatThrownBy(() -> OpcUaSourceConfig.fromMap(with("device", " "))).hasMessageStartingWith("device:");
        assertThatThrownBy(() -> OpcUaSourceConfig.fromMap(with("password", "pw")))
                .hasMessage("password: given without a username");
        assertThatThrownBy(() -> OpcUaSourceConfig.fromMap(with("username", "op")))
                .hasMessage("username: given without a password");
        assertThatThrownBy(() -> OpcUaSourceConfig.fromMap(with("device", null))).hasMessage("device: no value");
        assertThatThrownBy(() -> OpcUaSourceConfig.fromMap(with("security_policy", "Basic256")))
                .hasMessageStartingWith("security_policy: 'Basic256' is not one of");
        assertThatThrownBy(() -> OpcUaSourceConfig.fromMap(with("security_policy", "Basic256Sha256")))
                .hasMessageStartingWith("pki_dir: required with security_policy Basic256Sha256");
        assertThatThrownBy(() -> OpcUaSourceConfig.fromMap(with("security_mode", "Sign")))
                .hasMessage("security_mode: 'Sign' needs a security_policy other than None");
        Map<String, String> badMode = with("security_policy", "Basic256Sha256");
        badMode.put("pki_dir", "pki");
        badMode.put("security_mode", "Encrypt");
        assertThatThrownBy(() -> OpcUaSourceConfig.fromMap(badMode)).hasMessage("security_mode: 'Encrypt' is not Sign or SignAndEncrypt");
        assertThatThrownBy(() -> OpcUaSourceConfig.fromMap(with("pki_dir", " "))).hasMessage("pki_dir: empty");
    }

    @Test
    void endpointsAreChecked() {
        Map<String, String> noEndpoint = minimal();
        noEndpoint.remove("endpoint");
        assertThatThrownBy(() -> OpcUaSourceConfig.fromMap(noEndpoint)).hasMessageStartingWith("endpoint: required");
        assertThatThrownBy(() -> OpcUaSourceConfig.fromMap(with("endpoint", "http://plc:4840")))
                .hasMessageContaining("must start with opc.tcp://");
        assertThatThrownBy(() -> OpcUaSourceConfig.fromMap(with("endpoint", "opc.tcp://:4840/x")))
                .hasMessageStartingWith("endpoint:");
        assertThatThrownBy(() -> OpcUaSourceConfig.fromMap(with("endpoint", "opc.tcp://plc:99999")))
                .hasMessageStartingWith("endpoint:");
        assertThatThrownBy(() -> OpcUaSourceConfig.fromMap(with("endpoint", "opc.tcp://plc 1:4840")))
                .hasMessageStartingWith("endpoint: 'opc.tcp://plc 1:4840' is not a URL");
    }

    @Test
    void badNodeListsAreRefusedNamingTheEntry() {
        Map<String, String> noNodes = minimal();
        noNodes.remove("nodes");
        assertThatThrownBy(() -> OpcUaSourceConfig.fromMap(noNodes)).hasMessageStartingWith("nodes: required");
        assertThatThrownBy(() -> OpcUaSourceConfig.fromMap(with("nodes", " \n \n")))
                .hasMessage("nodes: no node configured");
        assertThatThrownBy(() -> OpcUaSourceConfig.fromMap(with("nodes", "ns=2;s=A\nns=two;s=B")))
                .hasMessageStartingWith("nodes: 'ns=two;s=B' is neither a node id");
        assertThatThrownBy(() -> OpcUaSourceConfig.fromMap(with("nodes", "SpindleLoad")))
                .hasMessageStartingWith("nodes: 'SpindleLoad' is neither a node id");
        assertThatThrownBy(() -> OpcUaSourceConfig.fromMap(with("nodes", "ns=2;s=A|ns=2;s=A")))
                .hasMessage("nodes: node 'ns=2;s=A' is listed twice");
        assertThatThrownBy(() -> OpcUaSourceConfig.fromMap(with("nodes", "x=ns=2;s=A|x=ns=2;s=B")))
                .hasMessage("nodes: series 'x' is given to two nodes");
        assertThatThrownBy(() -> OpcUaSourceConfig.fromMap(with("nodes", "svr=1;ns=2;s=A")))
                .hasMessageContaining("points to another server");
        assertThatThrownBy(() -> OpcUaSourceConfig.builder("opc.tcp://plc").node("ns=2;s=A", "load/").build())
                .hasMessageContaining("series name 'load/'");
    }
}
