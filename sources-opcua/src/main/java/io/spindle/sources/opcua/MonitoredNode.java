package io.spindle.sources.opcua;

import io.spindle.sources.SourceCounters;
import io.spindle.sources.SourceSink;
import java.util.Map;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;

/**
 * One configured node's stream: turns its data-change notifications into samples (buffered per publish, handed over
 * in one {@link SourceSink#samples} call), change-only events and rejections. Every method runs under the source's
 * delivery lock, which is what keeps one series on one thread at a time.
 */
final class MonitoredNode {
    private static final System.Logger LOG = System.getLogger("spindle.sources.opcua");
    private static final int CAPACITY = 256;
    private static final long GOOD = -1;

    final NodeSpec spec;
    private final String sourceName;
    private final SourceSink sink;
    private final SourceCounters counters;
    private final long[] times = new long[CAPACITY];
    private final double[] values = new double[CAPACITY];
    private int count;
    private String series;
    private Map<Long, String> enumNames;
    private String lastEvent;
    private long badStatus = GOOD;
    private long rejections;

    MonitoredNode(NodeSpec spec, String sourceName, SourceSink sink, SourceCounters counters) {
        this.spec = spec;
        this.sourceName = sourceName;
        this.sink = sink;
        this.counters = counters;
    }

    /** The series name, or null before the node was first subscribed. */
    String series() {
        return series;
    }

    /** Names the series (kept across reconnects once set) and says whether Int32 values are enumeration values. */
    void bind(String seriesName, Map<Long, String> enumValueNames) {
        if (series == null) series = seriesName;
        enumNames = enumValueNames;
    }

    /** Handles one notification; receivedNanos is the fallback time for values without timestamps. */
    void onValue(DataValue dv, long receivedNanos) {
        long t = OpcUaTime.sampleNanos(dv, receivedNanos);
        StatusCode status = dv.statusCode();
        if (status != null && status.isBad()) {
            // once per bad spell (or change of bad code): the value is meaningless, so no sample
            long code = status.value() & 0xFFFF_0000L;
            if (code != badStatus) {
                badStatus = code;
                event(t, "BAD " + Variants.statusName(status));
            }
            return;
        }
        badStatus = GOOD;
        Variant variant = dv.value();
        Object v = variant == null ? null : variant.value();
        if (enumNames == null && Variants.isNumeric(v)) {
            double d = Variants.toDouble(v);
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                reject(Double.isNaN(d) ? "NaN value" : "infinite value (" + d + ")");
                return;
            }
            if (count == CAPACITY) flush();
            times[count] = t;
            values[count] = d;
            count++;
        } else {
            event(t, Variants.text(v, enumNames));
        }
    }

    /** Hands buffered samples to the sink. */
    void flush() {
        if (count == 0) return;
        int n = count;
        count = 0;
        counters.samples.addAndGet(n);
        if (n == 1) sink.sample(series, times[0], values[0]);
        else sink.samples(series, times, values, n);
    }

    /** The session is gone: the last value is stale, and the next one is news even when it repeats. */
    void stale(long tNanos) {
        flush();
        if (series != null) sink.stale(series, tNanos);
        lastEvent = null;
        badStatus = GOOD;
    }

    /** Reports that the server refused this node (unknown id, no access, bad namespace). */
    void refused(String reason) {
        counters.rejected.incrementAndGet();
        String message = "node '" + spec.text() + "': " + reason;
        counters.lastError(message);
        LOG.log(System.Logger.Level.WARNING, "{0}: {1}", sourceName, message);
        sink.rejected(sourceName, spec.text(), reason);
    }

    private void event(long t, String text) {
        if (text.equals(lastEvent)) return;
        flush(); // keep this series' samples and events in order
        lastEvent = text;
        counters.events.incrementAndGet();
        sink.event(series, t, text);
    }

    private void reject(String reason) {
        counters.rejected.incrementAndGet();
        rejections++;
        String message = "node '" + spec.text() + "': " + reason;
        counters.lastError(message);
        // a node that streams NaN at 1 kHz must not flood the log: 1st, 2nd, 4th, 8th, ... rejection
        if ((rejections & (rejections - 1)) == 0) {
            LOG.log(System.Logger.Level.WARNING, "{0}: {1} ({2} so far)", sourceName, message, rejections);
        }
        sink.rejected(sourceName, spec.text(), reason);
    }
}
