package io.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spindle app validate} on real manifest files, with component worlds read from the real lttb.wasm. */
class AppCommandTest {
    @TempDir
    Path dir;

    private static Path example(String name) {
        return Cli.root().resolve("examples").resolve(name);
    }

    /** The edge downsampler example with text replaced (each must occur), written to dir/name with lttb by absolute path. */
    private Path variant(String name, String... fromTo) throws IOException {
        String text = Files.readString(example("edge-downsampler.yaml")).replace("../components/lttb/lttb.wasm",
                Cli.root().resolve("components/lttb/lttb.wasm").toString());
        for (int i = 0; i < fromTo.length; i += 2) {
            assertThat(text).contains(fromTo[i]);
            text = text.replace(fromTo[i], fromTo[i + 1]);
        }
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    @Test
    void theExamplesAreValid() {
        Path edge = example("edge-downsampler.yaml");
        Cli.Result r = Cli.run("app", "validate", edge.toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo(edge + ": valid (application edge-downsampler version v0.1.0: 4 components, 1 link)\n");

        Path split = example("edge-cloud-split.yaml");
        Cli.Result s = Cli.run("app", "validate", split.toString());
        assertThat(s.exit()).isZero();
        assertThat(s.out()).isEqualTo(split + ": valid (application edge-cloud-split version v0.1.0: 5 components, 1 link)\n");
    }

    @Test
    void jsonOfAValidManifest() {
        Path edge = example("edge-downsampler.yaml");
        Cli.Result r = Cli.run("app", "validate", edge.toString(), "--json");
        assertThat(r.exit()).isZero();
        Map<String, Object> o = JsonParse.object(r.out());
        assertThat(o).containsEntry("file", edge.toString()).containsEntry("valid", true)
                .containsEntry("application", "edge-downsampler").containsEntry("version", "v0.1.0")
                .containsEntry("problems", List.of());
    }

    @Test
    void everyProblemOnItsOwnLineWithItsPath() throws IOException {
        Path f = variant("bad.yaml", "              name: lttb\n", "              name: lttb2\n",
                "interfaces: [processor]", "interfaces: [processor, log]", "image: spindle:store", "image: spindle:redis");
        Cli.Result r = Cli.run("app", "validate", f.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out().lines().toList()).containsExactly(
                f + ": spec.components[3].properties.image: unknown capability image 'spindle:redis' (built in: spindle:messaging, "
                        + "spindle:keyvalue, spindle:store, spindle:source-shdr, spindle:source-mqtt, spindle:source-opcua, spindle:source-simulator)",
                f + ": spec.components[1].traits[1].properties.target: no component named 'lttb2' (components: shdr, messaging, lttb, store)",
                f + ": spec.components[1].traits[1].properties.interfaces[1]: spindle:telemetry/log is given by the host to every component and is not linked");

        Cli.Result j = Cli.run("app", "validate", f.toString(), "--json");
        assertThat(j.exit()).isEqualTo(1);
        Map<String, Object> o = JsonParse.object(j.out());
        assertThat(o).containsEntry("valid", false).containsEntry("application", "edge-downsampler");
        assertThat((List<?>) o.get("problems")).hasSize(3).first()
                .isEqualTo(Map.of("path", "spec.components[3].properties.image", "message", "unknown capability image 'spindle:redis' "
                        + "(built in: spindle:messaging, spindle:keyvalue, spindle:store, spindle:source-shdr, spindle:source-mqtt, "
                        + "spindle:source-opcua, spindle:source-simulator)"));
    }

    @Test
    void linksAreCheckedAgainstTheRealComponentsWorld() throws IOException {
        // lttb.wasm imports spindle:telemetry/config only: a key-value link would grant what it never calls
        String kv = "      traits:\n        - type: link\n          properties:\n            target: kv\n"
                + "            namespace: spindle\n            package: keyvalue\n            interfaces: [store]\n";
        String kvProvider = "    - name: kv\n      type: capability\n      properties:\n        image: spindle:keyvalue\n";
        Path f = variant("kv.yaml", "              bucket-nanos: \"100000000\"\n      traits:\n", "              bucket-nanos: \"100000000\"\n" + kv,
                "  components:\n", "  components:\n" + kvProvider);
        Cli.Result r = Cli.run("app", "validate", f.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEqualTo(f + ": spec.components[3].traits[0].properties: component 'lttb' ("
                + Cli.root().resolve("components/lttb/lttb.wasm") + ", world spindle:telemetry/processor@0.1.0) does not import "
                + "spindle:keyvalue/store (it imports: spindle:telemetry/config)\n");
    }

    @Test
    void componentImagesAreResolvedAgainstTheManifestAndLoaded() throws IOException {
        Files.writeString(dir.resolve("not-wasm.wasm"), "hello");
        Path f = variant("img.yaml", Cli.root().resolve("components/lttb/lttb.wasm").toString(), "not-wasm.wasm");
        Cli.Result r = Cli.run("app", "validate", f.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).startsWith(f + ": spec.components[2].properties.image: " + dir.resolve("not-wasm.wasm")
                + ": component 'not-wasm' load: ").hasLineCount(1);

        Path missing = variant("missing.yaml", Cli.root().resolve("components/lttb/lttb.wasm").toString(), "gone/lttb.wasm");
        assertThat(Cli.run("app", "validate", missing.toString()).out()).isEqualTo(missing
                + ": spec.components[2].properties.image: no such file: " + dir.resolve("gone/lttb.wasm") + "\n");

        // a digest names a module in the lattice's store: not resolvable here, and not a problem
        Path digest = variant("digest.yaml", Cli.root().resolve("components/lttb/lttb.wasm").toString(), "sha256-" + "0f".repeat(32));
        assertThat(Cli.run("app", "validate", digest.toString()).exit()).isZero();
    }

    @Test
    void malformedManifestsAreOneProblemWithLineAndColumn() throws IOException {
        Path f = dir.resolve("broken.yaml");
        Files.writeString(f, "apiVersion: core.oam.dev/v1beta1\nkind: [Application\nmetadata: {}\n");
        Cli.Result r = Cli.run("app", "validate", f.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).matches("\\Q" + f + "\\E: malformed YAML at line \\d+, column \\d+: .+\n");

        Path j = dir.resolve("broken.json");
        Files.writeString(j, "{\"apiVersion\": \"core.oam.dev/v1beta1\",\n \"kind\": }");
        Cli.Result rj = Cli.run("app", "validate", j.toString(), "--json");
        assertThat(rj.exit()).isEqualTo(1);
        Map<String, Object> o = JsonParse.object(rj.out());
        assertThat(o).containsEntry("valid", false).containsEntry("application", null);
        assertThat(((Map<?, ?>) ((List<?>) o.get("problems")).get(0)).get("message").toString()).startsWith("malformed JSON at line 2, column 10: ");
    }

    @Test
    void unreadableFilesFailWithTheReason() throws IOException {
        Cli.Result none = Cli.run("app", "validate", dir.resolve("nope.yaml").toString());
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).isEqualTo("spindle: " + dir.resolve("nope.yaml") + ": no such file\n");

        Path binary = dir.resolve("binary.yaml");
        Files.write(binary, new byte[]{(byte) 0xff, (byte) 0xfe, 0, 1});
        Cli.Result b = Cli.run("app", "validate", binary.toString());
        assertThat(b.exit()).isEqualTo(1);
        assertThat(b.err()).isEqualTo("spindle: " + binary + ": is not UTF-8 text\n");

        Cli.Result d = Cli.run("app", "validate", dir.toString(), "--json");
        assertThat(d.exit()).isEqualTo(1);
        assertThat(JsonParse.object(d.out())).containsEntry("valid", false);
    }

    @Test
    void usageErrorsExit2() {
        assertThat(Cli.run("app").exit()).isEqualTo(2);
        assertThat(Cli.run("app", "validate").exit()).isEqualTo(2);
        assertThat(Cli.run("app", "validate", "a.yaml", "b.yaml").exit()).isEqualTo(2);
        assertThat(Cli.run("app", "valdate", "a.yaml").exit()).isEqualTo(2);
        Cli.Result help = Cli.run("app", "validate", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("FILE", "--json");
    }
}
