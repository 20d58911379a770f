package io.spindle.sources.mqtt;

import io.spindle.sources.SourceCounters;
import io.spindle.sources.SourceSink;
import java.util.HashMap;
import java.util.Map;

/**
 * Hands what the handlers decode to the sink and counts it: samples, change-only events (the last text per series is
 * remembered; a stale mark forgets it so that the next value shows again), stale marks and rejections.
 */
final class Emitter {
    private static final System.Logger LOG = System.getLogger("spindle.sources.mqtt");

    private final String source;
    private final SourceSink sink;
    private final SourceCounters counters;
    private final Map<String, String> lastEvent = new HashMap<>();

    Emitter(String source, SourceSink sink, SourceCounters counters) {
        this.source = source;
        this.sink = sink;
        this.counters = counters;
    }

    void sample(String series, long tNanos, double value) {
        sink.sample(series, tNanos, value);
        counters.samples.incrementAndGet();
    }

    /** Delivers text unless it is the series' last delivered text. */
    void event(String series, long tNanos, String text) {
        String previous = lastEvent.put(series, text);
        if (text.equals(previous)) return;
        sink.event(series, tNanos, text);
        counters.events.incrementAndGet();
    }

    void stale(String series, long tNanos) {
        lastEvent.remove(series);
        sink.stale(series, tNanos);
    }

    /** Keeps a notice about input that was accepted anyway (e.g. a sequence gap with rebirths off). */
    void warn(String input, String message) {
        counters.lastError(input + ": " + message);
        LOG.log(System.Logger.Level.INFO, () -> source + ": " + input + ": " + message);
    }

    /** Refuses input (a topic, with detail in reason), counts it and keeps it as the last error. */
    void reject(String input, String reason) {
        counters.rejected.incrementAndGet();
        counters.lastError(input + ": " + reason);
        LOG.log(System.Logger.Level.DEBUG, () -> source + " rejected " + input + ": " + reason);
        sink.rejected(source, input, reason);
    }
}
