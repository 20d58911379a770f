package io.spindle.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.lattice.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The rules engine on requests of every kind, and the rules file's validation with its exact messages. */
class PolicyRulesTest {
    static final String RULES = """
            default: deny
            rules:
              - name: no-untrusted
                effect: deny
                message: untrusted components may not run here
                match: {kind: start_component, component: "untrusted-*"}
              - name: ops-signed
                effect: allow
                match: {kind: start_component, issuer: [AOPS1, AOPS2]}
              - name: lttb-on-edge
                effect: allow
                match:
                  kind: start_component
                  image: "sha256-*"
                  host_labels: {zone: [edge, "lab-*"]}
              - effect: allow
                match: {kind: start_provider, provider: "spindle:messaging"}
              - effect: deny
                message: no key-value store access
                match: {kind: apply_link, link: {namespace: spindle, package: keyvalue}}
              - effect: allow
                match: {kind: apply_link, link: {interfaces: [processor, "pub*"]}}
            """;

    static JsonNode req(String kind, String request, String labels) {
        return Json.tree(("{\"request_id\":\"r1\",\"kind\":\"" + kind + "\",\"version\":\"v1\",\"request\":" + request
                + ",\"host\":{\"public_key\":\"NABC\",\"lattice\":\"default\",\"labels\":" + labels + "}}").getBytes(StandardCharsets.UTF_8), "test");
    }

    static PolicyRules.Decision decide(PolicyRules r, String kind, String request, String labels) {
        return r.evaluate(req(kind, request, labels));
    }

    @Test
    void firstMatchingRuleDecides() {
        PolicyRules r = RulesFile.parse(RULES, "rules.yaml");
        assertThat(r.size()).isEqualTo(6);
        String edge = "{\"zone\":\"edge\"}", cloud = "{\"zone\":\"cloud\"}";
        // rule 0 before rule 2, even on an edge host and with a digest
        assertThat(decide(r, "start_component", "{\"component_id\":\"untrusted-1\",\"digest\":\"sha256-aa\",\"claims\":null}", edge))
                .isEqualTo(new PolicyRules.Decision(false, "untrusted components may not run here"));
        assertThat(decide(r, "start_component", "{\"component_id\":\"lttb\",\"image_ref\":\"sha256-aa\",\"claims\":null}", edge))
                .isEqualTo(new PolicyRules.Decision(true, "allowed by rule 2 (lttb-on-edge)"));
        assertThat(decide(r, "start_component", "{\"component_id\":\"lttb\",\"image_ref\":\"sha256-aa\",\"claims\":null}", "{\"zone\":\"lab-3\"}").permitted())
                .isTrue();
        assertThat(decide(r, "start_component", "{\"component_id\":\"lttb\",\"image_ref\":\"sha256-aa\",\"claims\":null}", cloud))
                .isEqualTo(new PolicyRules.Decision(false, "no rule matched start_component; the default is deny"));
        assertThat(decide(r, "start_component", "{\"component_id\":\"lttb\",\"image_ref\":\"sha256-aa\",\"claims\":null}", "{}").permitted()).isFalse();
        // claims: the issuer, or nothing when unsigned
        assertThat(decide(r, "start_component", "{\"component_id\":\"x\",\"image_ref\":\"/f.wasm\",\"claims\":{\"issuer\":\"AOPS2\"}}", cloud))
                .isEqualTo(new PolicyRules.Decision(true, "allowed by rule 1 (ops-signed)"));
        assertThat(decide(r, "start_component", "{\"component_id\":\"x\",\"image_ref\":\"/f.wasm\",\"claims\":{\"issuer\":\"AEVIL\"}}", cloud).permitted())
                .isFalse();
        assertThat(decide(r, "start_provider", "{\"provider_id\":\"m\",\"provider_ref\":\"spindle:messaging\"}", cloud))
                .isEqualTo(new PolicyRules.Decision(true, "allowed by rule 3"));
        assertThat(decide(r, "start_provider", "{\"provider_id\":\"kv\",\"provider_ref\":\"spindle:keyvalue\"}", cloud).permitted()).isFalse();
        String kvLink = "{\"source_id\":\"c\",\"target\":\"kv\",\"wit_namespace\":\"spindle\",\"wit_package\":\"keyvalue\",\"interfaces\":[\"store\"]}";
        assertThat(decide(r, "apply_link", kvLink, edge)).isEqualTo(new PolicyRules.Decision(false, "no key-value store access"));
        String feed = "{\"source_id\":\"m\",\"target\":\"c\",\"wit_namespace\":\"spindle\",\"wit_package\":\"telemetry\",\"interfaces\":[\"processor\"]}";
        assertThat(decide(r, "apply_link", feed, edge).permitted()).isTrue();
        String pub = "{\"source_id\":\"c\",\"target\":\"m\",\"wit_namespace\":\"spindle\",\"wit_package\":\"messaging\",\"interfaces\":[\"publisher\"]}";
        assertThat(decide(r, "apply_link", pub, edge).permitted()).isTrue();
        // a condition that does not apply to the kind never matches: the component rule is not about providers
        PolicyRules byComponent = RulesFile.parse("default: allow\nrules:\n  - {effect: deny, match: {component: m}}\n", "r");
        assertThat(byComponent.evaluate(req("start_provider", "{\"provider_id\":\"m\",\"provider_ref\":\"spindle:messaging\"}", "{}")).permitted()).isTrue();
        assertThat(byComponent.evaluate(req("apply_link", pub, "{}")).permitted()).isFalse(); // m is the link's target
        assertThat(RulesFile.parse("default: allow\nrules: []\n", "r").evaluate(req("apply_link", pub, "{}")).permitted()).isTrue();
    }

