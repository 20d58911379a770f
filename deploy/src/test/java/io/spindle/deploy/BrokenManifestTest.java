package io.spindle.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Broken variants of the edge downsampler: each problem found, with its exact path and message. */
class BrokenManifestTest {
    private static final String BASE = Fixtures.example("edge-downsampler.yaml");

    /** The problems of the example with one piece of text replaced (which must occur exactly once). */
    private static List<Problem> broken(String from, String to) {
        int at = BASE.indexOf(from);
        assertThat(at).as("'%s' in the example", from).isNotNegative();
        assertThat(BASE.indexOf(from, at + 1)).as("'%s' occurs once", from).isNegative();
        Validation v = Fixtures.validate(BASE.replace(from, to));
        assertThat(v.valid()).isFalse();
        return v.problems();
    }

    private static Problem p(String path, String message) {
        return new Problem(path, message);
    }

    @Test
    void danglingLinkTargetNamesTheComponents() {
        assertThat(broken("              name: lttb\n", "              name: lttb2\n")).containsExactly(
                p("spec.components[1].traits[1].properties.target", "no component named 'lttb2' (components: shdr, messaging, lttb, store)"));
    }

    @Test
    void unknownFieldsAnywhere() {
        assertThat(broken("        id: lttb\n", "        id: lttb\n        colour: red\n")).containsExactly(
                p("spec.components[2].properties.colour", "unknown field; known here: config, id, image"));
        assertThat(broken("kind: Application\n", "kind: Application\nstatus: {}\n")).containsExactly(
                p("status", "unknown field; known here: apiVersion, kind, metadata, spec"));
        assertThat(broken("                weight: 100\n", "                weight: 100\n                weigth: 3\n")).containsExactly(
                p("spec.components[2].traits[0].properties.spread[0].weigth", "unknown field; known here: name, requirements, weight"));
    }

    @Test
    void wadmSpellingsGetAHint() {
        String block = "            instances: 1\n            spread:\n              - name: edge\n                requirements:\n"
                + "                  zone: edge\n                weight: 100\n";
        assertThat(broken(block, block.replace("instances", "replicas")))
                .containsExactly(
                        p("spec.components[2].traits[0].properties.instances", "is required"),
                        p("spec.components[2].traits[0].properties.replicas", "unknown field (use instances); known here: instances, spread"));
        assertThat(broken("      type: component\n", "      type: actor\n")).containsExactly(
                p("spec.components[2].type", "unknown type 'actor' (one of: component, capability; wadm's actor is a component)"));
    }

    @Test
    void missingRequiredFields() {
        assertThat(broken("    version: v0.1.0\n", "")).containsExactly(p("metadata.annotations.version", "is required"));
        assertThat(broken("        image: spindle:store\n", "")).containsExactly(p("spec.components[3].properties.image", "is required"));
        assertThat(broken("            namespace: spindle\n", "")).containsExactly(
                p("spec.components[1].traits[1].properties.namespace", "is required"));
    }

    @Test
    void wrongTypes() {
        assertThat(broken("            instances: 1\n            spread:\n              - name: edge\n                requirements:\n                  zone: edge\n                weight: 100\n",
                "            instances: \"1\"\n            spread:\n              - name: edge\n                requirements:\n                  zone: edge\n                weight: 100\n"))
                .containsExactly(p("spec.components[2].traits[0].properties.instances", "expected an integer, found a string '1'"));
        assertThat(broken("              port: \"7878\"\n", "              port: 7878\n")).containsExactly(
                p("spec.components[0].properties.config[0].properties.port", "expected a string, found a number (quote it: '7878')"));
        assertThat(broken("            interfaces: [processor]\n", "            interfaces: processor\n")).containsExactly(
                p("spec.components[1].traits[1].properties.interfaces", "expected a list, found a string"));
        assertThat(broken("    version: v0.1.0\n", "    version: 1.0\n")).containsExactly(
                p("metadata.annotations.version", "expected a string, found a number (quote it: '1.0')"));
    }

    @Test
    void duplicateNamesAndIds() {
        assertThat(broken("    - name: store\n", "    - name: shdr\n")).containsExactly(
                p("spec.components[3].name", "duplicate component name 'shdr' (also spec.components[0])"));
        assertThat(broken("        image: spindle:store\n", "        image: spindle:store\n        id: lttb\n")).containsExactly(
                p("spec.components[3].properties.id", "duplicate lattice id 'lttb' (also spec.components[2])"));
    }

    @Test
    void unknownTraitTypesAndCapabilityImages() {
        assertThat(broken("        - type: spreadscaler\n          properties:\n            instances: 1\n            spread:\n              - name: edge\n                requirements:\n                  zone: edge\n                weight: 100\n",
                "        - type: autoscaler\n          properties:\n            instances: 1\n"))
                .containsExactly(p("spec.components[2].traits[0].type", "unknown trait type 'autoscaler' (one of: spreadscaler, daemonscaler, link)"));
        assertThat(broken("image: spindle:store\n", "image: spindle:redis\n")).containsExactly(
                p("spec.components[3].properties.image", "unknown capability image 'spindle:redis' (built in: spindle:messaging, "
                        + "spindle:keyvalue, spindle:store, spindle:source-shdr, spindle:source-mqtt, spindle:source-opcua, spindle:source-simulator)"));
    }

