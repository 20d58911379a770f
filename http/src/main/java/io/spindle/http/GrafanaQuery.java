package io.spindle.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@code POST /query} request of the simpod-json-datasource plugin: {@code range.from/to} (ISO-8601, as Grafana
 * sends them, or epoch ms), {@code maxDataPoints} (or, without it, the range divided by {@code intervalMs}),
 * {@code targets[]} with {@code target}, {@code refId}, {@code hide} and {@code payload}, and the ad hoc filters
 * ({@code adhocFilters} or {@code filters}). Grafana's range is inclusive; here it becomes [from, to + 1 ms).
 */
record GrafanaQuery(long fromNs, long toNs, int maxPoints, List<Target> targets, List<Filter> filters) {
    /** Most targets in one request. */
    static final int MAX_TARGETS = 100;

    /** One target: a series name (or an alternation of names) with its options. */
    record Target(String target, String refId, Options options, String path) {
    }

    /**
     * Payload options of a target.
     *
     * @param consistent tier points only, so views at different maxDataPoints are subsets of one another
     * @param source     the tiers (planner) or the raw ring
     * @param table      answer as a table instead of a time series
     */
    record Options(boolean consistent, QueryPlanner.Source source, boolean table) {
        static final Options DEFAULT = new Options(false, QueryPlanner.Source.TIERS, false);
        /** The payload options and their values, as /metrics and /metric-payload-options describe them. */
        static final Map<String, List<String>> CHOICES = Map.of(
                "consistent", List.of("false", "true"),
                "source", List.of("tiers", "raw"),
                "format", List.of("time_series", "table"));
    }

    /** An ad hoc filter on a tag. */
    record Filter(String key, boolean equal, String value) {
        boolean admits(String series) {
            return NameList.device(series).equals(value) == equal;
        }
    }

    static GrafanaQuery parse(ObjectNode body) {
        ObjectNode range = Fields.object(body, "range", "range");
        long from = Fields.timeNs(range.get("from"), "range.from");
        long to = Fields.timeNs(range.get("to"), "range.to");
        if (to < from)
            throw ApiError.badRequest("range.to (" + range.get("to") + ") is before range.from (" + range.get("from") + ")");
        long toExclusive = to > Long.MAX_VALUE - 1_000_000 ? Long.MAX_VALUE : to + 1_000_000;
        int maxPoints = maxPoints(body, from, to);
        ArrayNode ts = Fields.array(body, "targets", "targets");
        if (ts.size() > MAX_TARGETS) throw ApiError.badRequest("targets has " + ts.size() + " entries, at most " + MAX_TARGETS + " are served at once");
        List<Target> targets = new ArrayList<>();
        for (int i = 0; i < ts.size(); i++) {
            String path = "targets[" + i + "]";
            if (!(ts.get(i) instanceof ObjectNode t)) throw ApiError.badRequest(path + " must be an object, got " + Fields.kind(ts.get(i)));
            JsonNode hide = t.get("hide");
            if (hide != null && !hide.isNull() && Fields.flag(hide, path + ".hide")) continue;
            String name = Fields.optText(t, "target", path + ".target");
            if (name == null) throw ApiError.badRequest("missing field " + path + ".target (a series name)");
            if (name.isBlank()) throw ApiError.badRequest(path + ".target is empty; expected a series name");
            targets.add(new Target(name, Fields.optText(t, "refId", path + ".refId"), options(t.get("payload"), path + ".payload"), path));
        }
        List<Filter> filters = new ArrayList<>();
        filters(body, "adhocFilters", filters);
        filters(body, "filters", filters);
        return new GrafanaQuery(from, toExclusive, maxPoints, targets, filters);
    }

    private static int maxPoints(ObjectNode body, long from, long to) {
        Long m = Fields.optLong(body, "maxDataPoints", "maxDataPoints", 1, QueryPlanner.MAX_POINTS);
        JsonNode iv = body.get("intervalMs");
        if (iv != null && !iv.isNull() && (!iv.isNumber() || iv.decimalValue().signum() < 0))
            throw ApiError.badRequest("intervalMs must be a number >= 0, got " + iv);
        if (m != null) return m.intValue();
        if (iv == null || iv.isNull() || iv.decimalValue().signum() == 0)
            throw ApiError.badRequest("missing field maxDataPoints (or intervalMs to derive it from)");
        double n = Math.ceil((to - from) / 1e6 / iv.doubleValue());
        return (int) Math.max(1, Math.min(QueryPlanner.MAX_POINTS, n));
    }

    static Options options(JsonNode payload, String path) {
        if (payload == null || payload.isNull()) return Options.DEFAULT;
        if (payload.isTextual()) { // a payload typed in the editor that the plugin could not parse arrives as text
            String s = payload.textValue().strip();
            if (s.isEmpty()) return Options.DEFAULT;
            try {
                payload = JsonBody.MAPPER.readTree(s);
            } catch (IOException e) {
                throw ApiError.badRequest(path + " is a string that is not a JSON object: " + s);
            }
        }
        if (!(payload instanceof ObjectNode p)) throw ApiError.badRequest(path + " must be an object, got " + Fields.kind(payload));
        boolean consistent = false, table = false;
        QueryPlanner.Source source = QueryPlanner.Source.TIERS;
        for (Map.Entry<String, JsonNode> e : p.properties()) {
            String k = e.getKey(), at = path + "." + k;
            JsonNode v = e.getValue();
            switch (k) {
                case "consistent" -> consistent = Fields.flag(v, at);
                case "source" -> source = switch (choice(v, at)) {
                    case "raw" -> QueryPlanner.Source.RAW;
                    default -> QueryPlanner.Source.TIERS;
                };
                case "format" -> table = choice(v, at).equals("table");
                default -> throw ApiError.badRequest(path + " has unknown option '" + k + "' (known: consistent, source, format)");
            }
        }
        return new Options(consistent, source, table);
    }

    private static String choice(JsonNode v, String at) {
        String key = at.substring(at.lastIndexOf('.') + 1);
        List<String> allowed = Options.CHOICES.get(key);
        if (v.isTextual() && (v.textValue().isEmpty() || allowed.contains(v.textValue())))
            return v.textValue().isEmpty() ? allowed.get(0) : v.textValue();
        throw ApiError.badRequest(at + " must be one of " + allowed + ", got " + v);
    }

    private static void filters(ObjectNode body, String field, List<Filter> out) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return;
        if (!(n instanceof ArrayNode a)) throw ApiError.badRequest(field + " must be an array, got " + Fields.kind(n));
        for (int i = 0; i < a.size(); i++) {
            String path = field + "[" + i + "]";
            if (!(a.get(i) instanceof ObjectNode f)) throw ApiError.badRequest(path + " must be an object, got " + Fields.kind(a.get(i)));
            String key = Fields.optText(f, "key", path + ".key");
            String op = Fields.optText(f, "operator", path + ".operator");
            String value = Fields.optText(f, "value", path + ".value");
            if (key == null || op == null || value == null) throw ApiError.badRequest(path + " needs key, operator and value");
            if (!key.equals("device")) throw ApiError.badRequest(path + ".key '" + key + "' is not a tag (known: device)");
            if (!op.equals("=") && !op.equals("!="))
                throw ApiError.badRequest(path + ".operator '" + op + "' is not supported (use = or !=)");
            out.add(new Filter(key, op.equals("="), value));
        }
    }
}
