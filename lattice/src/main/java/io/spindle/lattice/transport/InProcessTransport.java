package io.spindle.lattice.transport;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The whole transport inside one JVM: NATS subject semantics, queue groups, request/reply, key-value buckets and
 * durable streams, for {@code spindle demo}, embedded hosts and tests.
 *
 * <h2>Delivery</h2>
 * Every subscription has its own bounded queue ({@link Options#subscriptionQueue}, default 65,536 messages) drained
 * by one task at a time on a shared pool of daemon dispatcher threads ({@code spindle-inproc-N}): per subscription,
 * messages are handled in publish order, one at a time; different subscriptions run in parallel. A handler that
 * throws is logged and counted ({@link #handlerErrors()}); delivery goes on. <b>Slow subscribers:</b> when a
 * subscription's queue is full, the publisher blocks up to {@link Options#publishBlock} (default 1 s) for room, then
 * the message is dropped for that subscription and counted ({@link #droppedMessages()}, logged on the first drop and
 * every 10,000th) - like a NATS slow consumer, the other subscribers still get it. A handler publishing to its own
 * full subscription does not wait (it would wait for itself): the message is dropped at once.
 * Queue groups: each message goes to one member of each group (round robin over the members whose pattern matches).
 * Request/reply fails at once with "no responders for SUBJECT" when no subscription matches.
 *
 * <h2>Key-value buckets and streams</h2>
 * In memory, or under a data directory (one per transport, locked against a second process) where each bucket and
 * stream is an append-only {@link RecordLog}: {@code kv/<bucket>.kv} and {@code streams/<name>.stream}.
 * <b>Guarantees:</b> a stream publish returns its sequence only after the record is forced to the device (fsync;
 * concurrent publishers share one fsync), and consumers only see forced records, so a sequence a consumer saw (and a
 * checkpoint may name) survives a SIGKILL and a power loss. With {@link Options#withStreamSync} the force happens on a
 * timer instead: a publish then survives a SIGKILL but a power loss may lose the last interval (and leave a
 * checkpoint pointing past the stream's end, which a consumer then resumes from). A bucket write reaches the OS before it returns, so it
 * survives a SIGKILL; it is forced to the device only with {@link Options#fsyncKv} (a power loss may otherwise roll
 * a bucket back to an older state - e.g. an older checkpoint, never one past the stream). A torn tail (a kill during
 * a write) is detected by a checksum and dropped when reopening. Streams keep the newest
 * {@link Options#streamMaxMessages} / {@link Options#streamMaxBytes} (discarding the oldest, as a NATS stream with
 * limits; the last message is always kept so sequences never go back); consuming from a discarded sequence starts
 * at the oldest kept one. Files are compacted when they grow past twice what is kept.
 * Publishing on a subject a stream captures stores it there too, as JetStream does.
 */
public final class InProcessTransport implements Transport {
    static final System.Logger LOG = System.getLogger("spindle.transport");

    /**
     * Settings. dataDir null: everything in memory. subscriptionQueue: messages buffered per subscription.
     * publishBlock: how long a publisher waits for room in a full subscription queue before dropping.
     * maxPayload: largest message (NATS's default is 1 MiB; the same here so what works in-process works on NATS).
     */
    public record Options(Path dataDir, int subscriptionQueue, Duration publishBlock, int maxPayload,
                          long streamMaxMessages, long streamMaxBytes, boolean fsyncKv, Duration streamSync) {
        public Options {
            if (subscriptionQueue < 1) throw new IllegalArgumentException("subscriptionQueue must be >= 1");
            Objects.requireNonNull(publishBlock, "publishBlock");
            if (maxPayload < 1) throw new IllegalArgumentException("maxPayload must be >= 1");
            if (streamMaxMessages < 1 || streamMaxBytes < 1) throw new IllegalArgumentException("stream limits must be >= 1");
            Objects.requireNonNull(streamSync, "streamSync");
            if (streamSync.isNegative()) throw new IllegalArgumentException("streamSync must be >= 0");
        }

        /** The options before streamSync existed: every stream publish forced to the device. */
        public Options(Path dataDir, int subscriptionQueue, Duration publishBlock, int maxPayload, long streamMaxMessages,
                       long streamMaxBytes, boolean fsyncKv) {
            this(dataDir, subscriptionQueue, publishBlock, maxPayload, streamMaxMessages, streamMaxBytes, fsyncKv, Duration.ZERO);
        }

        /** In memory, default limits. */
        public static Options inMemory() {
            return new Options(null, 65_536, Duration.ofSeconds(1), 1 << 20, 1_000_000, 256L << 20, false, Duration.ZERO);
        }

        /**
         * Streams forced to the device every interval instead of on every publish (ZERO, the default): a publish then
         * returns once the record reached the OS, which survives a SIGKILL of this process but not a power loss of the
         * last interval - JetStream's own default trade (it syncs every 2 minutes). An fsync costs milliseconds on
         * most disks, so a high-rate edge host takes this.
         */
        public Options withStreamSync(Duration interval) {
            return new Options(dataDir, subscriptionQueue, publishBlock, maxPayload, streamMaxMessages, streamMaxBytes, fsyncKv, interval);
        }

        /** Persistent under dataDir, default limits. */
        public static Options persistent(Path dataDir) {
            return inMemory().withDataDir(dataDir);
        }

        public Options withDataDir(Path dir) {
            return new Options(dir, subscriptionQueue, publishBlock, maxPayload, streamMaxMessages, streamMaxBytes, fsyncKv, streamSync);
        }

        public Options withSubscriptionQueue(int n, Duration block) {
            return new Options(dataDir, n, block, maxPayload, streamMaxMessages, streamMaxBytes, fsyncKv, streamSync);
        }

        public Options withStreamLimits(long maxMessages, long maxBytes) {
            return new Options(dataDir, subscriptionQueue, publishBlock, maxPayload, maxMessages, maxBytes, fsyncKv, streamSync);
        }

        public Options withFsyncKv(boolean fsync) {
            return new Options(dataDir, subscriptionQueue, publishBlock, maxPayload, streamMaxMessages, streamMaxBytes, fsync, streamSync);
        }

        public Options withMaxPayload(int bytes) {
            return new Options(dataDir, subscriptionQueue, publishBlock, bytes, streamMaxMessages, streamMaxBytes, fsyncKv, streamSync);
        }
    }

    private final Options options;
    private final String inboxPrefix = "_INBOX." + UUID.randomUUID().toString().replace("-", "") + ".";
    private final AtomicLong inboxCounter = new AtomicLong();
    private final CopyOnWriteArrayList<Sub> subs = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> groupCursors = new ConcurrentHashMap<>();
    private final Map<String, InProcessKv> buckets = new HashMap<>();
    private final Map<String, InProcessStream> streams = new HashMap<>();
    private final CopyOnWriteArrayList<InProcessStream> streamList = new CopyOnWriteArrayList<>();
    final ExecutorService pool;
    final ScheduledExecutorService timer;
    private final AtomicLong handlerErrors = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final FileChannel lockChannel;
    private final FileLock lock;
    private static final ThreadLocal<Sub> CURRENT = new ThreadLocal<>();

    /** Everything in memory. */
    public InProcessTransport() {
        this(Options.inMemory());
    }

    /** Buckets and streams persist under dataDir (created when missing). */
    public InProcessTransport(Path dataDir) {
        this(Options.persistent(dataDir));
    }

    public InProcessTransport(Options options) {
        this.options = Objects.requireNonNull(options, "options");
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "spindle-inproc-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), tf);
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "spindle-inproc-timer");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        this.timer = t;
        if (options.dataDir() != null) {
            try {
                Files.createDirectories(options.dataDir());
                lockChannel = FileChannel.open(options.dataDir().resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock l;
                try {
                    l = lockChannel.tryLock();
                } catch (OverlappingFileLockException e) {
                    l = null;
                }
                if (l == null) {
                    lockChannel.close();
                    throw new TransportException("data directory " + options.dataDir() + " is in use by another transport");
                }
                lock = l;
            } catch (IOException e) {
                shutdownPools();
                throw new TransportException("cannot open data directory " + options.dataDir() + ": " + e.getMessage(), e);
            }
        } else {
            lockChannel = null;
            lock = null;
        }
    }

    /** The settings. */
    public Options options() {
        return options;
    }

    /** Handler, watcher and consumer exceptions so far (each is also logged). */
    public long handlerErrors() {
        return handlerErrors.get();
    }

    /** Messages dropped because a subscription's queue stayed full (see the class comment). */
    public long droppedMessages() {
        return dropped.get();
    }

    void countHandlerError(String what, Throwable e) {
        long n = handlerErrors.incrementAndGet();
        LOG.log(System.Logger.Level.WARNING, what + " failed (" + n + " handler errors so far): " + e, e);
    }

    @Override
    public void publish(String subject, byte[] data) {
        publish(subject, null, data);
    }

    @Override
    public void publish(String subject, String replyTo, byte[] data) {
        checkOpen();
        SubjectMatcher.checkSubject(subject);
        if (replyTo != null) SubjectMatcher.checkSubject(replyTo);
        checkPayload(data);
        for (InProcessStream s : streamList) if (s.captures(subject)) s.store(subject, data);
        deliver(subject, replyTo, data);
    }

    void checkPayload(byte[] data) {
        Objects.requireNonNull(data, "data");
        if (data.length > options.maxPayload())
            throw new IllegalArgumentException("payload of " + data.length + " bytes exceeds the maximum of " + options.maxPayload());
    }

    /** Hands a message to every matching subscription (one member per queue group). */
    void deliver(String subject, String replyTo, byte[] data) {
        Msg msg = new Msg(subject, replyTo, data.clone());
        Map<String, List<Sub>> groups = null;
        for (Sub s : subs) {
            if (s.closed || !SubjectMatcher.matches(s.tokens, subject)) continue;
            if (s.queue == null) {
                s.offer(msg);
            } else {
                if (groups == null) groups = new HashMap<>(4);
                groups.computeIfAbsent(s.queue, k -> new ArrayList<>(4)).add(s);
            }
        }
        if (groups != null) {
            for (Map.Entry<String, List<Sub>> g : groups.entrySet()) {
                List<Sub> members = g.getValue();
                int i = Math.floorMod(groupCursors.computeIfAbsent(g.getKey(), k -> new AtomicInteger()).getAndIncrement(), members.size());
                members.get(i).offer(msg);
            }
        }
    }

    boolean hasInterest(String subject) {
        for (Sub s : subs) if (!s.closed && SubjectMatcher.matches(s.tokens, subject)) return true;
        return false;
    }

    @Override
    public Subscription subscribe(String subject, String queueGroup, MessageHandler handler) {
        checkOpen();
        SubjectMatcher.checkPattern(subject);
        if (queueGroup != null && (queueGroup.isEmpty() || !SubjectMatcher.isValid(queueGroup, false)))
            throw new IllegalArgumentException("invalid queue group '" + queueGroup + "'");
        Objects.requireNonNull(handler, "handler");
        Sub s = new Sub(subject, queueGroup, handler, false);
        subs.add(s);
        return s;
    }

    private Sub directSub(String subject, MessageHandler handler) {
        Sub s = new Sub(subject, null, handler, true);
        subs.add(s);
        return s;
    }

    @Override
    public CompletableFuture<Msg> request(String subject, byte[] data, Duration timeout) {
        checkOpen();
        SubjectMatcher.checkSubject(subject);
        checkPayload(data);
        CompletableFuture<Msg> f = new CompletableFuture<>();
        if (!hasInterest(subject)) {
            f.completeExceptionally(new TransportException("no responders for " + subject));
            return f;
        }
        long ms = Math.max(0, timeout.toMillis());
        // replies complete the future on the pool, so callers' continuations never run on the responder's thread
        Sub reply = directSub(newInbox(), m -> pool.execute(() -> f.complete(m)));
        ScheduledFuture<?> t = timer.schedule(() -> {
            f.completeExceptionally(new TransportException("request to " + subject + " timed out after " + ms + " ms"));
        }, ms, TimeUnit.MILLISECONDS);
        f.whenComplete((m, e) -> {
            reply.close();
            t.cancel(false);
        });
        publish(subject, reply.subject, data);
        return f;
    }

    @Override
    public List<Msg> requestMany(String subject, byte[] data, Duration window) {
        checkOpen();
        SubjectMatcher.checkSubject(subject);
        checkPayload(data);
        if (!hasInterest(subject)) return List.of();
        List<Msg> replies = new ArrayList<>();
        Sub reply = directSub(newInbox(), m -> {
            synchronized (replies) {
                replies.add(m);
            }
        });
        try {
            publish(subject, reply.subject, data);
            Thread.sleep(Math.max(0, window.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            reply.close();
        }
        synchronized (replies) {
            return List.copyOf(replies);
        }
    }

    @Override
    public String newInbox() {
        return inboxPrefix + inboxCounter.incrementAndGet();
    }

    @Override
    public synchronized KeyValueBucket keyValue(String bucket) {
        checkOpen();
        checkName("bucket", bucket);
        InProcessKv kv = buckets.get(bucket);
        if (kv == null) {
            Path file = options.dataDir() == null ? null : options.dataDir().resolve("kv").resolve(bucket + ".kv");
            kv = new InProcessKv(this, bucket, file, options.fsyncKv());
            buckets.put(bucket, kv);
        }
        return kv;
    }

    @Override
    public synchronized DurableStream stream(String name, List<String> subjects) {
        checkOpen();
        checkName("stream", name);
        InProcessStream s = streams.get(name);
        if (s == null) {
            if (subjects == null || subjects.isEmpty()) throw new IllegalArgumentException("stream " + name + " needs subjects");
            for (String subj : subjects) SubjectMatcher.checkPattern(subj);
            Path file = options.dataDir() == null ? null : options.dataDir().resolve("streams").resolve(name + ".stream");
            s = new InProcessStream(this, name, List.copyOf(subjects), file, options.streamMaxMessages(), options.streamMaxBytes(),
                    !options.streamSync().isZero());
            streams.put(name, s);
            streamList.add(s);
            if (file != null && !options.streamSync().isZero()) {
                InProcessStream st = s;
                long ms = Math.max(1, options.streamSync().toMillis());
                timer.scheduleWithFixedDelay(st::syncNow, ms, ms, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        }
        return s;
    }

    static void checkName(String what, String name) {
        if (name == null || !name.matches("[A-Za-z0-9_-]{1,128}"))
            throw new IllegalArgumentException(what + " name must be 1-128 of [A-Za-z0-9_-], got '" + name + "'");
    }

    /** In-process, publish hands a message to the subscribers' queues before returning: nothing to wait for. */
    @Override
    public void flush(Duration timeout) {
        checkOpen();
    }

    @Override
    public String describe() {
        return options.dataDir() == null ? "in-process" : "in-process (" + options.dataDir() + ")";
    }

    void checkOpen() {
        if (closed.get()) throw new TransportException("transport closed");
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Stops delivery, consumers and watches, and closes the files; queued messages are discarded. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        for (Sub s : subs) s.close();
        List<InProcessKv> kvs;
        List<InProcessStream> ss;
        synchronized (this) {
            kvs = List.copyOf(buckets.values());
            ss = List.copyOf(streams.values());
        }
        for (InProcessStream s : ss) s.shutdown();
        for (InProcessKv k : kvs) k.shutdown();
        shutdownPools();
        try {
            if (lock != null) lock.release();
            if (lockChannel != null) lockChannel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the data directory lock: " + e);
        }
    }

    private void shutdownPools() {
        pool.shutdown();
        timer.shutdownNow();
    }

    /** A subscription: a bounded queue drained by at most one pool task at a time. */
    private final class Sub implements Subscription {
        final String subject;
        final String[] tokens;
        final String queue;
        final MessageHandler handler;
        final boolean direct;
        final ArrayBlockingQueue<Msg> q;
        final AtomicBoolean scheduled = new AtomicBoolean();
        final AtomicLong subDropped = new AtomicLong();
        volatile boolean closed;

        Sub(String subject, String queue, MessageHandler handler, boolean direct) {
            this.subject = subject;
            this.tokens = SubjectMatcher.tokens(subject);
            this.queue = queue;
            this.handler = handler;
            this.direct = direct;
            this.q = direct ? null : new ArrayBlockingQueue<>(options.subscriptionQueue());
        }

        @Override
        public String subject() {
            return subject;
        }

        void offer(Msg m) {
            if (direct) {
                try {
                    handler.onMessage(m);
                } catch (Exception e) {
                    countHandlerError("reply handler on " + subject, e);
                }
                return;
            }
            boolean ok = q.offer(m);
            if (!ok && CURRENT.get() != this && options.publishBlock().toNanos() > 0) {
                try {
                    ok = q.offer(m, options.publishBlock().toNanos(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (!ok) {
                long n = subDropped.incrementAndGet();
                dropped.incrementAndGet();
                if (n == 1 || n % 10_000 == 0)
                    LOG.log(System.Logger.Level.WARNING, "slow subscriber on " + subject + ": queue of " + options.subscriptionQueue()
                            + " full, " + n + " messages dropped so far");
            }
            schedule();
        }

        void schedule() {
            if (!closed && scheduled.compareAndSet(false, true)) {
                try {
                    pool.execute(this::drain);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    scheduled.set(false); // transport closing
                }
            }
        }

        void drain() {
            CURRENT.set(this);
            try {
                int n = 0;
                Msg m;
                while (!closed && n < 512 && (m = q.poll()) != null) {
                    n++;
                    try {
                        handler.onMessage(m);
                    } catch (Exception | LinkageError | AssertionError e) {
                        countHandlerError("handler on " + subject, e);
                    }
                }
            } finally {
                CURRENT.remove();
                scheduled.set(false);
            }
            if (!closed && !q.isEmpty()) schedule(); // yield the thread between batches: fairness
        }

        @Override
        public void close() {
            closed = true;
            subs.remove(this);
            if (q != null) q.clear();
        }
    }
}
