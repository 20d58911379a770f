package io.spindle.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.spindle.deploy.ComponentWorlds;
import io.spindle.deploy.Manifests;
import io.spindle.deploy.Validation;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** An example manifest read as the Application resource and written back is the same document, and valid. */
class ManifestTextTest {
    static final Path ROOT = Path.of(System.getProperty("spindle.root", "..")).toAbsolutePath().normalize();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void examplesRoundTripThroughTheResource() throws Exception {
        for (String ex : new String[] {"examples/edge-downsampler.yaml", "examples/edge-cloud-split.yaml"}) {
            String text = Files.readString(ROOT.resolve(ex));
            OamApplication app = Serialization.unmarshal(text, OamApplication.class);
            app.getMetadata().getAnnotations().put("kubectl.kubernetes.io/last-applied-configuration", "{\"big\": true}");
            app.getMetadata().getAnnotations().put(OamApplication.HOST_GROUP_ANNOTATION, "edge");
            String back = ManifestText.of(app);
            JsonNode original = YAML.readTree(text), written = YAML.readTree(back);
            assertThat(written).as(ex).isEqualTo(original);
            Validation v = Manifests.validate(back, ComponentWorlds.UNCHECKED);
            assertThat(v.problems()).as(ex).isEmpty();
        }
    }

    @Test
    void unknownFieldsSurviveSoTheValidatorReportsThem() {
        OamApplication app = Serialization.unmarshal("""
                apiVersion: core.oam.dev/v1beta1
                kind: Application
                metadata: {name: a, annotations: {version: v1}}
                spec:
                  components:
                    - name: kv
                      type: capability
                      replicas: 2
                      properties: {image: spindle:keyvalue}
                """, OamApplication.class);
        Validation v = Manifests.validate(ManifestText.of(app), ComponentWorlds.UNCHECKED);
        assertThat(v.valid()).isFalse();
        assertThat(v.problems().toString()).contains("spec.components[0].replicas");
    }
}
