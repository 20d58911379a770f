package io.spindle.deploy.orchestrator;

import io.spindle.lattice.CloudEvent;
import io.spindle.lattice.CtlException;
import io.spindle.lattice.HostInfo;
import io.spindle.lattice.Json;
import io.spindle.lattice.LatticeClient;
import io.spindle.lattice.Subjects;
import io.spindle.lattice.transport.Subscription;
import io.spindle.lattice.transport.Transport;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Spindle's wadm: answers the model API ({@link ModelService}) and, while it holds the lattice's lease, reconciles
 * every deployed application ({@link Reconciler}). Run several (each {@code spindle host} runs one unless told
 * not to, or {@code spindle orchestrator}): one acts, the others answer API calls and stand by, and one of them
 * takes over within the lease ttl when the acting one dies.
 *
 * <pre>
 * try (Orchestrator o = Orchestrator.builder(transport).lattice("plant1").build().start()) { ... }
 * </pre>
 */
public final class Orchestrator implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Orchestrator.class.getName());

    private final Transport transport;
    private final Subjects subjects;
    private final String id = "orchestrator-" + UUID.randomUUID().toString().substring(0, 8);
    private final Builder cfg;
    private final ModelService service;
    private final ModelStore store;
    private final ClusterState cluster;
    private final Lease lease;
    private final LatticeClient client;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private boolean kicked = true;
    private volatile boolean running;
    private Thread loop, leaseThread;
    private Subscription events;
    private AutoCloseable modelWatch;
    private LatticeBuckets buckets;
    private Reconciler reconciler;

    private Orchestrator(Builder b) {
        this.cfg = b;
        this.transport = b.transport;
        this.subjects = new Subjects(b.lattice);
        this.service = new ModelService(transport, b.lattice);
        this.store = new ModelStore(transport.keyValue(subjects.modelsBucket()));
        this.cluster = new ClusterState(b.hostExpiry.toNanos());
        this.lease = new Lease(transport.keyValue(subjects.orchestratorBucket()), id, b.leaseTtl.toNanos());
        this.client = new LatticeClient(transport, b.lattice, b.requestTimeout);
    }

    /** A builder over transport (not owned: close it after the orchestrator). */
    public static Builder builder(Transport transport) {
        return new Builder(transport);
    }

    /** Starts answering the API and following the lattice's events; acts once it holds the lease. */
    public Orchestrator start() {
        running = true;
        events = new LatticeClient(transport, cfg.lattice, cfg.requestTimeout).events(e -> {
            if (id.equals(e.source())) return;
            if (cluster.onEvent(e)) kick();
        });
        service.start();
        leaseThread = new Thread(this::renewLease, "spindle-orchestrator-lease");
        leaseThread.setDaemon(true);
        leaseThread.start();
        loop = new Thread(this::run, "spindle-orchestrator");
        loop.setDaemon(true);
        loop.start();
        return this;
    }

    /** This instance's id (the source of its events and the lease holder). */
    public String id() {
        return id;
    }

    /** True while this instance holds the lease and reconciles. */
    public boolean acting() {
        return lease.held();
    }

    /** The lease renews on its own thread, so a long pass (a rollout's probation, a slow host) never lets it lapse. */
    private void renewLease() {
        while (running) {
            boolean was = lease.held();
            boolean now;
            try {
                now = lease.tick();
            } catch (RuntimeException e) {
                now = false;
                LOG.log(System.Logger.Level.WARNING, "orchestrator " + id + ": lease: " + e.getMessage());
            }
            if (now != was) kick();
            try {
                Thread.sleep(Math.max(1, cfg.leaseTtl.toMillis() / 3));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void run() {
        long nextPass = 0;
        boolean setUp = false;
        while (running) {
            try {
                boolean acting = lease.held();
                if (acting && !setUp) {
                    becameActing();
                    setUp = true;
                }
                if (!acting && setUp) {
                    stoppedActing();
                    setUp = false;
                }
                boolean due;
                lock.lock();
                try {
                    due = kicked || System.nanoTime() >= nextPass;
                    kicked = false;
                } finally {
                    lock.unlock();
                }
                if (setUp && due) {
                    reconciler.pass();
                    nextPass = System.nanoTime() + cfg.tick.toNanos();
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "orchestrator " + id + ": " + e.getMessage(), e);
            }
            lock.lock();
            try {
                long waitNanos = (setUp ? nextPass : System.nanoTime() + cfg.leaseTtl.toNanos() / 3) - System.nanoTime();
                if (!kicked && waitNanos > 0) wake.awaitNanos(waitNanos);
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    private void becameActing() {
        LOG.log(System.Logger.Level.INFO, "orchestrator " + id + " acts for lattice " + subjects.lattice());
        try {
            buckets = new LatticeBuckets(transport, subjects, this::kick);
            modelWatch = store.bucket().watch(entry -> {
                if (entry.key().startsWith(ModelStore.INDEX)) kick();
            });
            reconciler = new Reconciler(client, store, cluster, buckets, cfg.probation, cfg.retry, this::publishEvent, lease::held);
            // learn every host now rather than waiting a heartbeat interval
            LatticeClient discovery = new LatticeClient(transport, cfg.lattice, cfg.discoveryWindow);
            for (HostInfo h : discovery.getHosts()) {
                try {
                    cluster.inventory(client.inventory(h.id()));
                } catch (CtlException e) {
                    LOG.log(System.Logger.Level.WARNING, "host " + h.friendlyName() + " did not give its inventory: " + e.getMessage());
                }
            }
        } catch (RuntimeException e) {
            stoppedActing(); // nothing half set up is left behind; the next turn tries again
            throw e;
        }
        publishEvent("orchestrator_acting", java.util.Map.of("orchestrator", id));
    }

    private void stoppedActing() {
        if (running) LOG.log(System.Logger.Level.WARNING, "orchestrator " + id + " does not hold the lease; standing by");
        closeQuietly(modelWatch);
        closeQuietly(buckets);
        modelWatch = null;
        buckets = null;
        reconciler = null;
    }

    /** Asks for a reconcile pass now (a model changed, a host came or went). */
    void kick() {
        lock.lock();
        try {
            kicked = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void publishEvent(String event, Object data) {
        CloudEvent e = new CloudEvent("1.0", UUID.randomUUID().toString(), id, CloudEvent.TYPE_PREFIX + event,
                Instant.now().toString(), "application/json", Json.MAPPER.valueToTree(data));
        try {
            transport.publish(subjects.event(event), Json.write(e));
        } catch (RuntimeException ex) {
            LOG.log(System.Logger.Level.WARNING, "event " + event + " not published: " + ex);
        }
    }

    /** Stops answering and acting; a held lease is released so a stand-by takes over at once. */
    @Override
    public void close() {
        running = false;
        kick();
        if (leaseThread != null) leaseThread.interrupt();
        if (loop != null) {
            loop.interrupt();
            try {
                loop.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        service.close();
        if (events != null) events.close();
        closeQuietly(modelWatch);
        closeQuietly(buckets);
        lease.release();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (Exception ignored) {
            // shutting down
        }
    }

    /** Settings; every one has a default fit for production ({@code spindle host}). */
    public static final class Builder {
        private final Transport transport;
        private String lattice = "default";
        private Duration hostExpiry = Duration.ofSeconds(90);
        private Duration leaseTtl = Duration.ofSeconds(6);
        private Duration tick = Duration.ofSeconds(1);
        private Duration probation = Duration.ofSeconds(3);
        private Duration retry = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration discoveryWindow = Duration.ofMillis(500);

        private Builder(Transport transport) {
            this.transport = transport;
        }

        /** The lattice (one subject token). */
        public Builder lattice(String l) {
            new Subjects(l);
            this.lattice = l;
            return this;
        }

        /** A host silent for this long is lost and its components re-placed (default 90 s: 3 heartbeats of 30 s). */
        public Builder hostExpiry(Duration d) {
            this.hostExpiry = d;
            return this;
        }

        /** A stand-by takes over when the lease has not been renewed for this long (default 6 s). */
        public Builder leaseTtl(Duration d) {
            this.leaseTtl = d;
            return this;
        }

        /** A reconcile pass at least this often, besides the ones changes trigger (default 1 s). */
        public Builder tick(Duration d) {
            this.tick = d;
            return this;
        }

        /** How long an upgraded instance must stay healthy before the rollout moves on (default 3 s). */
        public Builder probation(Duration d) {
            this.probation = d;
            return this;
        }

        /** After a failed pass, how long before an application is tried again (default 5 s). */
        public Builder retry(Duration d) {
            this.retry = d;
            return this;
        }

        /** Bound on each control request (a first component start compiles; default 30 s). */
        public Builder requestTimeout(Duration d) {
            this.requestTimeout = d;
            return this;
        }

        /** How long to collect host replies when it starts acting (default 500 ms). */
        public Builder discoveryWindow(Duration d) {
            this.discoveryWindow = d;
            return this;
        }

        /** The orchestrator; call {@link Orchestrator#start()}. */
        public Orchestrator build() {
            return new Orchestrator(this);
        }
    }
}
