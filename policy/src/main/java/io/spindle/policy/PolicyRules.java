package io.spindle.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;

/**
 * Ordered allow/deny rules: the first rule that matches a request decides; none matching, the default does.
 * Immutable and thread-safe; read one from a file with {@link RulesFile}.
 */
public final class PolicyRules {
    static final String START_COMPONENT = "start_component", START_PROVIDER = "start_provider", APPLY_LINK = "apply_link";
    /** The kinds of request a host sends. */
    public static final Set<String> KINDS = Set.of(START_COMPONENT, START_PROVIDER, APPLY_LINK);

    /** A decision and the words that go with it. */
    public record Decision(boolean permitted, String message) {
    }

    private final List<Rule> rules;
    private final boolean defaultAllow;

    PolicyRules(List<Rule> rules, boolean defaultAllow) {
        this.rules = List.copyOf(rules);
        this.defaultAllow = defaultAllow;
    }

    /** How many rules there are. */
    public int size() {
        return rules.size();
    }

    /** True when a request no rule matches is allowed. */
    public boolean defaultAllow() {
        return defaultAllow;
    }

    /**
     * The decision on a host's request ({@code {request_id, kind, version, request, host}}); a request that is not
     * one is denied with the reason (check it first with {@link #malformed} to count it).
     */
    public Decision evaluate(JsonNode request) {
        String bad = malformed(request);
        if (bad != null) return new Decision(false, "malformed policy request: " + bad);
        String kind = request.get("kind").textValue();
        for (Rule r : rules) {
            if (r.matches(kind, request.get("request"), request.get("host")))
                return new Decision(r.allow(), r.message() != null ? r.message() : (r.allow() ? "allowed by " : "denied by ") + r.describe());
        }
        return new Decision(defaultAllow, "no rule matched " + kind + "; the default is " + (defaultAllow ? "allow" : "deny"));
    }

    /** Why request is not a policy request of version v1, or null when it is one. */
    public static String malformed(JsonNode request) {
        if (request == null || !request.isObject()) return "expected a JSON object";
        if (!request.path("request_id").isTextual() || request.get("request_id").textValue().isEmpty()) return "request_id must be a non-empty string";
        if (!request.path("kind").isTextual() || !KINDS.contains(request.get("kind").textValue()))
            return "kind must be one of " + String.join(", ", KINDS.stream().sorted().toList()) + ", got " + request.path("kind");
        if (!"v1".equals(request.path("version").asText(null))) return "version must be \"v1\", got " + request.path("version");
        if (!request.path("request").isObject()) return "request must be an object";
        if (!request.path("host").isObject()) return "host must be an object";
        if (request.path("host").has("labels") && !request.path("host").get("labels").isObject()) return "host.labels must be an object";
        return null;
    }
}
