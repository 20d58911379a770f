package io.spindle.sources;

/**
 * A machine-data source: connects to a control, an adapter or a broker (or generates data) and delivers what it reads
 * to a {@link SourceSink}. A source never stops on bad input: it counts it, reports it to the sink and goes on; it
 * reconnects by itself until closed.
 */
public interface Source extends AutoCloseable {
    /** The source's name as it appears in counters and log lines, e.g. {@code shdr:okuma@127.0.0.1:7878}. */
    String name();

    /** Starts delivering to sink on the source's own thread(s); returns at once. May be called once. */
    void start(SourceSink sink);

    /** The source's counters (live). */
    SourceCounters counters();

    /** Stops reading and releases connections and threads; idempotent. Nothing is delivered after it returns. */
    @Override
    void close();
}
