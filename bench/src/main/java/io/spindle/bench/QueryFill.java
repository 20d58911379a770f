package io.spindle.bench;

import io.spindle.downsample.stream.PointSink;
import io.spindle.downsample.stream.StreamStats;
import io.spindle.downsample.stream.StreamingLttb;
import io.spindle.downsample.tier.TierConfig;
import io.spindle.sources.sim.ChannelGenerator;
import io.spindle.sources.sim.MachineSimulator;
import io.spindle.sources.sim.SimulatorConfig;
import io.spindle.store.SeriesStore;
import io.spindle.store.WriteBatch;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Fills a store with one simulated 10 kHz vibration series the way the edge pipeline does, only faster: every raw
 * sample goes through the real chain of streaming LTTB engines (tier 0 with bucket Δ0, tier k over tier k-1 with
 * Δ0·f^k) and the tier points are written with big {@link WriteBatch} commits; only the newest samples (the raw ring's
 * retention) are written as raw. Three threads in a pipeline, each step sequential as in production: the simulator
 * generates chunks, the chain downsamples them, the calling thread commits. Bounded queues of recycled buffers give
 * back-pressure and keep the hot path free of allocation.
 */
final class QueryFill {
    /** The simulated channel's rate. */
    static final int RATE_HZ = 10_000;
    /** Raw-ring tail written as raw: the newest ten minutes. */
    static final long RAW_TAIL_NANOS = 600_000_000_000L;
    /** Sample 0 of the series: 2026-01-01T00:00:00Z, fixed so that runs are comparable. */
    static final long START_NS = 1_767_225_600_000_000_000L;
    static final String SERIES = "bench/vib0";

    private static final int CHUNK = 8192, CHUNKS = 64;
    private static final int BLOCK_POINTS = 200_000, BLOCK_RAW = 1 << 20, BLOCKS = 3;

    private final SeriesStore store;
    private final TierConfig tiers;
    private final long samples;
    private final Consumer<String> progress;

    QueryFill(SeriesStore store, TierConfig tiers, long samples, Consumer<String> progress) {
        this.store = store;
        this.tiers = tiers;
        this.samples = samples;
        this.progress = progress;
    }

    /** A buffer of consecutive raw samples; n == 0 ends the stream. */
    private static final class Chunk {
        final long[] t = new long[CHUNK];
        final double[] v = new double[CHUNK];
        int n;
    }

    /** What the chain hands to the writer: new tier points, raw-tail samples, and how far the input got. */
    private static final class Block {
        final Column[] tier;
        final Column raw = new Column(CHUNK);
        long samplesThrough;
        boolean last;

        Block(int levels) {
            tier = new Column[levels];
            for (int k = 0; k < levels; k++) tier[k] = new Column(1024);
        }

        int points() {
            int s = 0;
            for (Column c : tier) s += c.n;
            return s;
        }

        void clear() {
            for (Column c : tier) c.n = 0;
            raw.n = 0;
            last = false;
        }
    }

    /** A growable pair of primitive arrays; grows rarely (amortised), never per point. */
    private static final class Column {
        long[] t;
        double[] v;
        int n;

        Column(int cap) {
            t = new long[cap];
            v = new double[cap];
        }

        void add(long tt, double vv) {
            if (n == t.length) {
                t = Arrays.copyOf(t, n * 2);
                v = Arrays.copyOf(v, n * 2);
            }
            t[n] = tt;
            v[n++] = vv;
        }

        void add(long[] ts, double[] vs, int from, int to) {
            int m = to - from;
            if (n + m > t.length) {
                int cap = Math.max(n + m, t.length * 2);
                t = Arrays.copyOf(t, cap);
                v = Arrays.copyOf(v, cap);
            }
            System.arraycopy(ts, from, t, n, m);
            System.arraycopy(vs, from, v, n, m);
            n += m;
        }
    }

