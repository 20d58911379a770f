package io.spindle.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.lattice.Json;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Bounded fuzzing of what reaches the policy service from outside: rules files (valid ones mutated) fail only with
 * RulesException, and any JSON request gets a decision, never an exception (malformed ones a denial).
 */
class PolicyFuzzTest {
    @Property(tries = 1000)
    void mutatedRulesFilesFailOnlyWithRulesException(@ForAll("mutatedRules") String text) {
        try {
            PolicyRules r = RulesFile.parse(text, "fuzz.yaml");
            assertThat(r.size()).isGreaterThanOrEqualTo(0);
        } catch (RulesException e) {
            assertThat(e.problems()).isNotEmpty().allSatisfy(p -> assertThat(p).isNotBlank());
        }
    }

    @Property(tries = 1000)
    void everyRequestGetsADecision(@ForAll("mutatedRequests") String body) {
        PolicyRules rules = RulesFile.parse(PolicyRulesTest.RULES, "rules.yaml");
        JsonNode n;
        try {
            n = Json.tree(body.getBytes(StandardCharsets.UTF_8), "fuzz");
        } catch (IllegalArgumentException notJson) {
            n = null;
        }
        PolicyRules.Decision d = rules.evaluate(n);
        assertThat(d.message()).isNotBlank();
        if (PolicyRules.malformed(n) != null) assertThat(d.permitted()).isFalse();
    }

    @Provide
    Arbitrary<String> mutatedRules() {
        return mutate(PolicyRulesTest.RULES);
    }

    @Provide
    Arbitrary<String> mutatedRequests() {
        return mutate("{\"request_id\":\"r1\",\"kind\":\"apply_link\",\"version\":\"v1\",\"request\":{\"source_id\":\"c\",\"target\":\"kv\","
                + "\"wit_namespace\":\"spindle\",\"wit_package\":\"keyvalue\",\"interfaces\":[\"store\"],\"claims\":{\"issuer\":\"A\"}},"
                + "\"host\":{\"public_key\":\"N\",\"lattice\":\"l\",\"labels\":{\"zone\":\"edge\"}}}");
    }

    /** The seed with a few characters replaced, inserted or deleted at random places. */
    private static Arbitrary<String> mutate(String seed) {
        Arbitrary<Character> chars = Arbitraries.of(':', '-', ' ', '\n', '{', '}', '[', ']', '"', '*', '&', '!', ',', '#', 'a', '0', '\t', '|', '>');
        return Arbitraries.integers().between(1, 6).flatMap(n -> Arbitraries.integers().between(0, seed.length() - 1).list().ofSize(n)
                .flatMap(at -> chars.list().ofSize(n).flatMap(cs -> Arbitraries.integers().between(0, 2).list().ofSize(n).map(ops -> {
                    StringBuilder sb = new StringBuilder(seed);
                    for (int i = 0; i < n; i++) {
                        int p = Math.min(at.get(i), sb.length() - 1);
                        switch (ops.get(i)) {
                            case 0 -> sb.setCharAt(p, cs.get(i));
                            case 1 -> sb.insert(p, cs.get(i));
                            default -> sb.deleteCharAt(p);
                        }
                    }
                    return sb.toString();
                }))));
    }
}
