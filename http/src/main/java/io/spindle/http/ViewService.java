package io.spindle.http;

import io.spindle.downsample.tier.TierPlan;
import io.spindle.store.SeriesStore.SeriesInfo;
import java.util.Map;

/** Plans views through the query gate and counts what they cost: one entry point for Grafana's /query and the dashboard. */
final class ViewService {
    private final SeriesCatalog catalog;
    private final QueryPlanner planner;
    private final QueryGate gate;
    private final Metrics metrics;
    private final Metrics.Counter pointsRead, pointsReturned;

    ViewService(SeriesCatalog catalog, QueryPlanner planner, QueryGate gate, Metrics metrics) {
        this.catalog = catalog;
        this.planner = planner;
        this.gate = gate;
        this.metrics = metrics;
        this.pointsRead = metrics.counter("spindle_query_points_read_total", "Points read from the store by queries (before LTTB)", Map.of());
        this.pointsReturned = metrics.counter("spindle_query_points_returned_total", "Points returned by queries", Map.of());
        metrics.gauge("spindle_query_running", "Queries reading the store now", () -> gate.running());
    }

    SeriesCatalog catalog() {
        return catalog;
    }

    QueryPlanner planner() {
        return planner;
    }

    /** What is stored of a series, or null. */
    SeriesInfo find(String series) {
        return catalog.find(series);
    }

    /** The view of info's series over [fromNs, toNs) with at most maxPoints points. */
    ViewJson.View view(SeriesInfo info, long fromNs, long toNs, int maxPoints, boolean consistent, QueryPlanner.Source source) {
        return gate.run(() -> {
            long t0 = System.nanoTime();
            TierPlan p = planner.plan(info, fromNs, toNs, maxPoints, consistent, source);
            long took = System.nanoTime() - t0;
            pointsRead.add(p.candidates());
            pointsReturned.add(p.size());
            metrics.counter("spindle_query_plans_total", "Query views by the level they were read from",
                    Map.of("level", p.tier() < 0 ? "raw" : Integer.toString(p.tier()))).inc();
            return new ViewJson.View(info.series(), p, source, consistent, took);
        });
    }
}
