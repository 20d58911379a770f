package io.spindle.providers.store;

import io.spindle.codec.SampleBatch;
import io.spindle.codec.SampleBatchCodec;
import io.spindle.downsample.stream.StreamConfig;
import io.spindle.downsample.tier.TierConfig;
import io.spindle.lattice.transport.DurableStream;
import io.spindle.providers.Interfaces;
import io.spindle.providers.Provider;
import io.spindle.providers.ProviderContext;
import io.spindle.providers.Settings;
import io.spindle.providers.source.EventMessage;
import io.spindle.store.SeriesStore;
import io.spindle.store.StoreException;
import io.spindle.store.WriteBatch;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code spindle:store}: keeps what flows through the lattice's data stream. One consumer reads the stream in order:
 * raw sample batches ({@code <raw-prefix>.>}) go to the store's raw ring, the downsampling component's output
 * ({@code <tier0-prefix>.>}) is tier 0 and feeds the {@link TierChain} that builds tiers 1..levels-1, events
 * ({@code <events-prefix>.>}) go to the events table. Writes are grouped into transactions (every {@code commit-ms} or
 * {@code commit-rows}) that also store the last stream sequence and the tier chain's state, so a restart resumes at
 * the next message with the tiers exactly as an uninterrupted run leaves them (rows are idempotent, repeats skipped).
 * A failing commit is retried with backoff; the consumer waits meanwhile and nothing is acknowledged past the store.
 */
public final class StoreProvider implements Provider {
    public static final String URI = "uri", BUCKET_MS = "bucket-ms", TIER_FACTOR = "tier-factor", TIER_LEVELS = "tier-levels",
            RAW_MAX_MB = "raw-max-mb", RAW_MAX_AGE_S = "raw-max-age-s", COMMIT_MS = "commit-ms", COMMIT_ROWS = "commit-rows",
            RAW_PREFIX = "raw-prefix", TIER0_PREFIX = "tier0-prefix", EVENTS_PREFIX = "events-prefix";
    /** Every setting it reads. */
    public static final Set<String> KEYS = Set.of(URI, BUCKET_MS, TIER_FACTOR, TIER_LEVELS, RAW_MAX_MB, RAW_MAX_AGE_S, COMMIT_MS,
            COMMIT_ROWS, RAW_PREFIX, TIER0_PREFIX, EVENTS_PREFIX);
    private static final System.Logger LOG = System.getLogger("spindle.providers.store");

    private final String id;
    private final Map<String, String> config;
    private final SeriesStore store;
    private final TierConfig tiers;
    private final String rawPrefix, tier0Prefix, eventsPrefix, stateKey;
    private final long commitNanos;
    private final int commitRows;
    private final DurableStream stream;
    private final ReentrantLock lock = new ReentrantLock();
    private final SampleBatch in = new SampleBatch();
    private final TierChain chain;
    private final long[] one = new long[1];
    private final double[] oneV = new double[1];
    private final ScheduledExecutorService ticker;
    private final AtomicLong messages = new AtomicLong(), rawSamples = new AtomicLong(), tier0Points = new AtomicLong(),
            tierPoints = new AtomicLong(), eventCount = new AtomicLong(), refused = new AtomicLong(), commits = new AtomicLong(),
            commitFailures = new AtomicLong(), ignored = new AtomicLong();
    private volatile long committedSeq, newestTier0 = Long.MIN_VALUE, newestRaw = Long.MIN_VALUE;
    private volatile String lastError;
    private WriteBatch batch;
    private long pendingSeq, lastCommitAt = System.nanoTime();
    private final AutoCloseable consumer;
    private final long[] pendingTier0Max = new long[4096];
    private int pendingTier0;
    private final LatencyLog latency = new LatencyLog(1 << 16);
    private volatile boolean closed;

