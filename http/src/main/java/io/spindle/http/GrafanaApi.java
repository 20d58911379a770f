package io.spindle.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.spindle.store.SeriesStore.SeriesInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The Grafana JSON datasource protocol as the simpod-json-datasource plugin speaks it: {@code GET /} (connection
 * test), {@code POST /metrics}, {@code /metric-payload-options}, {@code /query}, {@code /variable},
 * {@code /tag-keys}, {@code /tag-values}. Series are the metrics; their one tag is {@code device} (the part of the
 * name before the first '/').
 */
final class GrafanaApi {
    /** Most names a /metrics or /variable answer lists. */
    static final int MAX_LISTED = 10_000;
    /** Most series one /query request may expand to. */
    static final int MAX_SERIES_PER_QUERY = 100;

    private final ViewService views;

    GrafanaApi(ViewService views) {
        this.views = views;
    }

    void root(Context ctx) {
        ctx.contentType("text/plain; charset=utf-8").result("Spindle: Grafana JSON datasource API\n");
    }

    void metrics(Context ctx) throws IOException {
        ObjectNode body = JsonBody.object(ctx, true);
        String filter = Fields.optText(body, "metric", "metric");
        if (filter == null) filter = Fields.optText(body, "target", "target"); // the older simple-json shape
        String f = filter == null ? "" : filter.strip().toLowerCase(Locale.ROOT);
        JsonOut o = new JsonOut();
        JsonGenerator g = o.g;
        g.writeStartArray();
        int listed = 0;
        for (SeriesInfo s : views.catalog().list()) {
            if (!s.series().toLowerCase(Locale.ROOT).contains(f)) continue;
            if (++listed > MAX_LISTED) break;
            g.writeStartObject();
            g.writeStringField("label", s.series());
            g.writeStringField("value", s.series());
            g.writeArrayFieldStart("payloads");
            payloadConfig(g, "consistent", "Consistent", "yes: tier points only (a view with fewer points is a subset of one with more); no: LTTB to maxDataPoints");
            payloadConfig(g, "source", "Source", "tiers (the planner) or raw (the raw ring, when the range is small)");
            payloadConfig(g, "format", "Format", "time series or table");
            g.writeEndArray();
            g.writeObjectFieldStart("tags");
            g.writeStringField("device", NameList.device(s.series()));
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
        json(ctx, o);
    }

    private static void payloadConfig(JsonGenerator g, String name, String label, String placeholder) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", name);
        g.writeStringField("label", label);
        g.writeStringField("type", "select");
        g.writeStringField("placeholder", placeholder);
        g.writeArrayFieldStart("options");
        for (String v : GrafanaQuery.Options.CHOICES.get(name)) {
            g.writeStartObject();
            g.writeStringField("label", v);
            g.writeStringField("value", v);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    void payloadOptions(Context ctx) throws IOException {
        ObjectNode body = JsonBody.object(ctx, false);
        String name = Fields.optText(body, "name", "name");
        if (name == null) throw ApiError.badRequest("missing field name (the payload option to list)");
        List<String> choices = GrafanaQuery.Options.CHOICES.get(name);
        if (choices == null)
            throw ApiError.badRequest("name '" + name + "' is not a payload option (known: " + new TreeSet<>(GrafanaQuery.Options.CHOICES.keySet()) + ")");
        JsonOut o = new JsonOut();
        o.g.writeStartArray();
        for (String v : choices) {
            o.g.writeStartObject();
            o.g.writeStringField("label", v);
            o.g.writeStringField("value", v);
            o.g.writeEndObject();
        }
        o.g.writeEndArray();
        json(ctx, o);
    }

    void query(Context ctx) throws IOException {
        GrafanaQuery q = GrafanaQuery.parse(JsonBody.object(ctx, false));
        // Resolve every name first, so a bad target fails the request before anything is read.
        Map<GrafanaQuery.Target, List<SeriesInfo>> resolved = new LinkedHashMap<>();
        int total = 0;
        for (GrafanaQuery.Target t : q.targets()) {
            List<SeriesInfo> infos = new ArrayList<>();
            for (String name : NameList.parse(t.target(), n -> views.find(n) != null)) {
                SeriesInfo info = views.find(name);
                if (info == null) throw ApiError.badRequest("unknown series '" + name + "' in " + t.path() + ".target");
                if (q.filters().stream().allMatch(f -> f.admits(name))) infos.add(info);
            }
            total += infos.size();
            if (total > MAX_SERIES_PER_QUERY)
                throw ApiError.badRequest("the targets name more than " + MAX_SERIES_PER_QUERY + " series; query fewer at once");
            resolved.put(t, infos);
        }
        JsonOut o = new JsonOut();
        o.g.writeStartArray();
        for (Map.Entry<GrafanaQuery.Target, List<SeriesInfo>> e : resolved.entrySet()) {
            GrafanaQuery.Options opt = e.getKey().options();
            for (SeriesInfo info : e.getValue()) {
                ViewJson.View v = views.view(info, q.fromNs(), q.toNs(), q.maxPoints(), opt.consistent(), opt.source());
                if (opt.table()) ViewJson.table(o, v, e.getKey().refId());
                else ViewJson.timeSeries(o, v, e.getKey().refId());
            }
        }
        o.g.writeEndArray();
        json(ctx, o);
    }

    void variable(Context ctx) throws IOException {
        ObjectNode body = JsonBody.object(ctx, true);
        JsonNode payload = body.get("payload");
        String what, device = null;
        if (payload == null || payload.isNull()) what = "";
        else if (payload.isTextual()) what = payload.textValue();
        else if (payload instanceof ObjectNode p) {
            what = Fields.optText(p, "target", "payload.target");
            device = Fields.optText(p, "device", "payload.device");
            if (what == null) what = "";
        } else throw ApiError.badRequest("payload must be an object or a string, got " + Fields.kind(payload));
        what = what.strip();
        if (what.startsWith("series:")) {
            device = what.substring("series:".length());
            what = "series";
        }
        List<SeriesInfo> all = views.catalog().list();
        TreeSet<String> out = new TreeSet<>();
        switch (what) {
            case "", "*", "series" -> {
                java.util.Set<String> known = new java.util.HashSet<>();
                for (SeriesInfo s : all) known.add(NameList.device(s.series()));
                java.util.Set<String> devices = device == null ? null : new java.util.HashSet<>(NameList.parse(device, known::contains));
                for (SeriesInfo s : all) if (devices == null || devices.contains(NameList.device(s.series()))) out.add(s.series());
            }
            case "devices" -> {
                if (device != null) throw ApiError.badRequest("payload.device applies to series, not to devices");
                for (SeriesInfo s : all) out.add(NameList.device(s.series()));
            }
            default -> throw ApiError.badRequest("variable query '" + what + "' is not known; use series, devices or series:<device>");
        }
        JsonOut o = new JsonOut();
        o.g.writeStartArray();
        int listed = 0;
        for (String s : out) {
            if (++listed > MAX_LISTED) break;
            o.g.writeStartObject();
            o.g.writeStringField("__text", s);
            o.g.writeStringField("__value", s);
            o.g.writeEndObject();
        }
        o.g.writeEndArray();
        json(ctx, o);
    }

    void tagKeys(Context ctx) throws IOException {
        JsonBody.object(ctx, true); // read (and check) whatever Grafana sends; the answer does not depend on it
        JsonOut o = new JsonOut();
        o.g.writeStartArray();
        o.g.writeStartObject();
        o.g.writeStringField("type", "string");
        o.g.writeStringField("text", "device");
        o.g.writeStringField("key", "device");
        o.g.writeEndObject();
        o.g.writeEndArray();
        json(ctx, o);
    }

    void tagValues(Context ctx) throws IOException {
        ObjectNode body = JsonBody.object(ctx, false);
        String key = Fields.optText(body, "key", "key");
        if (key == null) throw ApiError.badRequest("missing field key (the tag whose values to list)");
        if (!key.equals("device")) throw ApiError.badRequest("key '" + key + "' is not a tag (known: device)");
        TreeSet<String> devices = new TreeSet<>();
        for (SeriesInfo s : views.catalog().list()) devices.add(NameList.device(s.series()));
        JsonOut o = new JsonOut();
        o.g.writeStartArray();
        for (String d : devices) {
            o.g.writeStartObject();
            o.g.writeStringField("key", "device");
            o.g.writeStringField("text", d);
            o.g.writeEndObject();
        }
        o.g.writeEndArray();
        json(ctx, o);
    }

    static void json(Context ctx, JsonOut o) throws IOException {
        ctx.contentType("application/json").result(o.finish());
    }
}
