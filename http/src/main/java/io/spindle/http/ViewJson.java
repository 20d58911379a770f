package io.spindle.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.spindle.downsample.tier.TierPlan;
import java.io.IOException;

/**
 * Writes a planned view as JSON: a Grafana time series ({@code datapoints: [[value, ms], ...]}), a Grafana table, or
 * the dashboard's column arrays. A gap is written as its own entry with a null value, halfway between the points
 * around it, so that Grafana and the dashboard draw a break there instead of a line across it.
 */
final class ViewJson {
    private ViewJson() {
    }

    /** A planned view of a series, with how long planning and reading took. */
    record View(String series, TierPlan plan, QueryPlanner.Source source, boolean consistentAsked, long nanos) {
        int gaps() {
            int g = 0;
            for (int i = 0; i < plan.size(); i++) if (plan.breakBefore()[i]) g++;
            return g;
        }

        double queryMs() {
            return nanos / 1e6;
        }
    }

    static void timeSeries(JsonOut o, View v, String refId) throws IOException {
        JsonGenerator g = o.g;
        g.writeStartObject();
        g.writeStringField("target", v.series());
        if (refId != null) g.writeStringField("refId", refId);
        meta(g, v);
        g.writeArrayFieldStart("datapoints");
        TierPlan p = v.plan();
        for (int j = 0; j < p.size(); j++) {
            if (p.breakBefore()[j]) {
                g.writeStartArray();
                g.writeNull();
                o.timeMs(mid(p.time()[j - 1], p.time()[j]));
                g.writeEndArray();
            }
            g.writeStartArray();
            o.value(p.value()[j]);
            o.timeMs(p.time()[j]);
            g.writeEndArray();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    static void table(JsonOut o, View v, String refId) throws IOException {
        JsonGenerator g = o.g;
        g.writeStartObject();
        g.writeStringField("type", "table");
        if (refId != null) g.writeStringField("refId", refId);
        g.writeStringField("name", v.series());
        meta(g, v);
        g.writeArrayFieldStart("columns");
        g.writeStartObject();
        g.writeStringField("text", "Time");
        g.writeStringField("type", "time");
        g.writeEndObject();
        g.writeStartObject();
        g.writeStringField("text", v.series());
        g.writeStringField("type", "number");
        g.writeEndObject();
        g.writeEndArray();
        g.writeArrayFieldStart("rows");
        TierPlan p = v.plan();
        for (int j = 0; j < p.size(); j++) {
            if (p.breakBefore()[j]) {
                g.writeStartArray();
                o.timeMs(mid(p.time()[j - 1], p.time()[j]));
                g.writeNull();
                g.writeEndArray();
            }
            g.writeStartArray();
            o.timeMs(p.time()[j]);
            o.value(p.value()[j]);
            g.writeEndArray();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** The dashboard's shape: {@code {"series", "source", "tier", "candidates", "points", "query_ms", "t_ms", "v"}}. */
    static void points(JsonOut o, View v) throws IOException {
        JsonGenerator g = o.g;
        TierPlan p = v.plan();
        g.writeStartObject();
        g.writeStringField("series", v.series());
        g.writeStringField("source", v.source() == QueryPlanner.Source.RAW ? "raw" : "tiers");
        g.writeNumberField("tier", p.tier());
        g.writeNumberField("candidates", p.candidates());
        g.writeNumberField("points", p.size());
        g.writeNumberField("gaps", v.gaps());
        g.writeBooleanField("consistent", p.consistent());
        g.writeNumberField("query_ms", Math.round(v.queryMs() * 1000) / 1000.0);
        g.writeArrayFieldStart("t_ms");
        for (int j = 0; j < p.size(); j++) {
            if (p.breakBefore()[j]) o.timeMs(mid(p.time()[j - 1], p.time()[j]));
            o.timeMs(p.time()[j]);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("v");
        for (int j = 0; j < p.size(); j++) {
            if (p.breakBefore()[j]) g.writeNull();
            o.value(p.value()[j]);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** Grafana frame metadata: how the view was made (shown in the query inspector), and a notice when it is not what was asked. */
    private static void meta(JsonGenerator g, View v) throws IOException {
        TierPlan p = v.plan();
        g.writeObjectFieldStart("meta");
        g.writeObjectFieldStart("custom");
        g.writeStringField("source", v.source() == QueryPlanner.Source.RAW ? "raw" : "tiers");
        g.writeNumberField("tier", p.tier());
        g.writeNumberField("candidates", p.candidates());
        g.writeNumberField("points", p.size());
        g.writeNumberField("gaps", v.gaps());
        g.writeBooleanField("consistent", p.consistent());
        g.writeNumberField("query_ms", Math.round(v.queryMs() * 1000) / 1000.0);
        g.writeEndObject();
        if (v.consistentAsked() && !p.consistent()) {
            g.writeArrayFieldStart("notices");
            g.writeStartObject();
            g.writeStringField("severity", "info");
            g.writeStringField("text", "consistent view not possible: " + (p.tier() < 0 ? "the raw range" : "even tier " + p.tier())
                    + " has " + p.candidates() + " points here, more than maxDataPoints; reduced with LTTB");
            g.writeEndObject();
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    static long mid(long a, long b) {
        return a + (b - a) / 2;
    }
}