    /** Opens the store and starts consuming; IllegalArgumentException for bad settings, StoreException when the store fails. */
    public StoreProvider(ProviderContext ctx, StoreOpener opener) {
        this.id = ctx.id();
        this.config = ctx.config();
        List<String> problems = new ArrayList<>();
        for (String k : config.keySet())
            if (!KEYS.contains(k)) problems.add("unknown setting '" + k + "' (known: " + String.join(", ", new java.util.TreeSet<>(KEYS)) + ")");
        String data = ctx.subjects().dataSubjects();
        String base = data.substring(0, data.length() - 2);
        rawPrefix = config.getOrDefault(RAW_PREFIX, base + ".raw") + ".";
        tier0Prefix = config.getOrDefault(TIER0_PREFIX, base + ".lttb") + ".";
        eventsPrefix = config.getOrDefault(EVENTS_PREFIX, base + ".event") + ".";
        long bucketMs = Settings.integer(config, BUCKET_MS, 10, 1, 86_400_000L, problems);
        int factor = (int) Settings.integer(config, TIER_FACTOR, 4, 2, 100, problems);
        int levels = (int) Settings.integer(config, TIER_LEVELS, 6, 1, 16, problems);
        long rawMaxMb = Settings.integer(config, RAW_MAX_MB, 64, 0, 1 << 20, problems);
        long rawMaxAgeS = Settings.integer(config, RAW_MAX_AGE_S, 0, 0, 10L * 365 * 86400, problems);
        commitNanos = Settings.integer(config, COMMIT_MS, 200, 1, 60_000, problems) * 1_000_000L;
        commitRows = (int) Settings.integer(config, COMMIT_ROWS, 200_000, 1, 10_000_000, problems);
        String uri = config.get(URI);
        if (uri == null) {
            if (ctx.dataDir() == null) problems.add("uri is missing and the host has no data directory to put a SQLite file in");
            else uri = "sqlite:" + ctx.dataDir().resolve("store").resolve(id + ".db");
        }
        TierConfig tc = null;
        if (problems.isEmpty()) {
            try {
                tc = new TierConfig(StreamConfig.of(bucketMs * 1_000_000L), factor, levels, 0, 1);
            } catch (IllegalArgumentException e) {
                problems.add("tiers: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
        this.tiers = tc;
        this.stateKey = "store-provider/" + id;
        this.store = opener.open(uri, rawMaxMb * 1024 * 1024, rawMaxAgeS * 1_000_000_000L);
        try {
            byte[] state = store.state(stateKey);
            TierChain.Out out = this::tierPoint;
            if (state == null) {
                committedSeq = 0;
                chain = new TierChain(tiers, out);
            } else {
                DataInputStream d = new DataInputStream(new java.io.ByteArrayInputStream(state));
                committedSeq = d.readLong();
                byte[] snap = d.readAllBytes();
                chain = TierChain.restore(tiers, out, snap);
            }
        } catch (IOException | RuntimeException e) {
            store.close();
            throw new IllegalArgumentException("store " + store.location() + ": its state for provider " + id + " is unreadable: " + e.getMessage(), e);
        }
        this.stream = ctx.transport().stream(ctx.subjects().dataStream(), List.of(data));
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "spindle-store-" + id + "-commit");
            t.setDaemon(true);
            return t;
        });
        long tick = Math.max(1, commitNanos / 2_000_000);
        ticker.scheduleWithFixedDelay(this::idleCommit, tick, tick, TimeUnit.MILLISECONDS);
        consumer = stream.consume(data, committedSeq + 1, this::onMessage);
        LOG.log(System.Logger.Level.INFO, "store provider " + id + ": " + store.location() + ", resuming after stream sequence " + committedSeq);
    }

    /** Opens a store: uri, raw ring bytes bound per series (0: none), raw age bound in ns (0: none). */
    @FunctionalInterface
    public interface StoreOpener {
        SeriesStore open(String uri, long rawMaxBytes, long rawMaxAgeNanos);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String ref() {
        return Interfaces.STORE_PROVIDER;
    }

    @Override
    public Map<String, String> config() {
        return config;
    }

    @Override
    public List<String> checkLinkConfig(String iface, String peerId, Map<String, String> linkConfig) {
        return List.of("provider " + id + " (" + ref() + ") reads the data stream by itself and takes no links");
    }

    /** The store it writes (for queries in the same process). */
    public SeriesStore store() {
        return store;
    }

    /** The tier settings. */
    public TierConfig tiers() {
        return tiers;
    }

    /** Counters: messages, raw samples, tier-0 points, higher-tier points, events, refused messages, commits, lag. */
    public Stats stats() {
        long last = stream.lastSequence();
        return new Stats(messages.get(), rawSamples.get(), tier0Points.get(), tierPoints.get(), eventCount.get(), refused.get(),
                ignored.get(), commits.get(), commitFailures.get(), committedSeq, Math.max(0, last - committedSeq), newestRaw,
                newestTier0, lastError);
    }

    /** A snapshot of {@link #stats()}; backlog: stream messages not yet committed to the store. */
    public record Stats(long messages, long rawSamples, long tier0Points, long tierPoints, long events, long refused, long ignored,
                        long commits, long commitFailures, long committedSequence, long backlog, long newestRawNs,
                        long newestTier0Ns, String lastError) {
    }

