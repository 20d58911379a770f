package io.spindle.lattice.transport;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Consumer;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.JetStream;
import io.nats.client.PublishOptions;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamStatusException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueWatcher;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.NatsKeyValueWatchSubscription;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The transport on a real nats-server (2.9 or newer) with JetStream, through jnats.
 *
 * <h2>Connection</h2>
 * Connects to a list of servers, named for the server's monitoring; reconnects forever (backoff 100 ms doubling to
 * 2 s), buffering publishes while disconnected (jnats's 8 MB reconnect buffer); connection events and errors are
 * logged ({@code spindle.transport}). Core subscriptions are re-established by jnats on reconnect.
 *
 * <h2>Delivery</h2>
 * Each subscription has its own jnats Dispatcher (one thread): per subscription, messages are handled one at a time
 * in order; subscriptions run in parallel. A handler exception is logged and counted. {@link #subscribe} returns once
 * the server has the subscription (a flush, when connected), so a publish from any connection after it is seen.
 * Slow subscribers: when a subscription's pending messages exceed jnats's limits (512k messages or 64 MB) messages
 * are dropped and counted by jnats (logged here as a slow consumer), as the server does for a slow connection.
 *
 * <h2>Buckets and streams</h2>
 * JetStream KV (history 1, file storage) and streams (file storage), created when missing. A stream publish returns
 * once the server's PubAck arrives (the server stored it; with its default sync interval the server itself forces to
 * disk every 2 minutes, see nats-server's {@code sync_interval}). Consuming and watching use ordered push consumers
 * (ephemeral, flow-controlled); a handler that throws gets the same message again after a backoff (100 ms doubling to
 * 2 s) without acknowledging, later messages wait, so order is kept; the caller's checkpoint is the durable position.
 * After a reconnect every consume and watch is restarted from the position after the last message it handled (no
 * duplicates, nothing skipped), also when the server was restarted and its ephemeral consumers are gone.
 */
public final class NatsTransport implements Transport {
    private static final System.Logger LOG = System.getLogger("spindle.transport");
    private static final int JS_NOT_FOUND = 10059; // stream not found
    private static final int JS_STREAM_NAME_IN_USE = 10058;
    private static final int JS_WRONG_LAST_SEQUENCE = 10071;

    private final Connection conn;
    private final String description;
    private final JetStream js;
    private final JetStreamManagement jsm;
    private final KeyValueManagement kvm;
    private final ScheduledExecutorService timer;
    private final ExecutorService restarter;
    private final Map<String, NatsKv> buckets = new ConcurrentHashMap<>();
    private final Map<String, NatsStream> streams = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Restartable> restartables = new CopyOnWriteArrayList<>();
    private final AtomicLong handlerErrors = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Unique per transport instance: with a counter, the JetStream message id of each stream publish. */
    private final String publisherId = java.util.UUID.randomUUID().toString();
    private final java.util.concurrent.atomic.AtomicLong publishCounter = new java.util.concurrent.atomic.AtomicLong();

    private interface Restartable {
        /** Replaces the consumer by a new one from the position after the last message handled; false to retry. */
        boolean restart();
    }

    /** Connects to servers (e.g. {@code nats://127.0.0.1:4222}; a comma-separated list is allowed). */
    public static NatsTransport connect(String servers, String connectionName) {
        return connect(List.of(servers.split("\\s*,\\s*")), connectionName, Duration.ofSeconds(5));
    }

    /** Connects to the first reachable of servers within connectTimeout; fails with a TransportException otherwise. */
    public static NatsTransport connect(List<String> servers, String connectionName, Duration connectTimeout) {
        return connect(servers, connectionName, NatsConnectOptions.defaults().withConnectTimeout(connectTimeout));
    }

    /**
     * Connects with credentials and TLS as options say; a bad option (missing file, plaintext URL under require-TLS)
     * is an IllegalArgumentException naming it, a refused connection a TransportException naming the reason.
     */
    public static NatsTransport connect(List<String> servers, String connectionName, NatsConnectOptions options) {
        if (servers.isEmpty()) throw new IllegalArgumentException("no NATS server given");
        return new NatsTransport(servers, connectionName, options);
    }

    private NatsTransport(List<String> servers, String connectionName, NatsConnectOptions auth) {
        // jnats reports why a connect attempt failed only to the error listener; kept to explain the failure
        List<Throwable> lastError = new java.util.concurrent.CopyOnWriteArrayList<>();
        this.description = String.join(",", servers);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "spindle-nats-timer");
            t.setDaemon(true);
            return t;
        });
        this.restarter = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "spindle-nats-resume");
            t.setDaemon(true);
            return t;
        });
        Options.Builder builder;
        try {
            builder = NatsSecurity.apply(Options.builder(), servers, auth);
        } catch (RuntimeException e) {
            shutdownExecutors();
            throw e;
        }
        Options options = builder
                .servers(servers.toArray(String[]::new))
                .connectionName(connectionName)
                .connectionTimeout(auth.connectTimeout())
                .maxReconnects(-1)
                .reconnectDelayHandler(tries -> Duration.ofMillis(Math.min(2000, 100L << Math.min(5, tries))))
                .reportNoResponders()
                .errorListener(new LoggingErrorListener(lastError))
                .connectionListener(this::connectionEvent)
                .build();
        try {
            this.conn = Nats.connect(options);
            this.js = conn.jetStream();
            this.jsm = conn.jetStreamManagement();
            this.kvm = conn.keyValueManagement();
        } catch (IOException e) {
            shutdownExecutors();
            throw new TransportException("cannot connect to NATS at " + description + ": " + NatsSecurity.explain(e, lastError, auth), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutdownExecutors();
            throw new TransportException("interrupted while connecting to NATS at " + description, e);
        }
    }

    private void connectionEvent(Connection c, ConnectionListener.Events type) {
        System.Logger.Level level = switch (type) {
            case DISCONNECTED, LAME_DUCK -> System.Logger.Level.WARNING;
            case CLOSED -> closed.get() ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING; // ours: expected
            case CONNECTED -> System.Logger.Level.DEBUG; // the caller reports where it connected
            default -> System.Logger.Level.INFO;
        };
        LOG.log(level, "NATS " + description + ": " + type.getEvent()
                + (c != null && c.getConnectedUrl() != null ? " (" + c.getConnectedUrl() + ")" : ""));
        if (type == ConnectionListener.Events.RECONNECTED && !closed.get()) {
            try {
                List<Restartable> all = List.copyOf(restartables);
                restarter.execute(() -> resume(all, 0));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing
            }
        }
    }

    /** Restarts consumers and watches after a reconnect; those that fail (JetStream not ready yet) are retried. */
    private void resume(List<Restartable> list, int attempt) {
        List<Restartable> failed = new ArrayList<>();
        for (Restartable r : list) if (restartables.contains(r) && !r.restart()) failed.add(r);
        if (failed.isEmpty() || closed.get()) return;
        try {
            timer.schedule(() -> restarter.execute(() -> resume(failed, attempt + 1)), backoff(attempt).toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    private static final class LoggingErrorListener implements ErrorListener {
        private final List<Throwable> errors;

        /** errors: the first few errors reported (why a first connect failed), for the failure message. */
        LoggingErrorListener(List<Throwable> errors) {
            this.errors = errors;
        }

        private void keep(Throwable t) {
            if (errors.size() < 16) errors.add(t);
        }

        @Override
        public void errorOccurred(Connection conn, String error) {
            keep(new IOException(error));
            LOG.log(System.Logger.Level.WARNING, "NATS error: " + error);
        }

        @Override
        public void exceptionOccurred(Connection conn, Exception exp) {
            keep(exp);
            Throwable cause = exp instanceof java.util.concurrent.ExecutionException && exp.getCause() != null ? exp.getCause() : exp;
            if (cause instanceof IOException || cause instanceof java.util.concurrent.TimeoutException)
                LOG.log(System.Logger.Level.WARNING, "NATS connection: " + cause);
            else if (exp instanceof IOException) LOG.log(System.Logger.Level.WARNING, "NATS connection: " + exp);
            else LOG.log(System.Logger.Level.WARNING, "NATS exception: " + exp, exp);
        }

        @Override
        public void slowConsumerDetected(Connection conn, Consumer consumer) {
            LOG.log(System.Logger.Level.WARNING, "NATS slow consumer: " + consumer.getDroppedCount() + " messages dropped so far");
        }

        @Override
        public void heartbeatAlarm(Connection conn, JetStreamSubscription sub, long lastStreamSequence, long lastConsumerSequence) {
            LOG.log(System.Logger.Level.DEBUG, "NATS heartbeat alarm on " + sub.getSubject() + " after stream sequence " + lastStreamSequence);
        }
    }

    /** Handler, watcher and consumer exceptions so far (each is also logged). */
    public long handlerErrors() {
        return handlerErrors.get();
    }

    /** The underlying jnats connection (for diagnostics). */
    public Connection connection() {
        return conn;
    }

    private void countHandlerError(String what, Throwable e) {
        long n = handlerErrors.incrementAndGet();
        LOG.log(System.Logger.Level.WARNING, what + " failed (" + n + " handler errors so far): " + e, e);
    }

    private void checkOpen() {
        if (closed.get()) throw new TransportException("transport closed");
    }

    @Override
    public void publish(String subject, byte[] data) {
        publish(subject, null, data);
    }

    @Override
    public void publish(String subject, String replyTo, byte[] data) {
        checkOpen();
        SubjectMatcher.checkSubject(subject);
        Objects.requireNonNull(data, "data");
        try {
            conn.publish(subject, replyTo, data);
        } catch (IllegalStateException e) {
            throw new TransportException("publish to " + subject + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Subscription subscribe(String subject, String queueGroup, MessageHandler handler) {
        checkOpen();
        SubjectMatcher.checkPattern(subject);
        Objects.requireNonNull(handler, "handler");
        Dispatcher d = conn.createDispatcher();
        io.nats.client.MessageHandler h = m -> {
            try {
                handler.onMessage(new Msg(m.getSubject(), m.getReplyTo(), m.getData() == null ? new byte[0] : m.getData()));
            } catch (Exception | LinkageError | AssertionError e) {
                countHandlerError("handler on " + subject, e);
            }
        };
        if (queueGroup == null) d.subscribe(subject, h);
        else d.subscribe(subject, queueGroup, h);
        flushQuietly();
        return new Subscription() {
            private final AtomicBoolean done = new AtomicBoolean();

            @Override
            public String subject() {
                return subject;
            }

            @Override
            public void close() {
                if (done.compareAndSet(false, true) && !closed.get()) {
                    try {
                        conn.closeDispatcher(d);
                    } catch (IllegalStateException e) {
                        // connection closed
                    }
                }
            }
        };
    }

    private void flushQuietly() {
        if (conn.getStatus() != Connection.Status.CONNECTED) return;
        try {
            conn.flush(Duration.ofSeconds(2));
        } catch (TimeoutException | IllegalStateException e) {
            // disconnected meanwhile: jnats sends the subscription on reconnect
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public CompletableFuture<Msg> request(String subject, byte[] data, Duration timeout) {
        checkOpen();
        SubjectMatcher.checkSubject(subject);
        CompletableFuture<Msg> result = new CompletableFuture<>();
        long ms = Math.max(0, timeout.toMillis());
        CompletableFuture<Message> f;
        try {
            // jnats's own timeout is only checked every few seconds: ours is precise, jnats's is the backstop
            f = conn.requestWithTimeout(subject, data, timeout.plusSeconds(5));
        } catch (IllegalStateException e) {
            result.completeExceptionally(new TransportException("request to " + subject + ": " + e.getMessage(), e));
            return result;
        }
        ScheduledFuture<?> t = timer.schedule(() -> {
            if (result.completeExceptionally(new TransportException("request to " + subject + " timed out after " + ms + " ms")))
                f.cancel(true);
        }, ms, TimeUnit.MILLISECONDS);
        f.whenComplete((m, e) -> {
            t.cancel(false);
            if (e == null) {
                result.complete(new Msg(m.getSubject(), m.getReplyTo(), m.getData() == null ? new byte[0] : m.getData()));
                return;
            }
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof JetStreamStatusException s && s.getStatus() != null && s.getStatus().getCode() == 503)
                result.completeExceptionally(new TransportException("no responders for " + subject));
            else if (cause instanceof CancellationException)
                result.completeExceptionally(new TransportException("request to " + subject + " timed out after " + ms + " ms"));
            else
                result.completeExceptionally(new TransportException("request to " + subject + " failed: " + cause, cause));
        });
        return result;
    }

    @Override
    public List<Msg> requestMany(String subject, byte[] data, Duration window) {
        checkOpen();
        SubjectMatcher.checkSubject(subject);
        String inbox = conn.createInbox();
        io.nats.client.Subscription sub = conn.subscribe(inbox);
        List<Msg> replies = new ArrayList<>();
        try {
            conn.publish(subject, inbox, data);
            long end = System.nanoTime() + window.toNanos();
            while (true) {
                long left = end - System.nanoTime();
                if (left <= 0) break;
                Message m = sub.nextMessage(Duration.ofNanos(left));
                if (m == null) continue;
                if (m.isStatusMessage()) {
                    if (m.getStatus().getCode() == 503) break; // no responders: nobody will answer
                    continue;
                }
                replies.add(new Msg(m.getSubject(), m.getReplyTo(), m.getData() == null ? new byte[0] : m.getData()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalStateException e) {
            throw new TransportException("request to " + subject + ": " + e.getMessage(), e);
        } finally {
            try {
                sub.unsubscribe();
            } catch (IllegalStateException e) {
                // connection closed
            }
        }
        return replies;
    }

    @Override
    public String newInbox() {
        return conn.createInbox();
    }

    @Override
    public KeyValueBucket keyValue(String bucket) {
        checkOpen();
        InProcessTransport.checkName("bucket", bucket);
        return buckets.computeIfAbsent(bucket, this::openBucket);
    }

    private NatsKv openBucket(String bucket) {
        try {
            try {
                kvm.getStatus(bucket);
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() != JS_NOT_FOUND) throw e;
                try {
                    kvm.create(KeyValueConfiguration.builder().name(bucket).maxHistoryPerKey(1).storageType(StorageType.File).build());
                } catch (JetStreamApiException e2) {
                    if (e2.getApiErrorCode() != JS_STREAM_NAME_IN_USE) throw e2; // someone else created it meanwhile
                }
            }
            return new NatsKv(bucket, conn.keyValue(bucket));
        } catch (IOException | JetStreamApiException e) {
            throw new TransportException("cannot open bucket " + bucket + ": " + e.getMessage(), e);
        }
    }

    @Override
    public DurableStream stream(String name, List<String> subjects) {
        checkOpen();
        InProcessTransport.checkName("stream", name);
        if (subjects == null || subjects.isEmpty()) throw new IllegalArgumentException("stream " + name + " needs subjects");
        for (String s : subjects) SubjectMatcher.checkPattern(s);
        return streams.computeIfAbsent(name, n -> openStream(n, subjects));
    }

    private NatsStream openStream(String name, List<String> subjects) {
        try {
            List<String> captured = subjects;
            try {
                captured = jsm.getStreamInfo(name).getConfiguration().getSubjects();
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() != JS_NOT_FOUND) throw e;
                try {
                    jsm.addStream(StreamConfiguration.builder().name(name).subjects(subjects).storageType(StorageType.File).build());
                } catch (JetStreamApiException e2) {
                    if (e2.getApiErrorCode() != JS_STREAM_NAME_IN_USE) throw e2;
                }
            }
            return new NatsStream(name, List.copyOf(captured));
        } catch (IOException | JetStreamApiException e) {
            throw new TransportException("cannot open stream " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void flush(Duration timeout) {
        checkOpen();
        try {
            conn.flush(timeout);
        } catch (TimeoutException e) {
            throw new TransportException("flush to " + description + " timed out after " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("flush interrupted", e);
        }
    }

    @Override
    public String describe() {
        return description;
    }

    /** Stops consumers and watches, and closes the connection (pending publishes are flushed first, up to 2 s). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        shutdownExecutors();
        try {
            if (conn.getStatus() == Connection.Status.CONNECTED) conn.flush(Duration.ofSeconds(2));
        } catch (TimeoutException | IllegalStateException e) {
            // closing anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            conn.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void shutdownExecutors() {
        timer.shutdownNow();
        restarter.shutdownNow();
    }

    private static TransportException failure(String what, Exception e) {
        if (e instanceof InterruptedException) Thread.currentThread().interrupt();
        return new TransportException(what + ": " + e.getMessage(), e);
    }

    /** A JetStream call that may fail while the server is (re)starting. */
    private interface JsCall<T> {
        T call() throws IOException, JetStreamApiException, InterruptedException;
    }

    /** How long idempotent KV calls keep retrying while JetStream is not ready (e.g. right after a server restart). */
    static final Duration JS_READY_WAIT = Duration.ofSeconds(15);

    /**
     * Runs an idempotent call, retrying with backoff while JetStream times out or is unavailable (503), for at most
     * {@link #JS_READY_WAIT}: after a server restart, JetStream recovers its streams for a few seconds.
     */
    private <T> T idempotent(String what, JsCall<T> call) {
        return idempotent(what, JS_READY_WAIT, call);
    }

    /** How long a stream publish keeps retrying (same message id, so never stored twice): a producer waits out a restart. */
    static final Duration PUBLISH_WAIT = Duration.ofSeconds(60);

    private <T> T idempotent(String what, Duration wait, JsCall<T> call) {
        long deadline = System.nanoTime() + wait.toNanos();
        for (int attempt = 0; ; attempt++) {
            try {
                return call.call();
            } catch (IOException | JetStreamApiException | InterruptedException e) {
                boolean transientFailure = e instanceof IOException
                        || (e instanceof JetStreamApiException j && j.getErrorCode() == 503);
                if (!transientFailure || closed.get() || System.nanoTime() - deadline > 0) throw failure(what, e);
                try {
                    Thread.sleep(backoff(attempt).toMillis());
                } catch (InterruptedException ie) {
                    throw failure(what, ie);
                }
            }
        }
    }

    private static Duration backoff(int attempt) {
        return Duration.ofMillis(Math.min(2000, 100L << Math.min(5, attempt)));
    }

    private final class NatsKv implements KeyValueBucket {
        private final String name;
        private final KeyValue kv;

        NatsKv(String name, KeyValue kv) {
            this.name = name;
            this.kv = kv;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public long put(String key, byte[] value) {
            InProcessKv.checkKey(key);
            checkOpen();
            return idempotent("bucket " + name + ": put " + key, () -> kv.put(key, value));
        }

        @Override
        public long update(String key, byte[] value, long expectedRevision) {
            InProcessKv.checkKey(key);
            checkOpen();
            try {
                return expectedRevision == 0 ? kv.create(key, value) : kv.update(key, value, expectedRevision);
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() == JS_WRONG_LAST_SEQUENCE) return -1;
                throw failure("bucket " + name + ": update " + key, e);
            } catch (IOException e) {
                throw failure("bucket " + name + ": update " + key, e);
            }
        }

        @Override
        public Optional<KvEntry> get(String key) {
            InProcessKv.checkKey(key);
            checkOpen();
            KeyValueEntry e = idempotent("bucket " + name + ": get " + key, () -> kv.get(key));
            if (e == null || e.getOperation() != KeyValueOperation.PUT) return Optional.empty();
            return Optional.of(entry(e));
        }

        private KvEntry entry(KeyValueEntry e) {
            boolean deleted = e.getOperation() != KeyValueOperation.PUT;
            byte[] v = deleted || e.getValue() == null ? new byte[0] : e.getValue();
            return new KvEntry(name, e.getKey(), v, e.getRevision(), deleted);
        }

        @Override
        public void delete(String key) {
            InProcessKv.checkKey(key);
            checkOpen();
            idempotent("bucket " + name + ": delete " + key, () -> {
                kv.delete(key);
                return null;
            });
        }

        @Override
        public List<String> keys() {
            checkOpen();
            List<String> keys = new ArrayList<>(idempotent("bucket " + name + ": keys", kv::keys));
            keys.sort(null);
            return keys;
        }

        @Override
        public AutoCloseable watch(KvWatcher watcher) {
            checkOpen();
            Objects.requireNonNull(watcher, "watcher");
            Watch w = new Watch(watcher);
            w.start(0);
            restartables.add(w);
            return w;
        }

        /**
         * Adapts jnats's watch: the initial phase skips delete markers (watchers get the current entries), then
         * everything; entries at or below the last revision delivered are skipped (a restarted watch may repeat).
         */
        private final class Watch implements KeyValueWatcher, AutoCloseable, Restartable {
            private final KvWatcher watcher;
            private volatile NatsKeyValueWatchSubscription sub;
            private volatile boolean caughtUp, resumed, done;
            private long lastRevision; // touched on the watch's dispatcher thread only (and read when restarting)

            Watch(KvWatcher watcher) {
                this.watcher = watcher;
            }

            void start(long fromRevision) {
                try {
                    sub = fromRevision > 0 ? kv.watchAll(this, fromRevision) : kv.watchAll(this);
                } catch (IOException | JetStreamApiException | InterruptedException e) {
                    throw failure("bucket " + name + ": watch", e);
                }
            }

            @Override
            public synchronized boolean restart() {
                if (done) return true;
                closeSub();
                resumed = true; // from here on deletes pass even before caughtUp: they may delete keys delivered before
                try {
                    start(lastRevision + 1);
                    LOG.log(System.Logger.Level.INFO, "bucket " + name + ": watch resumed after revision " + lastRevision);
                    return true;
                } catch (TransportException e) {
                    LOG.log(System.Logger.Level.WARNING, "bucket " + name + ": cannot resume the watch yet: " + e.getMessage());
                    return false;
                }
            }

            @Override
            public synchronized void watch(KeyValueEntry e) {
                if (done || e.getRevision() <= lastRevision) return;
                if (!caughtUp && !resumed && e.getOperation() != KeyValueOperation.PUT) return;
                lastRevision = e.getRevision();
                try {
                    watcher.onEntry(entry(e));
                } catch (RuntimeException | LinkageError | AssertionError ex) {
                    countHandlerError("watcher of bucket " + name, ex);
                }
            }

            @Override
            public synchronized void endOfData() {
                if (done || caughtUp) return;
                caughtUp = true;
                try {
                    watcher.caughtUp();
                } catch (RuntimeException | LinkageError | AssertionError ex) {
                    countHandlerError("watcher of bucket " + name, ex);
                }
            }

            private void closeSub() {
                NatsKeyValueWatchSubscription s = sub;
                if (s == null) return;
                try {
                    s.unsubscribe();
                } catch (RuntimeException e) {
                    // connection closed or already gone
                }
            }

            @Override
            public void close() {
                done = true;
                restartables.remove(this);
                if (!closed.get()) closeSub();
            }
        }
    }

    private final class NatsStream implements DurableStream {
        private final String name;
        private final List<String> subjects;

        NatsStream(String name, List<String> subjects) {
            this.name = name;
            this.subjects = subjects;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public long publish(String subject, byte[] data) {
            checkOpen();
            SubjectMatcher.checkSubject(subject);
            // refused here, at once: JetStream would answer "no responders", which also means "not up yet" and is retried
            if (subjects.stream().noneMatch(p -> SubjectMatcher.matches(p, subject)))
                throw new TransportException("stream " + name + " does not capture subject " + subject + " (its subjects: "
                        + String.join(", ", subjects) + ")");
            // A message id makes a retry after a lost PubAck idempotent: JetStream drops the duplicate (within its
            // duplicate window, 2 min by default) and acks with the original sequence.
            PublishOptions opts = PublishOptions.builder().messageId(publisherId + "-" + publishCounter.incrementAndGet()).build();
            try {
                PublishAck ack = idempotent("stream " + name + ": publish to " + subject, PUBLISH_WAIT, () -> js.publish(subject, data, opts));
                if (!name.equals(ack.getStream()))
                    throw new TransportException("subject " + subject + " was stored by stream " + ack.getStream() + ", not " + name);
                return ack.getSeqno();
            } catch (IllegalStateException e) {
                throw new TransportException("stream " + name + ": publish to " + subject + ": " + e.getMessage(), e);
            }
        }

        @Override
        public long lastSequence() {
            checkOpen();
            try {
                return jsm.getStreamInfo(name).getStreamState().getLastSequence();
            } catch (IOException | JetStreamApiException e) {
                throw failure("stream " + name + ": info", e);
            }
        }

        @Override
        public AutoCloseable consume(String filter, long fromSequence, StreamHandler handler) {
            checkOpen();
            String f = filter == null || filter.isEmpty() ? null : SubjectMatcher.checkPattern(filter);
            Objects.requireNonNull(handler, "handler");
            Consume c = new Consume(f, Math.max(1, fromSequence), handler);
            c.start();
            restartables.add(c);
            return c;
        }

        /** One consumer: an ordered push consumer on its own dispatcher, restarted after reconnects. */
        private final class Consume implements AutoCloseable, Restartable {
            private final String filter;
            private final StreamHandler handler;
            private final CountDownLatch closedLatch = new CountDownLatch(1);
            private final java.util.concurrent.locks.ReentrantLock handling = new java.util.concurrent.locks.ReentrantLock();
            private volatile long next;
            private volatile boolean done;
            private volatile int generation;
            private Dispatcher dispatcher;

            Consume(String filter, long from, StreamHandler handler) {
                this.filter = filter;
                this.next = from;
                this.handler = handler;
            }

            synchronized void start() {
                Dispatcher d = conn.createDispatcher();
                ConsumerConfiguration.Builder cc = ConsumerConfiguration.builder()
                        .deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(next)
                        .idleHeartbeat(Duration.ofSeconds(1));
                if (filter != null) cc.filterSubject(filter);
                PushSubscribeOptions pso = PushSubscribeOptions.builder().stream(name).ordered(true).configuration(cc.build()).build();
                int g = ++generation;
                try {
                    js.subscribe(filter, d, m -> onMessage(m, g), false, pso);
                } catch (IOException | JetStreamApiException | RuntimeException e) {
                    conn.closeDispatcher(d);
                    throw failure("stream " + name + ": consume from " + next, e);
                }
                dispatcher = d;
            }

            /** On the dispatcher of generation g; a replaced generation stops, the lock keeps handling one at a time. */
            private void onMessage(Message m, int g) throws InterruptedException {
                handling.lock();
                try {
                    deliver(m, g);
                } finally {
                    handling.unlock();
                }
            }

            private void deliver(Message m, int g) throws InterruptedException {
                long seq = m.metaData().streamSequence();
                if (done || g != generation || seq < next) return; // a restarted consumer may repeat what was handled
                byte[] data = m.getData() == null ? new byte[0] : m.getData();
                for (int attempt = 0; !done && g == generation; attempt++) {
                    try {
                        handler.onMessage(seq, m.getSubject(), data);
                        next = seq + 1;
                        return;
                    } catch (InterruptedException e) {
                        if (done) return;
                        countHandlerError("consumer of stream " + name + " at sequence " + seq, e);
                    } catch (Exception | LinkageError | AssertionError e) {
                        countHandlerError("consumer of stream " + name + " at sequence " + seq
                                + " (redelivered in " + backoff(attempt).toMillis() + " ms)", e);
                    }
                    if (closedLatch.await(backoff(attempt).toMillis(), TimeUnit.MILLISECONDS)) return;
                }
            }

            @Override
            public synchronized boolean restart() {
                if (done) return true;
                generation++; // the old dispatcher's thread stops retrying and delivers nothing more
                // Wait for a handler still running on the old dispatcher: closing a dispatcher interrupts its thread,
                // and an interrupted handler (a Wasm call, a publish) would fail half-way.
                handling.lock();
                try {
                    Dispatcher old = dispatcher;
                    dispatcher = null;
                    if (old != null) closeDispatcher(old);
                } finally {
                    handling.unlock();
                }
                try {
                    start();
                    LOG.log(System.Logger.Level.INFO, "stream " + name + ": consumer resumed at sequence " + next);
                    return true;
                } catch (TransportException e) {
                    LOG.log(System.Logger.Level.WARNING, "stream " + name + ": cannot resume the consumer yet: " + e.getMessage());
                    return false;
                }
            }

            private void closeDispatcher(Dispatcher d) {
                try {
                    conn.closeDispatcher(d);
                } catch (RuntimeException e) {
                    // connection closed
                }
            }

            @Override
            public void close() {
                done = true;
                closedLatch.countDown();
                restartables.remove(this);
                Dispatcher d;
                synchronized (this) {
                    d = dispatcher;
                    dispatcher = null;
                }
                if (d != null && !closed.get()) closeDispatcher(d);
            }
        }
    }
}