    @Test
    void malformedRequestsAreDeniedWithTheReason() {
        PolicyRules allowAll = RulesFile.parse("default: allow\nrules: []\n", "r");
        assertThat(allowAll.evaluate(null)).isEqualTo(new PolicyRules.Decision(false, "malformed policy request: expected a JSON object"));
        assertThat(allowAll.evaluate(Json.tree("{\"request_id\":\"1\",\"kind\":\"start\",\"version\":\"v1\",\"request\":{},\"host\":{}}".getBytes(), "t"))
                .message()).isEqualTo("malformed policy request: kind must be one of apply_link, start_component, start_provider, got \"start\"");
        assertThat(allowAll.evaluate(Json.tree("{\"request_id\":\"1\",\"kind\":\"apply_link\",\"version\":\"v2\",\"request\":{},\"host\":{}}".getBytes(), "t"))
                .message()).isEqualTo("malformed policy request: version must be \"v1\", got \"v2\"");
        assertThat(allowAll.evaluate(Json.tree("{\"kind\":\"apply_link\"}".getBytes(), "t")).message())
                .isEqualTo("malformed policy request: request_id must be a non-empty string");
        assertThat(allowAll.evaluate(Json.tree("{\"request_id\":\"1\",\"kind\":\"apply_link\",\"version\":\"v1\",\"request\":[],\"host\":{}}".getBytes(), "t"))
                .message()).isEqualTo("malformed policy request: request must be an object");
    }

    @Test
    void rulesFileProblemsNameThePathAndTheReason() {
        assertThatThrownBy(() -> RulesFile.parse("""
                default: maybe
                colour: red
                rules:
                  - effect: permit
                    match: {kind: [start, start_provider], host_labels: {zone: []}}
                  - match: {image: "sha256-*", kind: start_provider}
                  - effect: allow
                    name: 7
                    match: {link: {namespace: spindle, iface: x}, component: ""}
                  - just-a-string
                """, "rules.yaml")).isInstanceOf(RulesException.class).satisfies(e -> assertThat(((RulesException) e).problems()).containsExactly(
                "colour: unknown field (known: default, rules)",
                "default: must be allow or deny, got 'maybe'",
                "rules[0].effect: must be allow or deny, got 'permit'",
                "rules[0].match.kind: 'start' is not a kind (apply_link, start_component, start_provider)",
                "rules[0].match.host_labels.zone: an empty list matches nothing (remove the condition or give a value)",
                "rules[1].effect: missing (allow or deny)",
                "rules[2].name: must be a string, got 7",
                "rules[2].match.component: must be a non-empty string (a value, or a pattern with *), got ''",
                "rules[2].match.link.iface: unknown field (known: interfaces, namespace, package)",
                "rules[3]: a rule must be a mapping (effect, match, name, message), got string"));
        assertThatThrownBy(() -> RulesFile.parse("default: deny\nrules:\n  - {effect: allow, match: {kind: start_provider, image: x}}\n", "r.yaml"))
                .hasMessage("r.yaml: 1 problem: rules[0].match.image: applies only to start_component requests, which this rule's kind excludes "
                        + "(the rule could never match)");
        assertThatThrownBy(() -> RulesFile.parse("default: deny\n", "r.yaml"))
                .hasMessage("r.yaml: 1 problem: rules: missing (a list of rules; [] to let the default decide everything)");
        assertThatThrownBy(() -> RulesFile.parse("", "r.yaml")).hasMessage("r.yaml: 1 problem: the document is empty (expected 'default' and 'rules')");
        assertThatThrownBy(() -> RulesFile.parse("- a\n- b\n", "r.yaml"))
                .hasMessage("r.yaml: 1 problem: the document must be a mapping with 'default' and 'rules', got array");
        assertThatThrownBy(() -> RulesFile.parse("default: deny\ndefault: allow\nrules: []\n", "r.yaml"))
                .hasMessageStartingWith("r.yaml: 1 problem: malformed YAML at line 2, column 8: Duplicate field 'default'");
        assertThatThrownBy(() -> RulesFile.parse("x: &a allow\ndefault: *a\nrules: []\n", "r.yaml"))
                .hasMessage("r.yaml: 1 problem: alias *a at line 2 is not supported: write the value out");
        assertThatThrownBy(() -> RulesFile.parse("default: deny\nrules: []\n---\ndefault: allow\nrules: []\n", "r.yaml"))
                .hasMessage("r.yaml: 1 problem: more than one YAML document (the second starts at line 4): put the rules in one");
        assertThatThrownBy(() -> RulesFile.parse("rules: [\n", "r.yaml")).hasMessageStartingWith("r.yaml: 1 problem: malformed YAML at line");
    }
}
