package io.spindle.sources.opcua;

import io.spindle.sources.Source;
import io.spindle.sources.SourceCounters;
import io.spindle.sources.SourceSink;
import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.SessionActivityListener;
import org.eclipse.milo.opcua.sdk.client.UaSession;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;

/**
 * An OPC UA client source (Eclipse Milo): monitors the configured nodes in one subscription and delivers numeric values
 * as samples stamped with their source timestamps, everything else as change-only events. It reconnects by itself:
 * Milo re-activates the session or opens a new one and transfers the subscription; when the server has lost it
 * (restart) the subscription and all monitored items are created again.
 */
public final class OpcUaSource implements Source {
    private static final System.Logger LOG = System.getLogger("spindle.sources.opcua");
    static final long MIN_BACKOFF_MS = 200;
    static final long MAX_BACKOFF_MS = 10_000;
    // Milo retries a lost session itself (waits of 1..16 s); past this, start over with discovery and a fresh client
    static final long REBUILD_AFTER_MS = 45_000;

    private final OpcUaSourceConfig config;
    private final String name;
    private final SourceCounters counters = new SourceCounters();
    private final Object deliveryLock = new Object();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean everActive = new AtomicBoolean();
    private final ScheduledExecutorService supervisor;
    private final ExecutorService io;
    private final ScheduledExecutorService timer;
    private final Listener listener = new Listener();
    private MonitoredNode[] nodes = new MonitoredNode[0]; // set by start, then read under deliveryLock or by supervisor
    private boolean closed; // guarded by deliveryLock: no sink call after close() has set it
    // the supervisor thread's state (close() reads it after the supervisor has stopped)
    private volatile OpcUaClient client;
    private OpcUaSubscription subscription;
    private volatile ClientSecurity security; // opened at the first connect when a security policy is set
    private long backoffMs = MIN_BACKOFF_MS;

