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
 * store reads. A publish that fails is retried (the source's thread waits: back-pressure to the machine connection)
 * until it succeeds or the provider stops, so nothing the source accepted is dropped while the host runs. Settings
 * besides the source's own:
 * <ul>
 *   <li>{@code publish-prefix}: default {@code spindle.data.<lattice>.raw};</li>
 *   <li>{@code events-prefix}: default {@code spindle.data.<lattice>.event};</li>
 *   <li>{@code batch}: most samples per message, default 4096;</li>
 *   <li>{@code linger-ms}: longest a sample waits for its batch to fill, default 50.</li>
 * </ul>
 */
public final class SourceProvider implements Provider {
    public static final String PUBLISH_PREFIX = "publish-prefix", EVENTS_PREFIX = "events-prefix", BATCH = "batch", LINGER_MS = "linger-ms";
    /** The settings this class reads; the rest belong to the source. */
    public static final Set<String> KEYS = Set.of(PUBLISH_PREFIX, EVENTS_PREFIX, BATCH, LINGER_MS);
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
    private final AtomicLong batches = new AtomicLong(), published = new AtomicLong(), wireBytes = new AtomicLong(),
            events = new AtomicLong(), rejected = new AtomicLong(), nonFinite = new AtomicLong(), publishRetries = new AtomicLong();
    private volatile String lastRejection;
    private volatile boolean closed, closing;

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
        if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
        Map<String, String> own = new HashMap<>(config);
        own.keySet().removeAll(KEYS);
        this.source = factory.apply(own); // IllegalArgumentException naming bad keys
        this.stream = ctx.transport().stream(ctx.subjects().dataStream(), List.of(data));
        this.batcher = new SeriesBatcher(batch, linger * 1_000_000L, this::publishBatch);
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "spindle-source-" + id + "-linger");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(this::flushDue, linger, Math.max(1, linger / 2), TimeUnit.MILLISECONDS);
        source.start(new Sink());
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

    /** Counters of the provider: batches and samples published, wire bytes, events, rejections, late samples. */
    public Stats stats() {
        long late;
        lock.lock();
        try {
            late = batcher.outOfOrder();
        } finally {
            lock.unlock();
        }
        return new Stats(batches.get(), published.get(), wireBytes.get(), events.get(), rejected.get(),
                late, publishRetries.get(), lastRejection);
    }

    /** A snapshot of {@link #stats()}. */
    public record Stats(long batches, long samples, long wireBytes, long events, long rejected, long outOfOrder,
                        long publishRetries, String lastRejection) {
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
        publishDurably(subject(publishPrefix, series), body);
        batches.incrementAndGet();
        published.addAndGet(n);
        wireBytes.addAndGet(len);
    }

    private void publishDurably(String subject, byte[] body) {
        long backoff = 10;
        while (true) {
            try {
                stream.publish(subject, body);
                return;
            } catch (RuntimeException e) {
                if (closing) throw new IllegalStateException("source " + id + " stopped with a batch for " + subject + " unpublished", e);
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
                publishDurably(subject(eventsPrefix, series), new EventMessage(series, tNanos, value).encode());
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

    /** Stops the source, then publishes what is batched. */
    @Override
    public void close() {
        if (closed) return;
        closing = true; // a publish failing from here on is not retried: the host is going away
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
    }
}