    /** Runs the fill; the dataset is committed with the last points. BenchException when a step fails. */
    QueryDataset run() throws BenchException {
        MachineSimulator sim = new MachineSimulator(new SimulatorConfig("bench", 1, 1, RATE_HZ, false, START_NS, 10));
        ChannelGenerator gen = sim.generator(sim.vibrationChannel(0), START_NS);
        long lastNs = gen.timeOf(samples - 1);
        long rawFromNs = Math.max(START_NS, lastNs - RAW_TAIL_NANOS + 1);

        BlockingQueue<Chunk> freeChunks = new ArrayBlockingQueue<>(CHUNKS + 1), fullChunks = new ArrayBlockingQueue<>(CHUNKS + 1);
        for (int i = 0; i < CHUNKS; i++) freeChunks.add(new Chunk());
        BlockingQueue<Block> freeBlocks = new ArrayBlockingQueue<>(BLOCKS), fullBlocks = new ArrayBlockingQueue<>(BLOCKS);
        for (int i = 0; i < BLOCKS; i++) freeBlocks.add(new Block(tiers.levels()));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong generated = new AtomicLong();
        long[] emitted = new long[tiers.levels()];
        StreamStats[] engineStats = new StreamStats[tiers.levels()];

        Thread generator = new Thread(() -> {
            try {
                long left = samples;
                while (left > 0) {
                    Chunk c = freeChunks.take();
                    int n = (int) Math.min(CHUNK, left);
                    c.n = gen.next(c.t, c.v, n);
                    left -= n;
                    fullChunks.put(c);
                    generated.addAndGet(n);
                }
                Chunk end = freeChunks.take();
                end.n = 0;
                fullChunks.put(end);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }, "bench-query-generate");

        Thread chain = new Thread(() -> {
            try {
                Block[] cur = {freeBlocks.take()};
                StreamingLttb[] engines = new StreamingLttb[tiers.levels()];
                for (int k = tiers.levels() - 1; k >= 0; k--) {
                    int tier = k;
                    StreamingLttb next = k + 1 < engines.length ? engines[k + 1] : null;
                    engines[k] = new StreamingLttb(tiers.config(k), (PointSink) (t, v) -> {
                        cur[0].tier[tier].add(t, v);
                        emitted[tier]++;
                        if (next != null) next.add(t, v);
                    });
                }
                long through = 0;
                while (true) {
                    Chunk c = fullChunks.take();
                    if (c.n == 0) break;
                    engines[0].add(c.t, c.v, 0, c.n);
                    if (c.t[c.n - 1] >= rawFromNs) {
                        int i = 0;
                        while (c.t[i] < rawFromNs) i++;
                        cur[0].raw.add(c.t, c.v, i, c.n);
                    }
                    through += c.n;
                    freeChunks.put(c);
                    if (cur[0].points() >= BLOCK_POINTS || cur[0].raw.n >= BLOCK_RAW) {
                        cur[0].samplesThrough = through;
                        fullBlocks.put(cur[0]);
                        cur[0] = freeBlocks.take();
                    }
                }
                for (StreamingLttb e : engines) e.flush(); // lower tiers first: their last points feed the next
                for (int k = 0; k < engines.length; k++) engineStats[k] = engines[k].stats();
                cur[0].samplesThrough = through;
                cur[0].last = true;
                fullBlocks.put(cur[0]);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }, "bench-query-chain");

        long t0 = System.nanoTime();
        generator.setDaemon(true);
        chain.setDaemon(true);
        generator.start();
        chain.start();
        long stored = 0, rawStored = 0, through = 0, commits = 0, lastSay = t0;
        try {
            while (true) {
                Block b = fullBlocks.poll(200, TimeUnit.MILLISECONDS);
                Throwable f = failure.get();
                if (f != null) throw new BenchException("the fill failed: " + f, f);
                if (b == null) {
                    if (!generator.isAlive() && !chain.isAlive() && fullBlocks.isEmpty())
                        throw new BenchException("the fill's threads ended without finishing");
                } else {
                    WriteBatch batch = store.batch();
                    for (int k = 0; k < b.tier.length; k++) {
                        Column c = b.tier[k];
                        if (c.n > 0) batch.points(SERIES, k, c.t, c.v, 0, c.n);
                        stored += c.n;
                    }
                    if (b.raw.n > 0) batch.points(SERIES, SeriesStore.RAW, b.raw.t, b.raw.v, 0, b.raw.n);
                    rawStored += b.raw.n;
                    through = b.samplesThrough;
                    boolean last = b.last;
                    b.clear();
                    freeBlocks.put(b); // the batch copied the block: the chain may refill it while we commit
                    if (last) {
                        checkEngines(engineStats);
                        // the record goes into the same commit as the last points: a store that has it is complete
                        double secs = (System.nanoTime() - t0) / 1e9;
                        QueryDataset ds = new QueryDataset(SERIES, samples, RATE_HZ, START_NS, lastNs, tiers.bucketNanos(0),
                                tiers.factor(), tiers.levels(), emitted, rawStored, secs);
                        batch.state(QueryDataset.STATE_KEY, ds.toBytes());
                        batch.commit();
                        commits++;
                        double total = (System.nanoTime() - t0) / 1e9;
                        say("fill done: %,d samples in %.1f s = %.2f M samples/s; %,d tier points %s and %,d raw samples in %,d commits",
                                samples, total, samples / total / 1e6, stored, Arrays.toString(emitted), rawStored, commits);
                        verify(ds);
                        return new QueryDataset(SERIES, samples, RATE_HZ, START_NS, lastNs, tiers.bucketNanos(0),
                                tiers.factor(), tiers.levels(), emitted, rawStored, total);
                    }
                    batch.commit();
                    commits++;
                }
                long now = System.nanoTime();
                if (now - lastSay >= 2_000_000_000L) {
                    lastSay = now;
                    double secs = (now - t0) / 1e9, rate = through / secs;
                    say("fill %,d / %,d samples (%.1f%%) stored, %,d generated, %.2f M samples/s, %,d tier points, ETA %s",
                            through, samples, 100.0 * through / samples, generated.get(), rate / 1e6, stored,
                            rate > 0 ? String.format(Locale.ROOT, "%.0f s", (samples - through) / rate) : "?");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted during the fill", e);
        } catch (RuntimeException e) {
            throw new BenchException("the fill failed: " + e.getMessage(), e);
        } finally {
            generator.interrupt();
            chain.interrupt();
        }
    }

    /** Every sample must have been accepted: the generator's stream is in order, so lateness would be a bug. */
    private void checkEngines(StreamStats[] st) throws BenchException {
        StreamStats s0 = st[0];
        if (s0 == null) throw new BenchException("the chain ended without its counters");
        if (s0.accepted() != samples || s0.late() != 0 || s0.invalid() != 0)
            throw new BenchException("tier 0 accepted " + s0.accepted() + " of " + samples + " samples (late " + s0.late()
                    + ", invalid " + s0.invalid() + ")");
    }

    /** The store must hold exactly what the chain emitted. */
    private void verify(QueryDataset ds) throws BenchException {
        for (SeriesStore.SeriesInfo si : store.series()) {
            if (!si.series().equals(ds.series())) continue;
            long[] tc = si.tierCounts();
            for (int k = 0; k < ds.levels(); k++) {
                long have = k < tc.length ? tc[k] : 0;
                if (have != ds.tierPoints()[k])
                    throw new BenchException("the store holds " + have + " points of tier " + k + ", the chain emitted " + ds.tierPoints()[k]);
            }
            if (si.rawCount() != ds.rawSamples())
                throw new BenchException("the store's raw ring holds " + si.rawCount() + " samples, " + ds.rawSamples()
                        + " were written (is the raw retention smaller than the " + RAW_TAIL_NANOS / 60_000_000_000L + "-minute tail?)");
            return;
        }
        throw new BenchException("the store does not list series " + ds.series() + " after the fill");
    }

    private void say(String fmt, Object... args) {
        progress.accept("bench query: " + String.format(Locale.ROOT, fmt, args));
    }
}
