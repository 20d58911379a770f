package io.spindle.providers.source;

import io.spindle.codec.SampleBatchCodec;
import io.spindle.lattice.transport.DurableStream;
import io.spindle.lattice.transport.SubjectMatcher;
import io.spindle.providers.MessagingProvider;
import io.spindle.providers.Provider;
import io.spindle.providers.ProviderContext;
import io.spindle.providers.Settings;
import io.spindle.sources.Source;
import io.spindle.sources.SourceCounters;
import io.spindle.sources.SourceSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A machine-data source run as a provider: what the {@link Source} reads is batched per series and appended to the
 * lattice's durable data stream, samples on {@code <publish-prefix>.<series>} (sample batch encoding) and change-only
 * events on {@code <events-prefix>.<series>} ({@link EventMessage}), where messaging providers feed components and the
 * store reads. Batches go through a bounded {@link Spool} (files under the host's data directory, else memory) that one
 * thread publishes in order, so the source keeps being read while the stream is unreachable (an edge cut off from the
 * cloud); past the bound, and with the spool disabled, the source's thread waits (back-pressure to the machine
 * connection) until publishing succeeds or the provider stops, so nothing the source accepted is dropped while the
 * host runs. Settings besides the source's own:
 * <ul>
 *   <li>{@code publish-prefix}: default {@code spindle.data.<lattice>.raw};</li>
 *   <li>{@code events-prefix}: default {@code spindle.data.<lattice>.event};</li>
 *   <li>{@code batch}: most samples per message, default 4096;</li>
 *   <li>{@code linger-ms}: longest a sample waits for its batch to fill, default 50;</li>
 *   <li>{@code spool-max-mb}: bound of the spool, default 256 (32 in memory); 0 publishes from the source's thread.</li>
 * </ul>
 */
public final class SourceProvider implements Provider {
    public static final String PUBLISH_PREFIX = "publish-prefix", EVENTS_PREFIX = "events-prefix", BATCH = "batch", LINGER_MS = "linger-ms",
            SPOOL_MAX_MB = "spool-max-mb";
    /** The settings this class reads; the rest belong to the source. */
    public static final Set<String> KEYS = Set.of(PUBLISH_PREFIX, EVENTS_PREFIX, BATCH, LINGER_MS, SPOOL_MAX_MB);
    /**
     * A stop waits for the spool to be published while that progresses: it gives up after CLOSE_STALL without a batch
     * published, or after CLOSE_DRAIN in all, and leaves the rest on disk (drops it in memory).
     */
    static final Duration CLOSE_STALL = Duration.ofSeconds(2), CLOSE_DRAIN = Duration.ofSeconds(30);
    /** Without a spool, a publish taking longer than this counts as time the source was blocked. */
    private static final long STALL_NANOS = 100_000_000L;
    private static final System.Logger LOG = System.getLogger("spindle.providers.source");

    private final String id;
    private final String ref;
    private final Map<String, String> config;
    private final Source source;
    private final DurableStream stream;
    private final String publishPrefix, eventsPrefix;
    private final ReentrantLock lock = new ReentrantLock();
    private final SeriesBatcher batcher;
    private final SampleBatchCodec codec = new SampleBatchCodec();
    private final Map<String, String> subjectOf = new HashMap<>();
    private final ScheduledExecutorService ticker;
    private final Spool spool; // null: disabled
    private final long spoolMb;
    private final Thread drainer;
    private final AtomicLong batches = new AtomicLong(), published = new AtomicLong(), wireBytes = new AtomicLong(),
            events = new AtomicLong(), rejected = new AtomicLong(), nonFinite = new AtomicLong(), publishRetries = new AtomicLong();
    private volatile String lastRejection;
    private final AtomicLong blockedNanos = new AtomicLong();
    private volatile long lastOutOfOrder;
    private volatile boolean closed, closing, drainerStop;