    @Test
    void invalidInstancesAndWeights() {
        assertThat(broken("            instances: 1\n            spread:\n              - name: edge\n                requirements:\n                  zone: edge\n                weight: 100\n",
                "            instances: -1\n            spread:\n              - name: edge\n                requirements:\n                  zone: edge\n                weight: -5\n"))
                .containsExactly(
                        p("spec.components[2].traits[0].properties.instances", "must be 0 to 100000, not -1"),
                        p("spec.components[2].traits[0].properties.spread[0].weight", "must be 0 to 1000000, not -5"));
        assertThat(broken("                weight: 100\n", "                weight: 0\n")).containsExactly(
                p("spec.components[2].traits[0].properties.spread", "every weight is 0: 1 instances cannot be placed"));
        assertThat(broken("                weight: 100\n", "                weight: 2.5\n")).containsExactly(
                p("spec.components[2].traits[0].properties.spread[0].weight", "expected an integer, found a number 2.5"));
    }

    @Test
    void linksToPackagesAndInterfacesThatAreNotLinkable() {
        assertThat(broken("            package: telemetry\n", "            package: http\n")).containsExactly(
                p("spec.components[1].traits[1].properties.package",
                        "interface package 'spindle:http' is not linkable (linkable: spindle:messaging, spindle:keyvalue, spindle:telemetry)"));
        assertThat(broken("interfaces: [processor]", "interfaces: [processor, flusher]")).containsExactly(
                p("spec.components[1].traits[1].properties.interfaces[1]", "interface 'flusher' is not in package spindle:telemetry (it has: processor)"));
        assertThat(broken("interfaces: [processor]", "interfaces: [log]")).containsExactly(
                p("spec.components[1].traits[1].properties.interfaces[0]",
                        "spindle:telemetry/log is given by the host to every component and is not linked"));
        assertThat(broken("interfaces: [processor]", "interfaces: [processor, processor]")).containsExactly(
                p("spec.components[1].traits[1].properties.interfaces[1]", "interface 'processor' is listed twice"));
    }

    @Test
    void linksWhoseEndsPlayTheWrongRoles() {
        // the processor feed aimed at the store capability
        assertThat(broken("              name: lttb\n", "              name: store\n")).containsExactly(
                p("spec.components[1].traits[1].properties.target",
                        "'store' is a capability (spindle:store); spindle:telemetry/processor is exported by components"));
        // lttb asks for the key-value store, which its world does not import, and links to the messaging provider
        String kv = "      traits:\n        - type: link\n          properties:\n            target: messaging\n"
                + "            namespace: spindle\n            package: keyvalue\n            interfaces: [store]\n";
        assertThat(broken("              bucket-nanos: \"100000000\"\n      traits:\n", "              bucket-nanos: \"100000000\"\n" + kv))
                .containsExactly(
                        p("spec.components[2].traits[0].properties", "component 'lttb' (../components/lttb/lttb.wasm, world "
                                + "spindle:telemetry/processor@0.1.0) does not import spindle:keyvalue/store (it imports: spindle:telemetry/config)"),
                        p("spec.components[2].traits[0].properties.target",
                                "'messaging' is spindle:messaging, which does not offer spindle:keyvalue/store (spindle:keyvalue does)"));
    }

    @Test
    void processorLinksNeedAComponentThatExportsIt() {
        assertThat(broken("        image: ../components/lttb/lttb.wasm\n", "        image: other.wasm\n")).containsExactly(
                p("spec.components[1].traits[1].properties.target", "component 'lttb' (other.wasm, world example:other/world@1.0.0) "
                        + "does not export spindle:telemetry/processor (it exports: nothing linkable)"));
        // a component cannot drive a processor link: only a provider feeds one
        String text = BASE.replace("        image: spindle:messaging\n", "        image: publisher.wasm\n")
                .replace("      type: capability\n      properties:\n        image: publisher.wasm\n", "      type: component\n      properties:\n        image: publisher.wasm\n");
        assertThat(Fixtures.validate(text).problems()).containsExactly(
                p("spec.components[1].type", "component 'messaging' is the source of a spindle:telemetry/processor link, "
                        + "which a provider drives (spindle:messaging): put the link on that capability"));
    }

    @Test
    void componentImagesThatCannotBeUsed() {
        assertThat(broken("        image: ../components/lttb/lttb.wasm\n", "        image: missing.wasm\n")).containsExactly(
                p("spec.components[2].properties.image", "no such file: missing.wasm"));
        assertThat(broken("        image: ../components/lttb/lttb.wasm\n", "        image: sha256-abc\n")).containsExactly(
                p("spec.components[2].properties.image", "digest 'sha256-abc' must be sha256- and 64 lowercase hex digits"));
        assertThat(broken("        image: ../components/lttb/lttb.wasm\n", "        image: spindle:keyvalue\n")).containsExactly(
                p("spec.components[2].properties.image", "'spindle:keyvalue' is a built-in provider: use type: capability"));
        // a digest is resolved by the lattice later: the table does not know it, and that is not a problem
        String digest = "sha256-" + "ab".repeat(32);
        assertThat(Manifests.validate(BASE.replace("../components/lttb/lttb.wasm", digest),
                image -> image.startsWith("sha256-") ? ComponentWorlds.Lookup.unchecked() : Fixtures.TABLE.lookup(image)).problems()).isEmpty();
    }

