package io.spindle.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.javalin.http.Context;
import io.spindle.downsample.tier.TierConfig;
import io.spindle.store.SeriesStore.SeriesInfo;
import java.io.IOException;
import java.util.Locale;

/**
 * The built-in dashboard's API: {@code GET /api/v1/series} (what is stored, and the tiers' bucket widths) and
 * {@code GET /api/v1/points} (one view of a series from the tiers or the raw ring, as column arrays with nulls at
 * gaps). Errors are {@code {"error": "..."}}: 400 naming the parameter and the reason, 404 for an unknown series.
 */
final class DashboardApi {
    /** Points a view holds when max_points is not given. */
    static final int DEFAULT_MAX_POINTS = 1000;

    private final ViewService views;

    DashboardApi(ViewService views) {
        this.views = views;
    }

    void series(Context ctx) throws IOException {
        JsonOut o = new JsonOut();
        JsonGenerator g = o.g;
        g.writeStartObject();
        g.writeArrayFieldStart("series");
        for (SeriesInfo s : views.catalog().list()) {
            g.writeStartObject();
            g.writeStringField("name", s.series());
            g.writeNumberField("raw_count", s.rawCount());
            g.writeFieldName("raw_first_ms");
            o.timeMs(s.rawFirstNs());
            g.writeFieldName("raw_last_ms");
            o.timeMs(s.rawLastNs());
            g.writeArrayFieldStart("tier_counts");
            for (long c : s.tierCounts()) g.writeNumber(c);
            g.writeEndArray();
            g.writeFieldName("first_ms");
            o.timeMs(s.firstNs());
            g.writeFieldName("last_ms");
            o.timeMs(s.lastNs());
            g.writeEndObject();
        }
        g.writeEndArray();
        TierConfig tiers = views.planner().tiers();
        g.writeArrayFieldStart("tiers");
        for (int k = 0; k < tiers.levels(); k++) {
            g.writeStartObject();
            g.writeNumberField("tier", k);
            g.writeFieldName("bucket_ms");
            o.timeMs(tiers.bucketNanos(k));
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeNumberField("gap_buckets", tiers.tier0().gapBuckets());
        g.writeNumberField("max_points", QueryPlanner.MAX_POINTS);
        g.writeEndObject();
        GrafanaApi.json(ctx, o);
    }

    void points(Context ctx) throws IOException {
        String series = ctx.queryParam("series");
        if (series == null || series.isEmpty()) throw ApiError.badRequest("missing parameter series");
        SeriesInfo info = views.find(series);
        if (info == null) throw ApiError.notFound("unknown series '" + series + "'");
        String f = ctx.queryParam("from_ms"), t = ctx.queryParam("to_ms");
        long from = f == null || f.isBlank() ? info.firstNs() : Fields.msParamToNs(f, "from_ms");
        long to = t == null || t.isBlank() ? (info.lastNs() == Long.MAX_VALUE ? Long.MAX_VALUE : info.lastNs() + 1) : Fields.msParamToNs(t, "to_ms");
        if (to < from) throw ApiError.badRequest("parameter to_ms (" + t + ") is before from_ms (" + f + ")");
        int max = maxPoints(ctx.queryParam("max_points"));
        QueryPlanner.Source source = switch (lower(ctx.queryParam("source"), "tiers")) {
            case "tiers" -> QueryPlanner.Source.TIERS;
            case "raw" -> QueryPlanner.Source.RAW;
            default -> throw ApiError.badRequest("parameter source '" + ctx.queryParam("source") + "' must be tiers or raw");
        };
        boolean consistent = switch (lower(ctx.queryParam("consistent"), "false")) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw ApiError.badRequest("parameter consistent '" + ctx.queryParam("consistent") + "' must be true or false");
        };
        ViewJson.View v = views.view(info, from, to, max, consistent, source);
        JsonOut o = new JsonOut();
        ViewJson.points(o, v);
        GrafanaApi.json(ctx, o);
    }

    private static int maxPoints(String s) {
        if (s == null || s.isBlank()) return DEFAULT_MAX_POINTS;
        long n;
        try {
            n = Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("parameter max_points '" + s + "' is not a whole number");
        }
        if (n < 1 || n > QueryPlanner.MAX_POINTS)
            throw ApiError.badRequest("parameter max_points " + n + " is outside 1.." + QueryPlanner.MAX_POINTS);
        return (int) n;
    }

    private static String lower(String s, String dflt) {
        return s == null || s.isBlank() ? dflt : s.strip().toLowerCase(Locale.ROOT);
    }
}
