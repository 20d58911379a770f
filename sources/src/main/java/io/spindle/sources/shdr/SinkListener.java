package io.spindle.sources.shdr;

import io.spindle.sources.SourceCounters;
import io.spindle.sources.SourceSink;
import java.util.HashMap;
import java.util.function.LongConsumer;

/**
 * What an {@link ShdrReader} finds, delivered to a {@link SourceSink} and counted: samples as samples, events and
 * UNAVAILABLE as change-only events, conditions as change-only events {@code LEVEL[|code|severity|qualifier|text]},
 * malformed lines as rejections; a PONG's interval goes to the connection.
 */
final class SinkListener implements ShdrListener {
    static final String UNAVAILABLE = "UNAVAILABLE";
    private static final int MAX_INPUT = 1000;

    private final String source;
    private final SourceSink sink;
    private final SourceCounters counters;
    private final LongConsumer pong;
    private final HashMap<String, String> lastCondition = new HashMap<>();

    SinkListener(String source, SourceSink sink, SourceCounters counters, LongConsumer pongMillis) {
        this.source = source;
        this.sink = sink;
        this.counters = counters;
        this.pong = pongMillis;
    }

    @Override
    public void sample(String series, long tNanos, double value) {
        counters.samples.incrementAndGet();
        sink.sample(series, tNanos, value);
    }

    @Override
    public void samples(String series, long[] tNanos, double[] values, int count) {
        counters.samples.addAndGet(count);
        sink.samples(series, tNanos, values, count);
    }

    @Override
    public void item(ShdrItem item) {
        switch (item) {
            case ShdrItem.Event e -> event(e.series(), e.tNanos(), e.value());
            case ShdrItem.Unavailable u -> event(u.series(), u.tNanos(), UNAVAILABLE);
            case ShdrItem.Condition c -> condition(c);
            case ShdrItem.Malformed m -> rejected(m.text(), m.reason());
            case ShdrItem.Protocol p -> protocol(p);
            case ShdrItem.Asset a -> {
                // asset documents are not series data; the reader counts them
            }
        }
    }

    /** Refuses input that never reached the parser (an overlong line, a line cut by a lost connection). */
    void rejected(String input, String reason) {
        counters.rejected.incrementAndGet();
        counters.lastError(reason);
        sink.rejected(source, input.length() > MAX_INPUT ? input.substring(0, MAX_INPUT) + "..." : input, reason);
    }

    private void event(String series, long t, String value) {
        counters.events.incrementAndGet();
        sink.event(series, t, value);
    }

    private void condition(ShdrItem.Condition c) {
        String value = c.nativeCode().isEmpty() && c.nativeSeverity().isEmpty() && c.qualifier().isEmpty()
                && c.message().isEmpty() ? c.level()
                : c.level() + "|" + c.nativeCode() + "|" + c.nativeSeverity() + "|" + c.qualifier() + "|" + c.message();
        if (value.equals(lastCondition.put(c.series(), value))) return; // unchanged: adapters repeat them on reconnect
        event(c.series(), c.tNanos(), value);
    }

    private void protocol(ShdrItem.Protocol p) {
        if (!p.name().equals("PONG")) return; // PING echoes and adapter settings (adapterVersion, ...) carry no data
        long ms;
        try {
            ms = Long.parseLong(p.value());
        } catch (NumberFormatException e) {
            ms = -1;
        }
        if (ms < 10 || ms > 3_600_000) rejected("* PONG " + p.value(), "PONG interval '" + p.value()
                + "' is not a number of milliseconds in 10..3600000; keeping the heartbeat in force");
        else pong.accept(ms);
    }
}