    /**
     * Starts source as provider ctx.id() of kind ref; sourceKeys: the keys the source's own config accepts (a key
     * neither it nor this class knows is refused by the source's factory, which gets the config without this class's keys).
     */
    public SourceProvider(ProviderContext ctx, String ref, java.util.function.Function<Map<String, String>, Source> factory) {
        this.id = ctx.id();
        this.ref = ref;
        this.config = ctx.config();
        String data = ctx.subjects().dataSubjects(); // spindle.data.<lattice>.>
        String base = data.substring(0, data.length() - 2);
        this.publishPrefix = config.getOrDefault(PUBLISH_PREFIX, base + ".raw");
        this.eventsPrefix = config.getOrDefault(EVENTS_PREFIX, base + ".event");
        List<String> problems = new ArrayList<>();
        for (String[] p : new String[][] {{PUBLISH_PREFIX, publishPrefix}, {EVENTS_PREFIX, eventsPrefix}})
            if (!SubjectMatcher.isValid(p[1], false) || !SubjectMatcher.matches(data, p[1] + ".x"))
                problems.add(p[0] + " '" + p[1] + "' must be a subject in the lattice's data subjects " + data);
        int batch = (int) Settings.integer(config, BATCH, 4096, 1, 1 << 20, problems);
        int linger = (int) Settings.integer(config, LINGER_MS, 50, 1, 60_000, problems);
        // in memory (no data directory) the spool takes heap: a smaller default
        this.spoolMb = Settings.integer(config, SPOOL_MAX_MB, ctx.dataDir() == null ? 32 : 256, 0, 1 << 20, problems);
        if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
        Map<String, String> own = new HashMap<>(config);
        own.keySet().removeAll(KEYS);
        this.source = factory.apply(own); // IllegalArgumentException naming bad keys
        this.stream = ctx.transport().stream(ctx.subjects().dataStream(), List.of(data));
        Path spoolDir = ctx.dataDir() == null ? null : ctx.dataDir().resolve("spool").resolve(id);
        try {
            this.spool = spoolMb == 0 ? null : new Spool(spoolDir, spoolMb << 20);
        } catch (IOException e) {
            throw new UncheckedIOException("source " + id + ": cannot open its spool in " + spoolDir + ": " + e.getMessage(), e);
        }
        if (spool != null) {
            drainer = new Thread(this::drain, "spindle-source-" + id + "-spool");
            drainer.setDaemon(true);
            drainer.start();
        } else drainer = null;
        this.batcher = new SeriesBatcher(batch, linger * 1_000_000L, this::publishBatch);
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "spindle-source-" + id + "-linger");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(this::flushDue, linger, Math.max(1, linger / 2), TimeUnit.MILLISECONDS);
        try {
            source.start(new Sink());
        } catch (RuntimeException e) { // nothing of a provider that did not start stays behind: thread, timer, spool files
            ticker.shutdownNow();
            drainerStop = true;
            if (drainer != null) drainer.interrupt();
            if (spool != null) spool.close();
            throw e;
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String ref() {
        return ref;
    }

    @Override
    public Map<String, String> config() {
        return config;
    }

    @Override
    public List<String> checkLinkConfig(String iface, String peerId, Map<String, String> linkConfig) {
        return List.of("provider " + id + " (" + ref + ") publishes into the data stream (" + publishPrefix
                + ".>) and takes no links; link a spindle:messaging provider to the component instead");
    }

    /** The source's own counters. */
    public SourceCounters counters() {
        return source.counters();
    }

    /** The source. */
    public Source source() {
        return source;
    }

    /**
     * Counters of the provider: batches and samples handed on (to the spool, or published when there is none), wire
     * bytes, events, rejections, late samples, publish retries, and the spool's.
     */
    public Stats stats() {
        long late = lastOutOfOrder;
        if (lock.tryLock()) { // held for long by a source waiting for room in the spool: stats must not wait for it
            try {
                late = lastOutOfOrder = batcher.outOfOrder();
            } finally {
                lock.unlock();
            }
        }
        Spool.Counters sc = spool == null ? new Spool.Counters(0, 0, 0, 0, 0, 0, 0, 0) : spool.counters();
        return new Stats(batches.get(), published.get(), wireBytes.get(), events.get(), rejected.get(),
                late, publishRetries.get(), lastRejection, spoolMode(), sc.batches(), sc.bytes(), sc.maxBytes(),
                sc.spooled(), sc.drained(), (sc.blockedNanos() + blockedNanos.get()) / 1_000_000, sc.restored(), sc.lost());
    }

    /**
     * A snapshot of {@link #stats()}. spool: {@code disk}, {@code memory} or {@code off}; spoolBatches and spoolBytes:
     * waiting now; spoolMaxBytes: the most that waited; spooled and drained: batches into and out of the spool so far;
     * blockedMs: time the source's thread waited (spool full; without a spool, publishes over 100 ms); spoolRestored: batches
     * found on disk at start (left by the last run); spoolLost: batches dropped at stop (memory spool only).
     */
    public record Stats(long batches, long samples, long wireBytes, long events, long rejected, long outOfOrder,
                        long publishRetries, String lastRejection, String spool, long spoolBatches, long spoolBytes,
                        long spoolMaxBytes, long spooled, long drained, long blockedMs, long spoolRestored, long spoolLost) {
    }

    private String spoolMode() {
        return spool == null ? "off" : spool.onDisk() ? "disk" : "memory";
    }

    /** One line for status displays: what was published and the spool's state. */
    public String describe() {
        Stats s = stats();
        return "source " + id + " (" + ref + ", " + source.name() + "): " + s.samples() + " samples in " + s.batches()
                + " batches, " + s.events() + " events; spool " + s.spool()
                + (spool == null ? "" : " " + s.spoolBatches() + " batches / " + s.spoolBytes() + " bytes waiting (most "
                + s.spoolMaxBytes() + " of " + spoolMb + " MB), " + s.drained()
                + " drained, " + s.spoolRestored() + " restored, " + s.spoolLost() + " lost")
                + "; blocked " + s.blockedMs() + " ms, " + s.publishRetries() + " publish retries";
    }

    private void flushDue() {
        if (closed) return;
        lock.lock();
        try {
            batcher.flushDue(System.nanoTime(), false);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "source " + id + ": flushing failed: " + e);
        } finally {
            lock.unlock();
        }
    }

