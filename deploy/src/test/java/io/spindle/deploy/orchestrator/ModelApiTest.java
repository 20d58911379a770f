package io.spindle.deploy.orchestrator;

import static io.spindle.deploy.orchestrator.DeployFixture.component;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spindle.lattice.CtlException;
import io.spindle.lattice.CtlResponse;
import io.spindle.lattice.Json;
import io.spindle.lattice.transport.InProcessTransport;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The model API's contract: versions, refusals with reasons, nothing changed by a refused request. */
class ModelApiTest {
    static final String LTTB = component("components/lttb/lttb.wasm");

    @Test
    void versionsAreKeptAndImmutableAndRefusalsSayWhy() {
        try (InProcessTransport t = new InProcessTransport(); DeployFixture f = new DeployFixture(t, "api")) {
            assertThatThrownBy(() -> new ModelClient(t, "api", java.time.Duration.ofMillis(200)).list())
                    .isInstanceOf(CtlException.class).hasMessageContaining("no answer from an orchestrator in lattice api");
            ModelService svc = new ModelService(t, "api").start();
            ModelClient m = f.models;
            assertThat(m.list()).isEmpty();
            String v1 = Manifest.downsampler("api", "v1", LTTB, "edge", 1);
            assertThat(m.put(v1, Map.of()).created()).isTrue();
            assertThat(m.put(v1, Map.of()).created()).as("same version, same text: idempotent").isFalse();
            assertThat(refused(() -> m.put(v1.replace("LTTB where", "LTTB, changed, where"), Map.of())))
                    .contains("already has a version v1 with another manifest");
            m.put(Manifest.downsampler("api", "v2", LTTB, "cloud", 1), Map.of());
            assertThat(m.versions("downsampler")).extracting(ModelRecords.VersionRow::version).containsExactly("v1", "v2");
            assertThat(m.get("downsampler", null).version()).isEqualTo("v2");
            assertThat(m.get("downsampler", "v1").manifest()).isEqualTo(v1);
            assertThat(m.status("downsampler").status()).isEqualTo(AppStatus.UNDEPLOYED);

            // every problem of a bad manifest, with its path
            String bad = v1.replace("target: lttb", "target: ltb").replace("version: v1", "version: v9").replace("type: daemonscaler", "type: daemonscalar");
            assertThat(refused(() -> m.put(bad, Map.of()))).contains("2 problems").contains("spec.components[0].traits[0].type")
                    .contains("spec.components[0].traits[1].properties.target");
            assertThat(refused(() -> m.put(v1.replace("version: v1", "version: v5"), Map.of("lttb", "sha256-" + "0".repeat(64)))))
                    .contains("is not in SPINDLE_COMPONENTS_api");
            assertThat(refused(() -> m.put(v1.replace("version: v1", "version: v5"), Map.of("messaging", "sha256-" + "0".repeat(64)))))
                    .contains("not a component");
            String other = Manifest.downsampler("api", "v1", LTTB, "edge", 1).replace("name: downsampler", "name: other-app");
            assertThat(refused(() -> m.put(other, Map.of()))).contains("config lttb-feed, lttb-settings is declared by application downsampler")
                    .contains("rename it");
            assertThat(m.put(other.replace("name: lttb-feed", "name: other-feed").replace("name: lttb-settings", "name: other-settings")
                    .replace("id: lttb", "id: other-lttb"), Map.of()).created()).isTrue();
            m.delete("other-app", null);
            assertThat(refused(() -> m.deploy("nope", null))).contains("no application named 'nope'").contains("stored: downsampler");
            assertThat(refused(() -> m.deploy("downsampler", "v7"))).contains("has no version v7 (versions: v1, v2)");
            assertThat(refused(() -> m.rollback("downsampler"))).contains("no previous deployed version");

            assertThat(m.deploy("downsampler", "v1").unchanged()).isFalse();
            assertThat(m.deploy("downsampler", "v1").unchanged()).as("deploying what is deployed changes nothing").isTrue();
            assertThat(m.history("downsampler")).hasSize(1);
            assertThat(refused(() -> m.delete("downsampler", null))).contains("is deployed (version v1); undeploy it first");
            assertThat(refused(() -> m.delete("downsampler", "v1"))).contains("version v1 of downsampler is deployed");
            m.deploy("downsampler", "v2");
            m.delete("downsampler", "v1");
            assertThat(m.versions("downsampler")).extracting(ModelRecords.VersionRow::version).containsExactly("v2");
            m.undeploy("downsampler");
            m.delete("downsampler", null);
            assertThat(m.list()).isEmpty();

            // malformed requests on the wire
            assertThat(raw(svc, "deploy", "")).contains("request body is empty");
            assertThat(raw(svc, "deploy", "[1]")).contains("model.deploy request is not valid");
            assertThat(raw(svc, "deploy", "{\"name\":\"a\",\"colour\":1}")).contains("colour");
            assertThat(raw(svc, "status", "{\"name\":\"a.b\"}")).contains("must be 1-64 of [A-Za-z0-9_-]");
            assertThat(raw(svc, "get", "{}")).contains("name is missing");
            assertThat(raw(svc, "put", "{\"manifest\":\"\"}")).contains("manifest is missing");
            assertThat(raw(svc, "frobnicate", "{}")).contains("unknown operation");
            svc.close();
        }
    }

    private static String raw(ModelService svc, String op, String body) {
        CtlResponse<?> r = svc.handle(op, body.getBytes(StandardCharsets.UTF_8));
        assertThat(r.success()).as(op + " " + body).isFalse();
        return r.message();
    }

    private static String refused(Runnable call) {
        try {
            call.run();
        } catch (CtlException e) {
            return e.getMessage();
        }
        throw new AssertionError("not refused");
    }
}