    @Test
    void aLookupThatBreaksIsAProblemNotACrash() {
        Validation v = Manifests.validate(BASE, image -> {
            throw new IllegalStateException("disk on fire");
        });
        assertThat(v.problems()).containsExactly(p("spec.components[2].properties.image",
                "cannot inspect: java.lang.IllegalStateException: disk on fire"));
    }

    @Test
    void aSecondScalerAndASecondLinkOfOnePackage() {
        String second = "        - type: daemonscaler\n          properties:\n            instances: 1\n";
        assertThat(broken("                weight: 100\n", "                weight: 100\n" + second)).containsExactly(
                p("spec.components[2].traits[1]", "a second scaler (daemonscaler): a component has one spreadscaler or "
                        + "daemonscaler (the first is spec.components[2].traits[0])"));
        String again = "        - type: link\n          properties:\n            target: lttb\n            namespace: spindle\n"
                + "            package: telemetry\n            interfaces: [processor]\n";
        assertThat(broken("                    durable: \"true\"\n", "                    durable: \"true\"\n" + again)).containsExactly(
                p("spec.components[1].traits[2]", "a second link of spindle:telemetry named 'default' (the first is "
                        + "spec.components[1].traits[1]): give one a distinct name"));
    }

    @Test
    void everyProblemIsReportedNotJustTheFirst() {
        String text = BASE.replace("apiVersion: core.oam.dev/v1beta1", "apiVersion: core.oam.dev/v1alpha1")
                .replace("              name: lttb\n", "              name: lttb2\n")
                .replace("image: spindle:store", "image: spindle:redis")
                .replace("  name: edge-downsampler\n", "  name: edge downsampler\n");
        assertThat(Fixtures.validate(text).problems()).extracting(Problem::path).containsExactly(
                "apiVersion", "metadata.name", "spec.components[3].properties.image", "spec.components[1].traits[1].properties.target");
    }

    @Test
    void malformedDocumentsAreOneProblemWithLineAndColumn() {
        List<Problem> yaml = Fixtures.validate("apiVersion: core.oam.dev/v1beta1\nkind: [Application\nmetadata: {}\n").problems();
        assertThat(yaml).hasSize(1);
        assertThat(yaml.get(0).path()).isEmpty();
        assertThat(yaml.get(0).message()).matches("malformed YAML at line \\d+, column \\d+: .+");
        List<Problem> json = Fixtures.validate("{\"apiVersion\": \"core.oam.dev/v1beta1\",\n \"kind\": }").problems();
        assertThat(json).hasSize(1);
        assertThat(json.get(0).message()).startsWith("malformed JSON at line 2, column 10: ");
        assertThat(Fixtures.validate("kind: Application\nkind: Application\n").problems()).singleElement()
                .satisfies(p -> assertThat(p.message()).startsWith("malformed YAML at line 2, column ").contains("Duplicate field 'kind'"));
        assertThat(Fixtures.validate("").problems()).containsExactly(p("", "the document is empty"));
        assertThat(Fixtures.validate("# nothing but a comment\n").problems()).containsExactly(p("", "the document is empty"));
        assertThat(Fixtures.validate(BASE + "---\nkind: Application\n").problems()).singleElement()
                .satisfies(p -> assertThat(p.message()).startsWith("YAML has more than one document (the second starts at line "));
        assertThat(Fixtures.validate("- a\n- b\n").problems()).containsExactly(p("", "expected an object, found a list"));
        assertThat(Fixtures.validate("[".repeat(5000)).problems()).singleElement()
                .satisfies(p -> assertThat(p.message()).startsWith("malformed YAML"));
        assertThat(Fixtures.validate("{" + "\"a\":{".repeat(5000)).problems()).singleElement()
                .satisfies(p -> assertThat(p.message()).startsWith("malformed JSON"));
    }

    @Test
    void aliasesAreRefusedWithTheirLine() {
        StringBuilder sb = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 12; i++) sb.append("a").append(i).append(": &a").append(i).append(" [")
                .append(("*a" + (i - 1) + ", ").repeat(10)).append("*a").append(i - 1).append("]\n");
        assertThat(Fixtures.validate(sb.toString()).problems()).singleElement()
                .satisfies(p -> assertThat(p.message()).matches("malformed YAML at line 2, column \\d+: alias \\*a0 is not supported: write the value out"));
        // an alias would otherwise be read as its anchor's name: refused, not misread
        assertThat(Fixtures.validate(BASE.replace("                requirements:\n                  zone: edge\n                weight: 100\n",
                "                requirements: *edge\n                weight: 100\n")).problems()).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("alias *edge is not supported"));
    }
}