    private String subject(String prefix, String series) {
        return subjectOf.computeIfAbsent(prefix + "\u0000" + series, k -> prefix + "." + MessagingProvider.seriesSubject(series));
    }

    /** Called under the lock by the batcher. */
    private void publishBatch(String series, long[] t, double[] v, int n) {
        int len = codec.encode(series, t, v, 0, n);
        byte[] body = java.util.Arrays.copyOf(codec.buffer(), len);
        publish(subject(publishPrefix, series), body);
        batches.incrementAndGet();
        published.addAndGet(n);
        wireBytes.addAndGet(len);
    }

    /** Hands a publish on: into the spool (waiting while it is full), or published from this thread without one. */
    private void publish(String subject, byte[] body) {
        if (spool == null) {
            long t0 = System.nanoTime();
            try {
                publishDurably(subject, body);
            } finally {
                long took = System.nanoTime() - t0;
                if (took > STALL_NANOS) blockedNanos.addAndGet(took); // a stall, not a round trip
            }
            return;
        }
        try {
            spool.put(subject, body, closing);
        } catch (InterruptedException e) {
            // a source stopping interrupts its thread, possibly while it waits for room: the batch was accepted, so it
            // goes in over the bound
            try {
                spool.putOverBound(subject, body);
            } finally {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The spool's one publisher: oldest first, each retried until it is stored, so order per subject is kept. */
    private void drain() {
        long backoff = 100;
        while (!drainerStop) {
            try {
                Spool.Entry e = spool.next(Duration.ofMillis(200));
                if (e == null) continue;
                publishDurably(e.subject(), e.body());
                spool.done(e);
                backoff = 100;
            } catch (InterruptedException e) {
                return; // stopping
            } catch (RuntimeException e) {
                if (drainerStop) return;
                // a damaged segment or a disk error must not end publishing for good: the source would block forever
                LOG.log(System.Logger.Level.ERROR, "source " + id + ": the spool's publisher failed (" + e + "); retrying in " + backoff + " ms", e);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = Math.min(5_000, backoff * 2);
            }
        }
    }

    private void publishDurably(String subject, byte[] body) {
        long backoff = 10;
        while (true) {
            try {
                stream.publish(subject, body);
                return;
            } catch (RuntimeException e) {
                if (drainerStop || (closing && spool == null))
                    throw new IllegalStateException("source " + id + " stopped with a batch for " + subject + " unpublished", e);
                long n = publishRetries.incrementAndGet();
                if (n == 1 || n % 100 == 0)
                    LOG.log(System.Logger.Level.WARNING, "source " + id + ": publishing on " + subject + " failed (" + e.getMessage()
                            + "); retrying in " + backoff + " ms (" + n + " retries so far)");
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted with a batch for " + subject + " unpublished", e);
                }
                backoff = Math.min(2_000, backoff * 2);
            }
        }
    }

    private void reject(String input, String reason) {
        long n = rejected.incrementAndGet();
        lastRejection = input + ": " + reason;
        if (n <= 10 || n % 1000 == 0)
            LOG.log(System.Logger.Level.WARNING, "source " + id + " (" + source.name() + "): refused " + input + ": " + reason
                    + " (" + n + " refused so far)");
    }

    /** Where the source delivers: validates, batches, publishes. */
    private final class Sink implements SourceSink {
        @Override
        public void sample(String series, long tNanos, double value) {
            if (!Double.isFinite(value)) {
                nonFinite.incrementAndGet();
                reject("sample of " + series + " at " + tNanos, "value " + value + " is not a finite number");
                return;
            }
            lock.lock();
            try {
                batcher.add(series, tNanos, value, System.nanoTime());
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void samples(String series, long[] t, double[] v, int count) {
            boolean allFinite = true;
            for (int i = 0; i < count; i++) allFinite &= Double.isFinite(v[i]);
            lock.lock();
            try {
                long now = System.nanoTime();
                if (allFinite) {
                    batcher.addAll(series, t, v, count, now);
                    return;
                }
                for (int i = 0; i < count; i++) {
                    if (Double.isFinite(v[i])) batcher.add(series, t[i], v[i], now);
                    else {
                        nonFinite.incrementAndGet();
                        reject("sample of " + series + " at " + t[i], "value " + v[i] + " is not a finite number");
                    }
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void event(String series, long tNanos, String value) {
            lock.lock();
            try {
                batcher.flush(series); // the series' samples before its event, as the source delivered them
                publish(subject(eventsPrefix, series), new EventMessage(series, tNanos, value).encode());
                events.incrementAndGet();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void stale(String series, long tNanos) {
            event(series, tNanos, "STALE");
        }

        @Override
        public void rejected(String sourceName, String input, String reason) {
            reject(input, reason);
        }
    }

    /**
     * Stops the source, then hands on what is batched; with a spool, waits for it to be published while that progresses
     * ({@link #CLOSE_STALL}, {@link #CLOSE_DRAIN}) and leaves the rest on disk for the next run with the same id and
     * data directory (lost in memory).
     */
    @Override
    public void close() {
        if (closed) return;
        closing = true; // without a spool, a publish failing from here on is not retried: the host is going away
        source.close();
        ticker.shutdownNow();
        lock.lock();
        try {
            batcher.flushDue(System.nanoTime(), true);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "source " + id + ": final flush failed: " + e.getMessage());
        } finally {
            closed = true;
            lock.unlock();
        }
        if (spool == null) return;
        try {
            long end = System.nanoTime() + CLOSE_DRAIN.toNanos();
            for (long before = -1, now = spool.counters().drained(); now != before && System.nanoTime() < end;
                 before = now, now = spool.counters().drained())
                if (spool.awaitEmpty(CLOSE_STALL)) break;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drainerStop = true;
        drainer.interrupt(); // a publish in flight stays in the spool (it may be stored twice: consumers de-duplicate)
        try {
            drainer.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        spool.close();
    }
}
