package io.spindle.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.lattice.Json;
import io.spindle.lattice.Subjects;
import io.spindle.lattice.transport.InProcessTransport;
import io.spindle.lattice.transport.Msg;
import io.spindle.testkit.Fuzz;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Control requests are outside input (anyone on the lattice can send them): mutated bodies of every operation but
 * host.stop get a reply envelope, success or a refusal, within the timeout; the host keeps running and answering.
 */
class ControlFuzzTest {
    @Test
    void mutatedControlRequestsAlwaysGetAnEnvelopeAndTheHostSurvives() throws Exception {
        try (InProcessTransport t = new InProcessTransport(); TestLattice lat = new TestLattice(t, "fz")) {
            Host h = lat.host("fuzz", Map.of("zone", "edge"));
            Subjects s = new Subjects("fz");
            String id = h.id();
            String[] subjects = {s.ctl("link.put"), s.ctl("link.del"), s.ctl("link.get"), s.ctl("config.put", "cfg"), s.ctl("config.get", "cfg"),
                    s.ctl("config.del", "cfg"), s.ctl("host.label", id), s.ctl("host.inventory", id), s.ctl("component.start", id),
                    s.ctl("component.scale", id), s.ctl("component.stop", id), s.ctl("provider.stop", id), s.ctl("host.get"),
                    s.ctl("component.nonsense", id)};
            List<byte[]> seeds = Fuzz.utf8(
                    "{\"source_id\":\"a\",\"target\":\"b\",\"name\":\"default\",\"wit_namespace\":\"spindle\",\"wit_package\":\"telemetry\","
                            + "\"interfaces\":[\"processor\"],\"source_config\":[\"c\"],\"target_config\":[]}",
                    "{\"source_id\":\"a\",\"name\":\"default\",\"wit_namespace\":\"spindle\",\"wit_package\":\"messaging\"}",
                    "{\"bucket-nanos\":\"1000000\",\"subscribe\":\"spindle.data.fz.raw.>\"}",
                    "{\"key\":\"zone\",\"value\":\"cloud\"}",
                    "{\"component_ref\":\"/no/such.wasm\",\"component_id\":\"x\",\"host_id\":\"" + id + "\",\"count\":1,\"annotations\":{\"a\":\"b\"},\"config\":[\"cfg\"]}",
                    "{\"component_ref\":\"sha256-" + "0".repeat(64) + "\",\"component_id\":\"y\",\"count\":0}",
                    "{\"provider_id\":\"p\",\"host_id\":\"" + id + "\"}", "", "[]", "null");
            int[] i = {0};
            Fuzz.Report r = Fuzz.run("control", seeds, e -> false, in -> {
                String subject = subjects[i[0]++ % subjects.length];
                Msg reply = t.request(subject, in, Duration.ofSeconds(5)).get();
                JsonNode env = Json.tree(reply.data(), "reply on " + subject);
                assertThat(env.path("success").isBoolean()).as(subject + ": " + env).isTrue();
                if (!env.get("success").asBoolean()) assertThat(env.path("message").asText()).isNotBlank();
            }, 3_000);
            assertThat(r.inputs()).isGreaterThanOrEqualTo(3_000);
            assertThat(lat.client.getHosts()).extracting(io.spindle.lattice.HostInfo::id).contains(id);
        }
    }
}
