package io.spindle.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.spindle.lattice.Link;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExamplesTest {

    @Test
    void edgeDownsamplerIsValidAndReadsIntoTheModel() {
        Validation v = Fixtures.validate(Fixtures.example("edge-downsampler.yaml"));
        assertThat(v.problems()).isEmpty();
        assertThat(v.valid()).isTrue();
        Application app = v.application();
        assertThat(app.name()).isEqualTo("edge-downsampler");
        assertThat(app.version()).isEqualTo("v0.1.0");
        assertThat(app.description()).startsWith("SHDR source");
        assertThat(app.components()).extracting(AppComponent::name).containsExactly("shdr", "messaging", "lttb", "store");
        assertThat(app.linkCount()).isEqualTo(1);

        AppComponent lttb = app.component("lttb").orElseThrow();
        assertThat(lttb.type()).isEqualTo(AppComponent.Type.COMPONENT);
        assertThat(lttb.image()).isEqualTo(Fixtures.LTTB);
        assertThat(lttb.latticeId(app.name())).isEqualTo("lttb");
        assertThat(lttb.config()).containsExactly(new ConfigSpec("lttb-settings", Map.of("bucket-nanos", "100000000")));
        Scaler s = lttb.scaler().orElseThrow();
        assertThat(s.kind()).isEqualTo(Scaler.Kind.SPREAD);
        assertThat(s.instances()).isEqualTo(1);
        assertThat(s.spreads()).containsExactly(new Spread("edge", Map.of("zone", "edge"), 100));
        assertThat(s.spreads().get(0).matches(Map.of("zone", "edge", "rack", "3"))).isTrue();
        assertThat(s.spreads().get(0).matches(Map.of("zone", "cloud"))).isFalse();

        AppComponent messaging = app.component("messaging").orElseThrow();
        assertThat(messaging.scaler().orElseThrow().kind()).isEqualTo(Scaler.Kind.DAEMON);
        assertThat(messaging.latticeId(app.name())).isEqualTo("edge-downsampler-messaging");
        LinkSpec feed = messaging.links().get(0);
        assertThat(feed.path()).isEqualTo("spec.components[1].traits[1]");
        assertThat(feed.qualifiedInterfaces()).containsExactly("spindle:telemetry/processor");
        assertThat(feed.sourceConfig()).extracting(ConfigSpec::name).containsExactly("lttb-feed");
        Link link = feed.toLink(messaging.latticeId(app.name()), lttb.latticeId(app.name()));
        assertThat(link).isEqualTo(new Link("edge-downsampler-messaging", "lttb", "default", "spindle", "telemetry",
                List.of("processor"), List.of("lttb-feed"), List.of()));
    }

    @Test
    void edgeCloudSplitIsValidWithTheStoreInTheCloud() {
        Validation v = Fixtures.validate(Fixtures.example("edge-cloud-split.yaml"));
        assertThat(v.problems()).isEmpty();
        Application app = v.application();
        assertThat(app.labels()).isEqualTo(Map.of("site", "plant-1"));
        assertThat(app.component("store").orElseThrow().scaler().orElseThrow().spreads().get(0).requirements())
                .isEqualTo(Map.of("zone", "cloud"));
        assertThat(app.component("lttb").orElseThrow().scaler().orElseThrow().spreads())
                .extracting(Spread::name, Spread::weight).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("edge", 100), org.assertj.core.groups.Tuple.tuple("cloud", 0));
        assertThat(app.components()).filteredOn(c -> c.type() == AppComponent.Type.CAPABILITY)
                .extracting(AppComponent::image).containsExactly("spindle:source-shdr", "spindle:source-opcua",
                        "spindle:messaging", "spindle:store");
    }

    @Test
    void theSameApplicationInJsonIsValidAndEqual() {
        String json = """
                {"apiVersion": "core.oam.dev/v1beta1", "kind": "Application",
                 "metadata": {"name": "edge-downsampler", "annotations": {"version": "v0.1.0"}},
                 "spec": {"components": [
                   {"name": "messaging", "type": "capability", "properties": {"image": "spindle:messaging"},
                    "traits": [{"type": "link", "properties": {"target": "lttb", "namespace": "spindle",
                                "package": "telemetry", "interfaces": ["processor"]}}]},
                   {"name": "lttb", "type": "component", "properties": {"image": "../components/lttb/lttb.wasm"},
                    "traits": [{"type": "spreadscaler", "properties": {"instances": 1,
                                "spread": [{"name": "edge", "requirements": {"zone": "edge"}}]}}]}]}}
                """;
        Validation v = Fixtures.validate(json);
        assertThat(v.problems()).isEmpty();
        assertThat(v.application().component("lttb").orElseThrow().scaler().orElseThrow().spreads().get(0).weight())
                .isEqualTo(Spread.DEFAULT_WEIGHT);
        assertThat(v.application().linkCount()).isEqualTo(1);
    }

    @Test
    void examplesAreValidWithoutWorldLookupsToo() {
        assertThat(Manifests.validate(Fixtures.example("edge-downsampler.yaml"), ComponentWorlds.UNCHECKED).valid()).isTrue();
        assertThat(Manifests.validate(Fixtures.example("edge-cloud-split.yaml"), ComponentWorlds.UNCHECKED).valid()).isTrue();
    }
}
