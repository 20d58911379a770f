package io.spindle.downsample.stream;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Streaming LTTB over many named series (e.g. {@code okuma-p229810/Z1load}), one engine per series created on
 * first sight, with counters reported by series so late and invalid samples are visible where they happen.
 */
public final class StreamingLttbSet {
    private static final int MAGIC = 0x534C5453; // "SLTS"
    private static final int VERSION = 1;

    private final Function<String, StreamConfig> configFor;
    private final SeriesSink sink;
    private final Map<String, StreamingLttb> engines = new HashMap<>();

    /** Series get their settings from configFor on first sight; points go to sink. */
    public StreamingLttbSet(Function<String, StreamConfig> configFor, SeriesSink sink) {
        this.configFor = configFor;
        this.sink = sink;
    }

    /** Offers one sample of a series. */
    public void add(String series, long t, double v) {
        engine(series).add(t, v);
    }

    /** Offers samples {@code [from, to)} of one series. */
    public void add(String series, long[] t, double[] v, int from, int to) {
        engine(series).add(t, v, from, to);
    }

    /** Ends every series' stream, emitting what remains. */
    public void flush() {
        for (StreamingLttb e : engines.values()) e.flush();
    }

    /** Counters per series, by name. */
    public Map<String, StreamStats> stats() {
        Map<String, StreamStats> out = new TreeMap<>();
        engines.forEach((name, e) -> out.put(name, e.stats()));
        return Collections.unmodifiableMap(out);
    }

    /** Number of series seen. */
    public int size() {
        return engines.size();
    }

    private StreamingLttb engine(String series) {
        StreamingLttb e = engines.get(series);
        if (e == null) {
            e = new StreamingLttb(configFor.apply(series), sinkFor(series));
            engines.put(series, e);
        }
        return e;
    }

    private PointSink sinkFor(String series) {
        return new PointSink() {
            @Override
            public void accept(long t, double v) {
                sink.accept(series, t, v);
            }

            @Override
            public void segmentStart() {
                sink.segmentStart(series);
            }
        };
    }

    /** Every series' state, to continue elsewhere with {@link #restore}. */
    public byte[] snapshot() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            Snapshots.writeHeader(out, MAGIC, VERSION);
            Map<String, StreamingLttb> sorted = new TreeMap<>(engines);
            out.writeInt(sorted.size());
            for (Map.Entry<String, StreamingLttb> e : sorted.entrySet()) {
                out.writeUTF(e.getKey());
                Snapshots.writeBlock(out, e.getValue().snapshot());
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A set continuing from a snapshot; new series still get their settings from configFor. */
    public static StreamingLttbSet restore(byte[] snapshot, Function<String, StreamConfig> configFor, SeriesSink sink) {
        StreamingLttbSet set = new StreamingLttbSet(configFor, sink);
        try {
            DataInputStream in = Snapshots.open(snapshot, MAGIC, VERSION, "series-set");
            int n = in.readInt();
            if (n < 0) throw new IllegalArgumentException("series-set snapshot is corrupt: " + n + " series");
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                set.engines.put(name, StreamingLttb.restore(Snapshots.readBlock(in, "series-set"), set.sinkFor(name)));
            }
            return set;
        } catch (IOException e) {
            throw new IllegalArgumentException("series-set snapshot is truncated or corrupt: " + e.getMessage(), e);
        }
    }
}
