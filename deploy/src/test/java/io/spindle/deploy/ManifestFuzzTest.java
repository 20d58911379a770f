package io.spindle.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.spindle.testkit.Fuzz;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Manifests are outside input (the model API takes them from anyone on the lattice): mutated YAML and JSON
 * manifests are validated into problems, never an exception, never a hang; a valid one has a model.
 */
class ManifestFuzzTest {
    @Test
    void mutatedManifestsAreValidatedNeverThrown() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        for (String f : List.of("edge-downsampler.yaml", "edge-cloud-split.yaml")) seeds.add(Fixtures.example(f).getBytes(StandardCharsets.UTF_8));
        seeds.addAll(Fuzz.utf8("""
                {"apiVersion": "core.oam.dev/v1beta1", "kind": "Application",
                 "metadata": {"name": "a", "annotations": {"version": "v1"}},
                 "spec": {"components": [{"name": "m", "type": "capability", "properties": {"image": "spindle:messaging"},
                   "traits": [{"type": "link", "properties": {"target": "c", "namespace": "spindle", "package": "telemetry",
                   "interfaces": ["processor"]}}]},
                   {"name": "c", "type": "component", "properties": {"image": "sha256-%s"},
                   "traits": [{"type": "spreadscaler", "properties": {"instances": 2, "spread": [{"name": "e", "requirements": {"zone": "edge"}, "weight": 3}]}}]}]}}
                """.formatted("a".repeat(64)), "a: &x [1, 2]\nb: *x\n", "---\n---\n", "{\"a\": {\"a\": {\"a\": [[[[[[1]]]]]]}}}"));
        int[] valid = {0};
        Fuzz.Report r = Fuzz.run("manifest", seeds, e -> false, in -> {
            Validation v = Manifests.validate(new String(in, StandardCharsets.UTF_8), ComponentWorlds.UNCHECKED);
            if (v.valid()) {
                valid[0]++;
                assertThat(v.application().components()).isNotEmpty();
            } else assertThat(v.problems()).isNotEmpty();
        });
        assertThat(r.inputs()).isGreaterThanOrEqualTo(Fuzz.DEFAULT_INPUTS);
        assertThat(valid[0]).as("the seeds are valid").isPositive();
    }
}