    private void onMessage(long seq, String subject, byte[] data) {
        lock.lock();
        try {
            if (closed || seq <= pendingSeq || seq <= committedSeq) return;
            if (batch == null) batch = store.batch();
            try {
                if (subject.startsWith(rawPrefix)) {
                    SampleBatchCodec.decode(data, in);
                    batch.points(in.series(), SeriesStore.RAW, in.times(), in.values(), 0, in.count());
                    rawSamples.addAndGet(in.count());
                    if (in.count() > 0) newestRaw = Math.max(newestRaw, in.times()[in.count() - 1]);
                } else if (subject.startsWith(tier0Prefix)) {
                    SampleBatchCodec.decode(data, in);
                    batch.points(in.series(), 0, in.times(), in.values(), 0, in.count());
                    chain.add(in.series(), in.times(), in.values(), in.count());
                    tier0Points.addAndGet(in.count());
                    if (in.count() > 0) {
                        long last = in.times()[in.count() - 1];
                        newestTier0 = Math.max(newestTier0, last);
                        if (pendingTier0 < pendingTier0Max.length) pendingTier0Max[pendingTier0++] = last;
                    }
                } else if (subject.startsWith(eventsPrefix)) {
                    EventMessage e = EventMessage.decode(data);
                    batch.event(e.series(), e.tNanos(), e.value());
                    eventCount.incrementAndGet();
                } else {
                    ignored.incrementAndGet();
                }
            } catch (IllegalArgumentException e) {
                long n = refused.incrementAndGet();
                lastError = "message " + seq + " on " + subject + ": " + e.getMessage();
                if (n <= 10 || n % 1000 == 0)
                    LOG.log(System.Logger.Level.WARNING, "store provider " + id + ": refused " + lastError + " (" + n + " refused so far)");
            }
            pendingSeq = seq;
            messages.incrementAndGet();
            if (batch.size() >= commitRows || System.nanoTime() - lastCommitAt >= commitNanos) commitLocked();
        } finally {
            lock.unlock();
        }
    }

    private void tierPoint(String series, int tier, long t, double v) {
        one[0] = t;
        oneV[0] = v;
        batch.points(series, tier, one, oneV, 0, 1);
        tierPoints.incrementAndGet();
    }

    private void idleCommit() {
        if (closed || !lock.tryLock()) return;
        try {
            if (pendingSeq > committedSeq && System.nanoTime() - lastCommitAt >= commitNanos) commitLocked();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "store provider " + id + ": " + e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    /** Commits the pending batch with the stream position and the chain's state; retries until it succeeds or closes. */
    private void commitLocked() {
        if (pendingSeq <= committedSeq) return;
        byte[] state = state(pendingSeq);
        batch.state(stateKey, state);
        long backoff = 50;
        while (true) {
            try {
                batch.commit();
                break;
            } catch (StoreException e) {
                long n = commitFailures.incrementAndGet();
                lastError = "commit failed: " + e.getMessage();
                if (n <= 10 || n % 100 == 0)
                    LOG.log(System.Logger.Level.WARNING, "store provider " + id + ": " + lastError + "; retrying in " + backoff + " ms");
                if (closed) throw e;
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoff = Math.min(5_000, backoff * 2);
            }
        }
        committedSeq = pendingSeq;
        long nowEpoch = epochNanos();
        for (int i = 0; i < pendingTier0; i++) latency.record(nowEpoch - pendingTier0Max[i]);
        pendingTier0 = 0;
        commits.incrementAndGet();
        batch = null;
        lastCommitAt = System.nanoTime();
    }

    private static long epochNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /**
     * How late tier-0 points are stored: for each committed output message of the component, the commit's wall-clock
     * time minus the time of the message's newest point (meaningful when sample times are wall-clock times).
     */
    public LatencyLog tier0Latency() {
        return latency;
    }

    private byte[] state(long seq) {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            DataOutputStream o = new DataOutputStream(b);
            o.writeLong(seq);
            o.write(chain.snapshot());
            o.flush();
            return b.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops consuming, commits what is pending, closes the store. */
    @Override
    public void close() {
        if (closed) return;
        try { // the consumer first: a message in progress finishes (it holds the lock), no new one starts
            consumer.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "store provider " + id + ": closing the consumer: " + e);
        }
        ticker.shutdownNow();
        lock.lock();
        try {
            closed = true; // from here a failing commit is tried once, not retried
            if (batch != null) commitLocked();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "store provider " + id + ": final commit failed (the stream still holds the input): " + e.getMessage());
        } finally {
            lock.unlock();
            store.close();
        }
    }
}
