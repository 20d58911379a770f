package io.spindle.cli;

import io.spindle.host.Host;
import io.spindle.http.Metrics;
import io.spindle.providers.source.SourceProvider;
import io.spindle.providers.store.StoreProvider;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The pipeline's counters in the Prometheus registry that {@code /metrics} renders: samples in and out per source and
 * overall, late and refused samples, reduction ratio, component calls and their time, guest limit violations, the
 * store provider's backlog. (The HTTP server registers its own query times and the store's write latency.)
 */
final class PipelineMetrics {
    private PipelineMetrics() {
    }

    static void register(Metrics m, Host host, StoreProvider store, List<SourceProvider> sources) {
        for (SourceProvider s : sources) {
            Map<String, String> l = Map.of("source", s.id(), "kind", s.ref());
            m.counter("spindle_source_samples_total", "Samples a source published into the data stream", l, () -> s.stats().samples());
            m.counter("spindle_source_rejected_total", "Inputs a source refused (malformed, non-finite, unknown alias)", l,
                    () -> s.stats().rejected());
            m.counter("spindle_source_late_samples_total", "Samples older than their series' newest at the source", l,
                    () -> s.stats().outOfOrder());
            m.counter("spindle_source_wire_bytes_total", "Encoded bytes a source published", l, () -> s.stats().wireBytes());
            m.counter("spindle_source_events_total", "Change-only events a source published", l, () -> s.stats().events());
        }
        m.counter("spindle_samples_in_total", "Raw samples published by all sources", () -> sum(sources, x -> x.stats().samples()));
        m.counter("spindle_points_out_total", "Tier-0 points the downsampling component emitted and the store kept",
                () -> store.stats().tier0Points());
        m.counter("spindle_tier_points_total", "Points of tiers 1.. built by the store provider", () -> store.stats().tierPoints());
        m.gauge("spindle_reduction_ratio", "Raw samples in per tier-0 point out", () -> {
            long out = store.stats().tier0Points();
            return out == 0 ? 0 : (double) sum(sources, x -> x.stats().samples()) / out;
        });
        m.gauge("spindle_store_backlog_messages", "Data stream messages the store provider has not committed yet",
                () -> store.stats().backlog());
        m.counter("spindle_store_refused_messages_total", "Data stream messages the store provider could not decode",
                () -> store.stats().refused());
        m.counter("spindle_component_calls_total", "Calls of components' process export", () -> host.componentStats().stream()
                .mapToLong(Host.ComponentStats::calls).sum());
        m.gauge("spindle_component_call_seconds_total", "Time spent in components' process export", () -> host.componentStats().stream()
                .mapToLong(Host.ComponentStats::callNanos).sum() / 1e9);
        m.counter("spindle_guest_limit_violations_total", "Component calls that trapped or broke a limit (memory, time, output)",
                () -> host.componentStats().stream().mapToLong(Host.ComponentStats::violations).sum());
        m.counter("spindle_guest_errors_total", "Component calls that returned an error", () -> host.componentStats().stream()
                .mapToLong(Host.ComponentStats::guestErrors).sum());
    }

    private static long sum(List<SourceProvider> sources, ToLongFunction<SourceProvider> f) {
        long n = 0;
        for (SourceProvider s : sources) n += f.applyAsLong(s);
        return n;
    }
}