    /** A source for the config; nothing happens before {@link #start}. */
    public OpcUaSource(OpcUaSourceConfig config) {
        this.config = config;
        URI uri = OpcUaSourceConfig.endpointUri(config.endpoint());
        this.name = "opcua:" + config.device() + "@" + config.host() + ":" + config.port() + uri.getRawPath();
        String threads = "opcua-" + config.device();
        // after close, Milo's state machines may still hand over a task or two: those are dropped, not thrown
        var dropLate = new ThreadPoolExecutor.DiscardPolicy();
        this.supervisor = new ScheduledThreadPoolExecutor(1, new NamedThreadFactory(threads + "-supervisor"));
        // Milo's callbacks and request completions; some of them block on others, so the pool is not bounded
        this.io = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                new NamedThreadFactory(threads + "-io"), dropLate);
        this.timer = new ScheduledThreadPoolExecutor(2, new NamedThreadFactory(threads + "-timer"), dropLate);
    }

    /** A source from link config (keys: see {@link OpcUaSourceConfig#fromMap}); bad keys throw IllegalArgumentException. */
    public static OpcUaSource fromConfig(Map<String, String> config) {
        return new OpcUaSource(OpcUaSourceConfig.fromMap(config));
    }

    /** The config this source runs with. */
    public OpcUaSourceConfig config() {
        return config;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public SourceCounters counters() {
        return counters;
    }

    @Override
    public void start(SourceSink sink) {
        if (sink == null) throw new IllegalArgumentException("sink is null");
        if (!started.compareAndSet(false, true)) throw new IllegalStateException(name + ": already started");
        synchronized (deliveryLock) {
            if (closed) return;
            List<NodeSpec> specs = config.nodes();
            MonitoredNode[] created = new MonitoredNode[specs.size()];
            for (int i = 0; i < created.length; i++) created[i] = new MonitoredNode(specs.get(i), name, sink, counters);
            nodes = created;
        }
        submit(this::connect);
    }

    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) return;
        synchronized (deliveryLock) {
            closed = true;
        }
        supervisor.shutdownNow();
        awaitQuietly(supervisor, 5_000);
        OpcUaClient c = client;
        client = null;
        if (c != null) disconnectQuietly(c);
        ClientSecurity sec = security;
        if (sec != null) sec.close();
        io.shutdown();
        timer.shutdownNow();
        awaitQuietly(io, 2_000);
        counters.connected(false);
    }

    // --- supervisor thread ---

    private void connect() {
        if (isClosed()) return;
        OpcUaClient c = null;
        try {
            if (security == null && !"None".equals(config.securityPolicy())) security = ClientSecurity.open(config.pkiDir());
            c = ClientFactory.create(config, security, io, timer, counters.bytes);
            c.addSessionActivityListener(new SessionWatcher(c));
            client = c;
            c.connect();
            if (isClosed()) {
                disconnectQuietly(c);
                return;
            }
            backoffMs = MIN_BACKOFF_MS;
            ensureSubscribed();
        } catch (UaException | IOException | GeneralSecurityException | RuntimeException e) {
            if (isClosed()) return;
            String message = "connect to " + config.endpoint() + " failed: " + describe(e) + trustHint(e);
            counters.connected(false);
            counters.lastError(message);
            LOG.log(System.Logger.Level.WARNING, "{0}: {1}; retry in {2} ms", name, message, backoffMs);
            if (c != null) disconnectQuietly(c);
            client = null;
            schedule(this::connect, backoffMs);
            backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        }
    }

    /** Creates the subscription when there is none on the server (first connect, restart, timeout); else nothing. */
    private void ensureSubscribed() {
        OpcUaClient c = client;
        if (isClosed() || c == null) return;
        OpcUaSubscription current = subscription;
        if (current != null && current.getSyncState() != OpcUaSubscription.SyncState.INITIAL) return;
        try {
            MonitoredNode[] all;
            synchronized (deliveryLock) {
                all = nodes;
            }
            subscription = NodeSubscriber.subscribe(c, config, List.of(all), listener, deliveryLock, name);
        } catch (UaException | RuntimeException e) {
            if (isClosed() || c != client) return;
            String message = "subscribe failed: " + describe(e);
            counters.lastError(message);
            LOG.log(System.Logger.Level.WARNING, "{0}: {1}; retry in {2} ms", name, message, backoffMs);
            schedule(this::ensureSubscribed, backoffMs);
            backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        }
    }

    private void rebuildIfStillDown(OpcUaClient owner, SessionWatcher watcher, long lostAt) {
        // a check left from an earlier outage must not cut a later one short
        if (isClosed() || owner != client || watcher.active || watcher.lostAt != lostAt) return;
        LOG.log(System.Logger.Level.WARNING, "{0}: no session for {1} s; starting over with endpoint discovery",
                name, REBUILD_AFTER_MS / 1000);
        client = null;
        subscription = null;
        disconnectQuietly(owner);
        connect();
    }

    // --- helpers ---

    private boolean isClosed() {
        synchronized (deliveryLock) {
            return closed;
        }
    }

    private void submit(Runnable task) {
        try {
            supervisor.execute(task);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    private void schedule(Runnable task, long delayMs) {
        try {
            supervisor.schedule(task, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    private static void disconnectQuietly(OpcUaClient c) {
        try {
            c.disconnectAsync().get(3, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
        }
    }

    private static void awaitQuietly(ExecutorService executor, long ms) {
        try {
            executor.awaitTermination(ms, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // a refused secure channel is usually a certificate nobody has trusted yet: say where to look
    private String trustHint(Throwable e) {
        if (config.pkiDir() == null) return "";
        long code = UaException.extract(e).map(ua -> ua.getStatusCode().value() & 0xFFFF_0000L).orElse(0L);
        String status = Variants.statusName(new StatusCode(code));
        if (!status.equals("Bad_SecurityChecksFailed") && !status.startsWith("Bad_Certificate")) return "";
        return " (the server must trust the client certificate in " + config.pkiDir().resolve(ClientSecurity.KEYSTORE)
                + "; a refused server certificate is in " + config.pkiDir().resolve("rejected")
                + ", move it to " + config.pkiDir().resolve("trusted/certs") + " to trust it)";
    }

    /** The status name (if any) and the innermost cause's message, without wrapper noise. */
    static String describe(Throwable e) {
        UaException ua = null;
        Throwable root = e;
        for (int depth = 0; depth < 32; depth++) {
            if (root instanceof UaException u) ua = u;
            Throwable cause = root.getCause();
            if (cause == null || cause == root) break;
            root = cause;
        }
        String message = root.getMessage();
        if (root instanceof UaException u && (message == null || message.startsWith("status="))) {
            return Variants.statusText(u.getStatusCode());
        }
        String detail = message == null ? root.getClass().getSimpleName()
                : message.replaceFirst("^([\\w$]+\\.)+[\\w$]*(Exception|Error): ", "");
        return ua == null ? root.getClass().getSimpleName() + ": " + detail : Variants.statusName(ua.getStatusCode()) + ": " + detail;
    }

    /** Follows one client's session: connection state, reconnect count, stale marks, re-subscription. */
    private final class SessionWatcher implements SessionActivityListener {
        private final OpcUaClient owner;
        private volatile boolean active;
        private volatile long lostAt;

        SessionWatcher(OpcUaClient owner) {
            this.owner = owner;
        }

        @Override
        public void onSessionActive(UaSession session) {
            if (owner != client) return;
            active = true;
            counters.connected(true);
            if (!everActive.compareAndSet(false, true)) {
                counters.reconnects.incrementAndGet();
                LOG.log(System.Logger.Level.INFO, "{0}: session re-established", name);
            }
            // a transferred subscription is kept; one the server no longer has is created again
            submit(OpcUaSource.this::ensureSubscribed);
        }

        @Override
        public void onSessionInactive(UaSession session) {
            if (owner != client) return;
            active = false;
            counters.connected(false);
            counters.lastError("session to " + config.endpoint() + " lost");
            LOG.log(System.Logger.Level.WARNING, "{0}: session lost; reconnecting", name);
            long now = OpcUaTime.nowNanos();
            synchronized (deliveryLock) {
                if (!closed) {
                    for (MonitoredNode n : nodes) n.stale(now);
                }
            }
            long lost = System.nanoTime();
            lostAt = lost;
            schedule(() -> rebuildIfStillDown(owner, this, lost), REBUILD_AFTER_MS);
        }
    }

    /** The subscription's callbacks; Milo calls them one at a time per subscription. */
    private final class Listener implements OpcUaSubscription.SubscriptionListener {
        @Override
        public void onDataReceived(OpcUaSubscription s, List<OpcUaMonitoredItem> items, List<DataValue> values) {
            long now = OpcUaTime.nowNanos();
            synchronized (deliveryLock) {
                if (closed) return;
                try {
                    for (int i = 0, n = items.size(); i < n; i++) {
                        if (items.get(i) instanceof NodeItem item) item.node.onValue(values.get(i), now);
                    }
                    for (MonitoredNode node : nodes) node.flush();
                } catch (RuntimeException e) {
                    // a failing sink must not stop Milo's delivery queue; the rest of this publish is lost and said so
                    counters.lastError("sink failed: " + e);
                    LOG.log(System.Logger.Level.ERROR, name + ": sink failed on a publish of " + items.size() + " values", e);
                }
            }
        }

        @Override
        public void onTransferFailed(OpcUaSubscription s, StatusCode status) {
            LOG.log(System.Logger.Level.INFO, "{0}: subscription not transferred to the new session ({1}); re-creating it",
                    name, Variants.statusName(status));
            submit(OpcUaSource.this::ensureSubscribed);
        }

        @Override
        public void onStatusChanged(OpcUaSubscription s, StatusCode status) {
            if (status.value() == StatusCodes.Bad_Timeout) submit(OpcUaSource.this::ensureSubscribed);
        }

        @Override
        public void onWatchdogTimerElapsed(OpcUaSubscription s) {
            // only a hint: a client busy with a large publish trips it too, and deleting the subscription then would
            // throw away what the server has queued; a dead server is found by the session's keep-alive instead
            counters.lastError("no publish response within the subscription's keep-alive time");
            LOG.log(System.Logger.Level.WARNING, "{0}: no publish response within the subscription''s keep-alive time", name);
        }

        @Override
        public void onNotificationDataLost(OpcUaSubscription s) {
            counters.lastError("notifications lost: the server could not republish missed data changes");
            LOG.log(System.Logger.Level.WARNING, "{0}: notifications lost (server could not republish them)", name);
        }
    }
}
