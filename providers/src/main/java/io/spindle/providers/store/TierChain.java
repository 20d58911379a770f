package io.spindle.providers.store;

import io.spindle.downsample.stream.PointSink;
import io.spindle.downsample.stream.StreamingLttb;
import io.spindle.downsample.tier.TierConfig;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds tiers 1..L-1 of every series from its tier-0 points (which the downsampling component emits): tier k is a
 * streaming LTTB over tier k-1 with bucket Δ0·f^k, so each tier is a subset of the one below. Tier-0 points of a
 * series arrive in time order, and a replay after a crash repeats some: a point not after the series' newest is a
 * repeat and is skipped, which keeps the tiers equal to those of an uninterrupted run. Not thread-safe.
 */
final class TierChain {
    /** Receives tier points (k >= 1) as they become final. */
    interface Out {
        void point(String series, int tier, long t, double v);
    }

    private static final int MAGIC = 0x54434831; // "TCH1"

    private final TierConfig cfg;
    private final Out out;
    private final Map<String, Series> series = new HashMap<>();
    private long repeats;

    private final class Series {
        final String name;
        final StreamingLttb[] engines; // engines[k-1] builds tier k
        long lastT = Long.MIN_VALUE;

        Series(String name, byte[][] states) {
            this.name = name;
            int n = cfg.levels() - 1;
            engines = new StreamingLttb[n];
            for (int i = n - 1; i >= 0; i--) {
                int tier = i + 1;
                StreamingLttb next = i + 1 < n ? engines[i + 1] : null;
                PointSink sink = (t, v) -> {
                    out.point(name, tier, t, v);
                    if (next != null) next.add(t, v);
                };
                engines[i] = states == null ? new StreamingLttb(cfg.config(tier), sink) : StreamingLttb.restore(states[i], sink);
            }
        }
    }

    TierChain(TierConfig cfg, Out out) {
        this.cfg = cfg;
        this.out = out;
    }

    /** Offers tier-0 points [0, n) of a series. */
    void add(String name, long[] t, double[] v, int n) {
        if (cfg.levels() < 2) return;
        Series s = series.get(name);
        if (s == null) series.put(name, s = new Series(name, null));
        StreamingLttb first = s.engines[0];
        for (int i = 0; i < n; i++) {
            if (t[i] <= s.lastT) {
                repeats++;
                continue;
            }
            s.lastT = t[i];
            first.add(t[i], v[i]);
        }
    }

    /** Tier-0 points skipped as repeats. */
    long repeats() {
        return repeats;
    }

    /** Series known. */
    int size() {
        return series.size();
    }

    /** Every series' state, to restore with {@link #restore}. */
    byte[] snapshot() {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream(256 + series.size() * 512);
            DataOutputStream o = new DataOutputStream(b);
            o.writeInt(MAGIC);
            o.writeInt(cfg.levels());
            o.writeLong(cfg.bucketNanos(0));
            o.writeInt(cfg.factor());
            o.writeLong(repeats);
            o.writeInt(series.size());
            for (Series s : series.values()) {
                o.writeUTF(s.name);
                o.writeLong(s.lastT);
                for (StreamingLttb e : s.engines) {
                    byte[] st = e.snapshot();
                    o.writeInt(st.length);
                    o.write(st);
                }
            }
            o.flush();
            return b.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A chain continuing from a snapshot; IllegalArgumentException when it is damaged or made with other tier settings. */
    static TierChain restore(TierConfig cfg, Out out, byte[] snapshot) {
        TierChain c = new TierChain(cfg, out);
        try {
            DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(snapshot));
            if (in.readInt() != MAGIC) throw new IllegalArgumentException("not a tier chain snapshot");
            int levels = in.readInt();
            long d0 = in.readLong();
            int f = in.readInt();
            if (levels != cfg.levels() || d0 != cfg.bucketNanos(0) || f != cfg.factor())
                throw new IllegalArgumentException("the stored tiers were built with " + levels + " levels, bucket " + d0
                        + " ns, factor " + f + "; now configured: " + cfg.levels() + ", " + cfg.bucketNanos(0) + " ns, "
                        + cfg.factor() + " (use a new store, or the old settings)");
            c.repeats = in.readLong();
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                long lastT = in.readLong();
                byte[][] states = new byte[levels - 1][];
                for (int k = 0; k < levels - 1; k++) {
                    int len = in.readInt();
                    if (len < 0 || len > snapshot.length) throw new IllegalArgumentException("damaged tier chain snapshot");
                    states[k] = in.readNBytes(len);
                }
                Series s = c.new Series(name, states);
                s.lastT = lastT;
                c.series.put(name, s);
            }
            return c;
        } catch (IOException e) {
            throw new IllegalArgumentException("damaged tier chain snapshot: " + e.getMessage(), e);
        }
    }
}
