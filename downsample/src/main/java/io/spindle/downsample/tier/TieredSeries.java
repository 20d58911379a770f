package io.spindle.downsample.tier;

import io.spindle.downsample.stream.PointSink;
import io.spindle.downsample.stream.Snapshots;
import io.spindle.downsample.stream.StreamStats;
import io.spindle.downsample.stream.StreamingLttb;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One series downsampled into resolution tiers by a chain of streaming LTTB engines: tier k's input is tier k-1's
 * output, so every tier's points are a subset of the tier below and zooming never shows a point the finer view lacks.
 */
public final class TieredSeries {
    private static final int MAGIC = 0x54494552; // "TIER"
    private static final int VERSION = 1;

    private final TierConfig cfg;
    private final StreamingLttb[] engines;
    private final PointColumn[] tiers;
    private final PointColumn raw;

    /** Empty tiers for the given settings. */
    public TieredSeries(TierConfig config) {
        this(config, null);
    }

    private TieredSeries(TierConfig config, byte[][] states) {
        this.cfg = config;
        int n = config.levels();
        this.engines = new StreamingLttb[n];
        this.tiers = new PointColumn[n];
        this.raw = config.rawRetain() > 0 ? new PointColumn(config.rawRetain()) : null;
        for (int k = n - 1; k >= 0; k--) {
            tiers[k] = new PointColumn(config.tierRetain());
            PointSink sink = new TierSink(tiers[k], k + 1 < n ? engines[k + 1] : null);
            engines[k] = states == null ? new StreamingLttb(config.config(k), sink) : StreamingLttb.restore(states[k], sink);
        }
        if (raw != null) engines[0].onReleased(new TierSink(raw, null));
    }

    /** Offers a raw sample. */
    public void add(long t, double v) {
        engines[0].add(t, v);
    }

    /** Offers raw samples {@code [from, to)}. */
    public void add(long[] t, double[] v, int from, int to) {
        engines[0].add(t, v, from, to);
    }

    /** Ends the stream in every tier, emitting what remains. */
    public void flush() {
        for (StreamingLttb e : engines) e.flush();
    }

    /** The settings. */
    public TierConfig config() {
        return cfg;
    }

    /** Points of tier k. */
    public PointColumn tier(int k) {
        return tiers[k];
    }

    /** Raw samples kept for queries: every accepted one, in time order, segments as tier 0 saw them; or null. */
    public PointColumn raw() {
        return raw;
    }

    /** Counters of tier k's engine (tier 0 counts the raw input, including late samples). */
    public StreamStats stats(int k) {
        return engines[k].stats();
    }

    /** Engine state of every tier (not the stored points), to continue elsewhere with {@link #restore}. */
    public byte[] snapshot() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            Snapshots.writeHeader(out, MAGIC, VERSION);
            out.writeInt(engines.length);
            for (StreamingLttb e : engines) Snapshots.writeBlock(out, e.snapshot());
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Tiers continuing from a snapshot, with empty point columns. */
    public static TieredSeries restore(TierConfig config, byte[] snapshot) {
        try {
            DataInputStream in = Snapshots.open(snapshot, MAGIC, VERSION, "tier");
            int n = in.readInt();
            if (n != config.levels())
                throw new IllegalArgumentException("tier snapshot has " + n + " tiers, settings have " + config.levels());
            byte[][] states = new byte[n][];
            for (int k = 0; k < n; k++) states[k] = Snapshots.readBlock(in, "tier");
            return new TieredSeries(config, states);
        } catch (IOException e) {
            throw new IllegalArgumentException("tier snapshot is truncated or corrupt: " + e.getMessage(), e);
        }
    }

    /** Stores a tier's points and feeds them to the next tier. */
    private static final class TierSink implements PointSink {
        private final PointColumn column;
        private final StreamingLttb next;
        private boolean segmentStart;

        TierSink(PointColumn column, StreamingLttb next) {
            this.column = column;
            this.next = next;
        }

        @Override
        public void segmentStart() {
            segmentStart = true;
        }

        @Override
        public void accept(long t, double v) {
            column.append(t, v, segmentStart);
            segmentStart = false;
            if (next != null) next.add(t, v);
        }
    }
}
