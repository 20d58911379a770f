package io.spindle.host;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.lattice.CloudEvent;
import io.spindle.lattice.Commands;
import io.spindle.lattice.CtlResponse;
import io.spindle.lattice.HostInfo;
import io.spindle.lattice.HostInventory;
import io.spindle.lattice.Json;
import io.spindle.lattice.Link;
import io.spindle.lattice.Subjects;
import io.spindle.lattice.transport.KeyValueBucket;
import io.spindle.lattice.transport.KvEntry;
import io.spindle.lattice.transport.KvWatcher;
import io.spindle.lattice.transport.Msg;
import io.spindle.lattice.transport.Subscription;
import io.spindle.lattice.transport.Transport;
import io.spindle.providers.Interfaces;
import io.spindle.providers.KeyValueProvider;
import io.spindle.providers.MessagingProvider;
import io.spindle.providers.Provider;
import io.spindle.providers.ProviderContext;
import io.spindle.providers.ProviderFactories;
import io.spindle.wasm.Component;
import io.spindle.wasm.ComponentException;
import io.spindle.wasm.ComponentRuntime;
import io.spindle.wasm.InstanceLimits;
import io.spindle.wasm.LogCapability;
import io.spindle.wasm.World;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * A host of a lattice: runs components (Wasm, sandboxed) and built-in providers ({@code spindle:messaging},
 * {@code spindle:keyvalue}), answers the control interface of {@code lattice/README.md}, applies links from the
 * lattice's links bucket, publishes events and heartbeats, and checkpoints stateful components.
 *
 * <pre>{@code
 * try (Transport t = NatsTransport.connect("nats://127.0.0.1:4222", "spindle-host")) {
 *     Host host = Host.builder(t).lattice("default").label("zone", "edge").dataDir(dir).build().start();
 *     Runtime.getRuntime().addShutdownHook(new Thread(host::close));   // SIGTERM: clean shutdown
 *     host.awaitStopped();                                              // until host.stop or close
 * }
 * }</pre>
 *
 * Thread-safe. The host does not own the transport: close the transport after the host.
 */
public final class Host implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("spindle.host");
    /** Annotation: {@code false} starts a component from an empty state even when a checkpoint exists. */
    public static final String RESTORE_ANNOTATION = "spindle.checkpoint.restore";
    /** Annotation: checkpoint after this many messages (overrides the host's setting). */
    public static final String CHECKPOINT_MESSAGES_ANNOTATION = "spindle.checkpoint.messages";
    /** Annotation: checkpoint at least this often while the state changes, in ms (overrides the host's setting). */
    public static final String CHECKPOINT_INTERVAL_ANNOTATION = "spindle.checkpoint.interval-ms";
    /** Most restarts of a failed component (from its checkpoint) before it stays failed. */
    public static final int MAX_RESTARTS = 5;
    private static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_./-]{0,127}");
    private static final int MAX_CONFIG_BYTES = 64 << 10, MAX_CONFIG_ENTRIES = 1024, MAX_ANNOTATIONS = 64, MAX_SCALE = 1024;

    /** Host states. */
    private enum State { NEW, RUNNING, STOPPING, STOPPED }

    /** A provider running here. */
    private record ProviderEntry(Provider provider, Map<String, String> annotations, List<String> configNames) {
        HostInventory.ProviderDescription describe() {
            return new HostInventory.ProviderDescription(provider.id(), provider.ref(), annotations, "running");
        }
    }

    /** A link applied on this host (one interface of it), and how to undo it. */
    private record Applied(String signature, Object component, Object provider, AutoCloseable undo) {
    }

    /** A request refused: the message goes back as is. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private final Transport transport;
    private final Subjects subjects;
    private final HostIdentity identity;
    private final String friendlyName;
    private final Map<String, String> labels;
    private final Duration heartbeat;
    private final int checkpointMessages;
    private final Duration checkpointInterval;
    private final Duration discoveryWindow;
    private final Duration startTimeout;
    private final ComponentRuntime runtime;
    private final LogCapability log;
    private final String version;
    private final SignaturePolicy signatures;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, RunningComponent> components = new ConcurrentHashMap<>();
    private final Map<String, ProviderEntry> providers = new ConcurrentHashMap<>();
    private final Path dataDir;
    private final Map<String, Link> links = new ConcurrentHashMap<>();
    private final Map<String, String> unreadableLinks = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> configs = new ConcurrentHashMap<>();
    private final Map<String, Applied> applied = new HashMap<>();
    private final Map<String, String> linkStatus = new ConcurrentHashMap<>();
    private final Map<String, String> reportedLinkFailures = new HashMap<>();
    private final Map<String, String> health = new ConcurrentHashMap<>();
    private final Map<String, Integer> restarts = new ConcurrentHashMap<>();
    private final Map<String, World> worlds = new ConcurrentHashMap<>();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final AtomicBoolean reconcileQueued = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final LatticeView view;
    private final ExecutorService ctlPool;
    private final ScheduledExecutorService worker;
    private volatile State state = State.NEW;
    private volatile long startedNanos = System.nanoTime();
    private KeyValueBucket linksBucket, configBucket, checkpointBucket;
    private ComponentSource sources;
    private final PolicyConfig policyConfig;
    private volatile PolicyClient policy;

    private Host(Builder b) {
        this.transport = b.transport;
        this.subjects = new Subjects(b.lattice);
        this.dataDir = b.dataDir;
        try {
            this.identity = b.dataDir == null ? HostIdentity.generate() : HostIdentity.inDirectory(b.dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("host key in " + b.dataDir + ": " + e.getMessage(), e);
        }
        this.friendlyName = b.friendlyName != null ? b.friendlyName : defaultName(identity.id());
        this.labels = new TreeMap<>(b.labels);
        this.heartbeat = b.heartbeat;
        this.checkpointMessages = b.checkpointMessages;
        this.checkpointInterval = b.checkpointInterval;
        this.discoveryWindow = b.discoveryWindow;
        this.startTimeout = b.startTimeout;
        this.signatures = new SignaturePolicy(b.requireSigned, b.trustedIssuers, b.clock);
        this.runtime = b.runtime != null ? b.runtime : new ComponentRuntime(b.limits, b.dataDir == null ? null : b.dataDir.resolve("wasm-cache"));
        this.log = b.log != null ? b.log : LogCapability.systemLogger();
        this.version = readVersion();
        this.policyConfig = b.policy;
        this.view = new LatticeView(Math.max(heartbeat.toNanos() * 3, TimeUnit.SECONDS.toNanos(10)));
        AtomicInteger n = new AtomicInteger();
        String tag = friendlyName.length() > 24 ? friendlyName.substring(0, 24) : friendlyName;
        this.ctlPool = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "spindle-host-" + tag + "-ctl-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "spindle-host-" + tag + "-worker");
            t.setDaemon(true);
            return t;
        });
    }

    private static String defaultName(String id) {
        String h;
        try {
            h = InetAddress.getLocalHost().getHostName();
        } catch (IOException | RuntimeException e) {
            h = "host";
        }
        h = h.replaceAll("[^A-Za-z0-9_-]", "-");
        return (h.length() > 40 ? h.substring(0, 40) : h) + "-" + id.substring(1, 7).toLowerCase(java.util.Locale.ROOT);
    }

    private static String readVersion() {
        try (InputStream in = Host.class.getResourceAsStream("version.properties")) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "").strip();
            return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** A builder of a host on transport. */
    public static Builder builder(Transport transport) {
        return new Builder(transport);
    }

    /** Settings of a host. */
    public static final class Builder {
        private final Transport transport;
        private String lattice = "default";
        private String friendlyName;
        private final Map<String, String> labels = new TreeMap<>();
        private Path dataDir;
        private Duration heartbeat = Duration.ofSeconds(30);
        private int checkpointMessages = 100;
        private Duration checkpointInterval = Duration.ofSeconds(5);
        private Duration discoveryWindow = Duration.ofMillis(250);
        private Duration startTimeout = Duration.ofSeconds(10);
        private InstanceLimits limits = InstanceLimits.DEFAULTS;
        private LogCapability log;
        private ComponentRuntime runtime;
        private boolean requireSigned;
        private final java.util.Set<String> trustedIssuers = new java.util.LinkedHashSet<>();
        private java.time.Clock clock = java.time.Clock.systemUTC();
        private PolicyConfig policy;

        private Builder(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
        }

        /** The lattice to join (default {@code default}); one subject token of [A-Za-z0-9_-]. */
        public Builder lattice(String name) {
            new Subjects(name); // checks
            this.lattice = name;
            return this;
        }

        /** A readable name (default: the machine's name and the start of the id). */
        public Builder friendlyName(String name) {
            if (name == null || name.isBlank() || name.length() > 128) throw new IllegalArgumentException("friendly name must be 1-128 characters");
            this.friendlyName = name;
            return this;
        }

        /** Adds a label, e.g. {@code zone=edge}. */
        public Builder label(String key, String value) {
            String bad = checkLabel(key, value);
            if (bad != null) throw new IllegalArgumentException(bad);
            labels.put(key, value);
            return this;
        }

        /** Adds labels. */
        public Builder labels(Map<String, String> l) {
            l.forEach(this::label);
            return this;
        }

        /** Keeps the host's key seed (0600; the id survives restarts) and the compiled-module cache here. */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /** How often host_heartbeat (and health checks) go out (default 30 s). */
        public Builder heartbeat(Duration d) {
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("heartbeat must be positive");
            this.heartbeat = d;
            return this;
        }

        /** Checkpoint a component after this many messages or this long after its state changed (default 100, 5 s). */
        public Builder checkpointEvery(int messages, Duration interval) {
            if (messages < 1) throw new IllegalArgumentException("checkpoint messages must be >= 1");
            if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("checkpoint interval must be positive");
            this.checkpointMessages = messages;
            this.checkpointInterval = interval;
            return this;
        }

        /** How long link validation waits for other hosts' inventories when it does not know an id (default 250 ms). */
        public Builder discoveryWindow(Duration d) {
            this.discoveryWindow = d;
            return this;
        }

        /** How long start waits for the links and config buckets to be read (default 10 s). */
        public Builder startTimeout(Duration d) {
            this.startTimeout = d;
            return this;
        }

        /** Limits of every component instance (default {@link InstanceLimits#DEFAULTS}). */
        public Builder limits(InstanceLimits l) {
            this.limits = Objects.requireNonNull(l);
            return this;
        }

        /**
         * The component runtime to use (shared by hosts embedded in one JVM, so a module compiles once); its default
         * limits then apply instead of {@link #limits}. Default: a runtime of the host's own, caching compiled modules
         * under the data directory.
         */
        public Builder runtime(ComponentRuntime r) {
            this.runtime = Objects.requireNonNull(r);
            return this;
        }

        /** Where guest log lines go (default: System.Logger "spindle.component"). */
        public Builder log(LogCapability.Sink sink) {
            this.log = new LogCapability(sink);
            return this;
        }

        /** Refuse components without a valid signature (signed ones are always verified; default false). */
        public Builder requireSigned(boolean require) {
            this.requireSigned = require;
            return this;
        }

        /** Accept signed components of this issuer (account public key {@code A...}; repeatable; none: any issuer). */
        public Builder trustedIssuer(String publicKey) {
            String bad = io.spindle.wasm.claims.ComponentClaims.checkIssuerKey(publicKey);
            if (bad != null) throw new IllegalArgumentException("trusted issuer " + bad);
            trustedIssuers.add(publicKey);
            return this;
        }

        /** The clock signatures' expiry is checked against (default the system's; tests move it). */
        public Builder clock(java.time.Clock c) {
            this.clock = Objects.requireNonNull(c);
            return this;
        }

        /** Asks this policy service before starting components and providers and applying links (default: none). */
        public Builder policy(PolicyConfig p) {
            this.policy = p;
            return this;
        }

        /** The host, not yet started. */
        public Host build() {
            return new Host(this);
        }
    }

    static String checkLabel(String key, String value) {
        if (key == null || !LABEL_KEY.matcher(key).matches())
            return "label key " + LinkRules.quote(key) + " must be 1-128 of [A-Za-z0-9_./-], starting with a letter or digit";
        if (value != null && (value.length() > 256 || value.chars().anyMatch(c -> c < 0x20)))
            return "label value of " + key + " must be up to 256 characters without control characters";
        return null;
    }

    // ------------------------------------------------------------------------------------------------ lifecycle

    /**
     * Joins the lattice: reads the links and config buckets (waiting until caught up), subscribes to the control
     * subjects, publishes host_started and starts heartbeats. Returns this.
     */
    public Host start() {
        lock.lock();
        try {
            if (state != State.NEW) throw new IllegalStateException("host " + friendlyName + " was already started");
            state = State.RUNNING;
            startedNanos = System.nanoTime();
            if (policyConfig != null) resources.add(policy = new PolicyClient(transport, policyConfig, this::queueReconcile));
            linksBucket = transport.keyValue(subjects.linksBucket());
            configBucket = transport.keyValue(subjects.configBucket());
            checkpointBucket = transport.keyValue(subjects.checkpointBucket());
            sources = new ComponentSource(transport.keyValue(subjects.componentsBucket()), runtime.defaults().maxModuleBytes());
            CountDownLatch caughtUp = new CountDownLatch(2);
            resources.add(configBucket.watch(new BucketWatch(caughtUp, this::onConfigEntry)));
            resources.add(linksBucket.watch(new BucketWatch(caughtUp, this::onLinkEntry)));
            try {
                if (!caughtUp.await(startTimeout.toMillis(), TimeUnit.MILLISECONDS))
                    LOG.log(System.Logger.Level.WARNING, "host " + friendlyName + ": links and config not read within " + startTimeout.toMillis()
                            + " ms; applying them as they arrive");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            resources.add(transport.subscribe(subjects.allEvents(), null, this::onEvent));
            resources.add(transport.subscribe(subjects.ctl("host.get"), null, m -> dispatch(m, "host.get")));
            resources.add(transport.subscribe(subjects.ctl("host.ping"), null, m -> dispatch(m, "host.ping")));
            resources.add(transport.subscribe(subjects.ctl("*.*." + identity.id()), null, m -> {
                String family = m.subject().substring(subjects.ctl("").length()).split("\\.", 2)[0];
                if (!family.equals("link") && !family.equals("config")) dispatch(m, null); // those belong to the queue group
            }));
            resources.add(transport.subscribe(subjects.ctl("link.>"), "ctl", m -> dispatch(m, null)));
            resources.add(transport.subscribe(subjects.ctl("config.>"), "ctl", m -> dispatch(m, null)));
            publishEvent("host_started", info());
            worker.scheduleAtFixedRate(this::tick, 0, heartbeat.toMillis(), TimeUnit.MILLISECONDS);
            long sweep = Math.max(50, Math.min(1000, checkpointInterval.toMillis() / 2));
            worker.scheduleAtFixedRate(this::sweepCheckpoints, sweep, sweep, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            state = State.STOPPING;
            closeResources();
            shutdownPools();
            state = State.STOPPED;
            stopped.countDown();
            throw e;
        } finally {
            lock.unlock();
        }
        queueReconcile();
        LOG.log(System.Logger.Level.INFO, "host " + friendlyName + " (" + identity.id() + ") joined lattice " + subjects.lattice()
                + " on " + transport.describe());
        return this;
    }

    /** Clean shutdown: feeds drained, checkpoints flushed, providers stopped, host_stopped published. Idempotent. */
    @Override
    public void close() {
        stop(true, "closed");
    }

    /**
     * Stops at once as a crash would, for tests and embedding: no final checkpoint, no host_stopped event (the
     * lattice forgets the host when its heartbeats stop). Feeds still finish the message in progress.
     */
    public void halt() {
        stop(false, "halted");
    }

    private void stop(boolean clean, String reason) {
        lock.lock();
        try {
            if (state == State.STOPPING || state == State.STOPPED) return;
            if (state == State.NEW) {
                state = State.STOPPED;
                shutdownPools();
                stopped.countDown();
                return;
            }
            state = State.STOPPING;
            closeResources(); // control subscriptions and watches first: nothing new arrives
            for (Map.Entry<String, Applied> e : applied.entrySet()) undo(e.getKey(), e.getValue());
            applied.clear();
            for (RunningComponent c : components.values()) c.close(clean);
            for (ProviderEntry p : providers.values()) closeQuietly(p.provider());
            if (clean) {
                try {
                    publishEvent("host_stopped", info());
                    transport.flush(Duration.ofSeconds(2));
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "host " + friendlyName + ": host_stopped not published: " + e);
                }
            }
            components.clear();
            providers.clear();
            shutdownPools();
            state = State.STOPPED;
            LOG.log(System.Logger.Level.INFO, "host " + friendlyName + " " + reason);
        } finally {
            lock.unlock();
            stopped.countDown();
        }
    }

    private void closeResources() {
        for (AutoCloseable r : resources) closeQuietly(r);
        resources.clear();
    }

    private void shutdownPools() {
        worker.shutdownNow();
        ctlPool.shutdown();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "closing " + c + ": " + e);
        }
    }

    /** Blocks until the host stopped (close, halt, or a host.stop request). */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    /** Blocks up to timeout until the host stopped; true when it did. */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** True between start and stop. */
    public boolean isRunning() {
        return state == State.RUNNING;
    }

    // ------------------------------------------------------------------------------------------------ identity

    /** The host's id: its public key ({@code N...}). */
    public String id() {
        return identity.id();
    }

    /** The friendly name. */
    public String friendlyName() {
        return friendlyName;
    }

    /** The lattice's subjects. */
    public Subjects subjects() {
        return subjects;
    }

    /** The labels now. */
    public Map<String, String> labels() {
        synchronized (labels) {
            return Map.copyOf(labels);
        }
    }

    private long uptime() {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedNanos);
    }

    /** The host as {@code host.get} answers. */
    public HostInfo info() {
        return new HostInfo(id(), friendlyName, labels(), version, uptime(), subjects.lattice());
    }

    /** What runs here, as {@code host.inventory} answers and heartbeats carry. */
    public HostInventory inventory() {
        List<HostInventory.ComponentDescription> cs = components.values().stream().map(RunningComponent::describe)
                .sorted(Comparator.comparing(HostInventory.ComponentDescription::id)).toList();
        List<HostInventory.ProviderDescription> ps = providers.values().stream().map(ProviderEntry::describe)
                .sorted(Comparator.comparing(HostInventory.ProviderDescription::id)).toList();
        return new HostInventory(id(), friendlyName, labels(), version, uptime(), cs, ps);
    }

    /**
     * How each link stands on this host, by link key: {@code applied}, {@code pending: ...} (one end runs here, the
     * other does not), {@code refused: ...} (it cannot be applied here, and why). Links with no end here are absent.
     */
    public Map<String, String> linkStatus() {
        return new TreeMap<>(linkStatus);
    }

    /** Why component id failed, if it did (it is being restarted, or gave up). */
    public Optional<String> componentFailure(String id) {
        RunningComponent c = components.get(id);
        return c == null ? Optional.empty() : Optional.ofNullable(c.failure());
    }

    /** The stream offsets per input of component id as of now (for tests and diagnostics). */
    public Map<String, Long> componentOffsets(String id) {
        RunningComponent c = components.get(id);
        return c == null ? Map.of() : c.offsets();
    }

    /** What a component has done: process calls, their total time (ns), guest errors, traps and broken limits. */
    public record ComponentStats(String id, long calls, long callNanos, long guestErrors, long violations) {
    }

    /** Counters of every component running here. */
    public List<ComponentStats> componentStats() {
        return components.values().stream().map(RunningComponent::stats).toList();
    }

    /** Components refused for their signature, by reason ({@code unsigned}, {@code tampered}, ...). */
    public Map<String, Long> signatureRefusals() {
        return signatures.refusals();
    }

    /** The providers running here (for status lines and tests). */
    public List<Provider> providers() {
        return providers.values().stream().map(ProviderEntry::provider).toList();
    }

    /** The feeds of the messaging providers here: component id, input, messages, failures, last error (for tests). */
    public List<MessagingProvider.Feed> feeds() {
        List<MessagingProvider.Feed> out = new ArrayList<>();
        for (ProviderEntry p : providers.values()) if (p.provider() instanceof MessagingProvider m) out.addAll(m.feeds());
        return out;
    }

    // ------------------------------------------------------------------------------------------------ events

    private void publishEvent(String event, Object data) {
        JsonNode d = Json.MAPPER.valueToTree(data);
        CloudEvent e = new CloudEvent("1.0", UUID.randomUUID().toString(), id(), CloudEvent.TYPE_PREFIX + event, Instant.now().toString(),
                "application/json", d);
        try {
            transport.publish(subjects.event(event), Json.write(e));
        } catch (RuntimeException ex) {
            LOG.log(System.Logger.Level.WARNING, "host " + friendlyName + ": event " + event + " not published: " + ex);
        }
    }

    /** Other hosts' events keep the lattice view current. */
    private void onEvent(Msg m) {
        CloudEvent e;
        try {
            e = Json.read(m.data(), CloudEvent.class, "event");
        } catch (IllegalArgumentException bad) {
            return;
        }
        if (e.source() == null || e.source().equals(id()) || e.data() == null) return;
        try {
            switch (e.event()) {
                case "host_heartbeat" -> view.inventory(Json.MAPPER.treeToValue(e.data(), HostInventory.class));
                case "host_stopped" -> view.hostStopped(e.source());
                case "component_scaled" -> {
                    HostEvents.ComponentScaled s = Json.MAPPER.treeToValue(e.data(), HostEvents.ComponentScaled.class);
                    view.componentScaled(e.source(), new HostInventory.ComponentDescription(s.componentId(), s.imageRef(), s.digest(),
                            s.maxInstances(), s.annotations(), "running"));
                }
                case "provider_started" -> {
                    HostEvents.ProviderEvent p = Json.MAPPER.treeToValue(e.data(), HostEvents.ProviderEvent.class);
                    view.providerStarted(e.source(), new HostInventory.ProviderDescription(p.providerId(), p.providerRef(), p.annotations(), "running"));
                }
                case "provider_stopped" -> view.providerStopped(e.source(), e.data().path("provider_id").asText());
                default -> {
                }
            }
        } catch (IOException | IllegalArgumentException ignored) {
            // another version's or a broken event: the next heartbeat brings the truth
        }
    }

    private void tick() {
        if (state != State.RUNNING) return;
        publishEvent("host_heartbeat", inventory());
        for (RunningComponent c : components.values()) {
            String f = c.failure();
            reportHealth("component", c.id, f == null ? "running" : "failed", f);
        }
        for (ProviderEntry p : providers.values()) reportHealth("provider", p.provider().id(), "running", null);
    }

    /** Publishes health_check_passed / _failed when an id's health changes (and the first time). */
    private void reportHealth(String kind, String id, String st, String message) {
        String key = kind + ":" + id, now = st + ":" + message;
        if (now.equals(health.put(key, now))) return;
        publishEvent(message == null ? "health_check_passed" : "health_check_failed", new HostEvents.Health(id(), kind, id, st, message));
    }

    private void sweepCheckpoints() {
        if (state != State.RUNNING) return;
        for (RunningComponent c : components.values()) {
            try {
                c.checkpointIfDue();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "checkpoint of " + c.id + ": " + e);
            }
        }
    }

    private final RunningComponent.Hooks hooks = new RunningComponent.Hooks() {
        @Override
        public void flushOutputs() {
            transport.flush(Duration.ofSeconds(5));
        }

        @Override
        public void storeCheckpoint(String componentId, byte[] checkpoint) {
            checkpointBucket.put(componentId, checkpoint);
        }

        @Override
        public void checkpointSaved(RunningComponent c, Checkpoint cp, int bytes) {
            restarts.remove(c.id); // it made progress: a later failure starts the restart budget afresh
            publishEvent("checkpoint_saved", new HostEvents.CheckpointEvent(id(), c.id, c.digest, cp.offsets(), cp.messages(), bytes, cp.savedAt()));
        }

        @Override
        public void failed(RunningComponent c, String reason) {
            LOG.log(System.Logger.Level.WARNING, "component " + c.id + " failed: " + reason);
            reportHealth("component", c.id, "failed", reason);
            int n = restarts.merge(c.id, 1, Integer::sum);
            if (n > MAX_RESTARTS) {
                LOG.log(System.Logger.Level.ERROR, "component " + c.id + " failed " + n + " times; it stays failed (stop and start it)");
                return;
            }
            try {
                worker.schedule(() -> restart(c), Math.min(10_000, 200L << Math.min(n - 1, 6)), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // stopping
            }
        }
    };

    // ------------------------------------------------------------------------------------------------ buckets

    /** A watch that counts down once when caught up. */
    private static final class BucketWatch implements KvWatcher {
        private final CountDownLatch latch;
        private final java.util.function.Consumer<KvEntry> onEntry;
        private final AtomicBoolean done = new AtomicBoolean();

        BucketWatch(CountDownLatch latch, java.util.function.Consumer<KvEntry> onEntry) {
            this.latch = latch;
            this.onEntry = onEntry;
        }

        @Override
        public void onEntry(KvEntry entry) {
            onEntry.accept(entry);
        }

        @Override
        public void caughtUp() {
            if (done.compareAndSet(false, true)) latch.countDown();
        }
    }

    private void onLinkEntry(KvEntry e) {
        if (e.deleted()) {
            links.remove(e.key());
            unreadableLinks.remove(e.key());
        } else {
            try {
                Link l = Json.read(e.value(), Link.class, "link " + e.key());
                if (!l.key().equals(e.key())) throw new IllegalArgumentException("link stored under " + e.key() + " has key " + l.key());
                links.put(e.key(), l);
                unreadableLinks.remove(e.key());
            } catch (IllegalArgumentException bad) {
                links.remove(e.key());
                unreadableLinks.put(e.key(), bad.getMessage());
                LOG.log(System.Logger.Level.WARNING, "links bucket entry " + e.key() + " ignored: " + bad.getMessage());
            }
        }
        queueReconcile();
    }

    private void onConfigEntry(KvEntry e) {
        if (e.deleted()) {
            configs.remove(e.key());
        } else {
            try {
                configs.put(e.key(), parseConfig(e.value(), "config " + e.key()));
            } catch (IllegalArgumentException bad) {
                configs.remove(e.key());
                LOG.log(System.Logger.Level.WARNING, "config bucket entry " + e.key() + " ignored: " + bad.getMessage());
            }
        }
        queueReconcile();
    }

    /** A JSON object of string values, within the size limits; IllegalArgumentException saying what is wrong. */
    static Map<String, String> parseConfig(byte[] body, String what) {
        if (body.length == 0) throw new IllegalArgumentException(what + ": the body is empty; expected a JSON object of string values");
        if (body.length > MAX_CONFIG_BYTES)
            throw new IllegalArgumentException(what + ": " + body.length + " bytes, over the limit of " + MAX_CONFIG_BYTES);
        JsonNode n = Json.tree(body, what);
        if (n == null || !n.isObject()) throw new IllegalArgumentException(what + ": expected a JSON object of string values, got "
                + (n == null ? "nothing" : n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
        if (n.size() > MAX_CONFIG_ENTRIES) throw new IllegalArgumentException(what + ": " + n.size() + " entries, over the limit of " + MAX_CONFIG_ENTRIES);
        Map<String, String> out = new TreeMap<>();
        for (var f : n.properties()) {
            String k = f.getKey();
            if (k.isEmpty() || k.length() > 256 || k.chars().anyMatch(c -> c < 0x20))
                throw new IllegalArgumentException(what + ": key " + LinkRules.quote(k) + " must be 1-256 characters without control characters");
            if (!f.getValue().isTextual())
                throw new IllegalArgumentException(what + ": value of " + LinkRules.quote(k) + " must be a string, got "
                        + f.getValue().getNodeType().toString().toLowerCase(java.util.Locale.ROOT)
                        + (f.getValue().isValueNode() && !f.getValue().isNull() ? " (write \"" + f.getValue().asText() + "\")" : ""));
            out.put(k, f.getValue().textValue());
        }
        return out;
    }

    /** Named configs merged in order, from the bucket (fresh); Refused naming the first missing one. */
    private Map<String, String> configsFromBucket(String op, List<String> names) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : names) {
            if (!LinkRules.validId(name)) throw new Refused(op + ": config name " + LinkRules.quote(name) + " must be 1-64 of [A-Za-z0-9_-]");
            Optional<KvEntry> e = configBucket.get(name);
            if (e.isEmpty() || e.get().deleted()) throw new Refused(op + ": config " + LinkRules.quote(name) + " does not exist (put it first with config.put)");
            out.putAll(parseConfig(e.get().value(), "config " + name));
        }
        return out;
    }

    /** Named configs merged from the watched cache; null when one is not known (yet). */
    private Map<String, String> configsFromCache(List<String> names, List<String> missing) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : names) {
            Map<String, String> c = configs.get(name);
            if (c == null) {
                missing.add(name);
                continue;
            }
            out.putAll(c);
        }
        return missing.isEmpty() ? out : null;
    }

    // ------------------------------------------------------------------------------------------------ control

    /** Runs a control request off the transport's thread and replies with its envelope. */
    private void dispatch(Msg m, String fixedOp) {
        try {
            ctlPool.execute(() -> {
                CtlResponse<?> r;
                String op = fixedOp;
                try {
                    if (op == null) op = operation(m.subject());
                    r = handle(op, m);
                } catch (Refused e) {
                    r = CtlResponse.error(e.getMessage());
                } catch (IllegalArgumentException e) {
                    r = CtlResponse.error((op == null ? "request" : op) + ": " + e.getMessage());
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "control request on " + m.subject() + " failed", e);
                    r = CtlResponse.error((op == null ? "request" : op) + ": failed on host " + friendlyName + ": " + e);
                }
                if (m.replyTo() != null) {
                    try {
                        transport.publish(m.replyTo(), Json.write(r));
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "reply to " + m.subject() + " not sent: " + e);
                    }
                }
            });
        } catch (RejectedExecutionException stopping) {
            // the host is stopping; the caller times out
        }
    }

    /** The operation named by a control subject: {@code family.op} (config ops keep their name apart). */
    private String operation(String subject) {
        String rest = subject.substring(subjects.ctl("").length());
        String[] t = rest.split("\\.", -1);
        if (t.length < 2) throw new Refused("control subject " + subject + " names no operation");
        return t[0] + "." + t[1];
    }

    private CtlResponse<?> handle(String op, Msg m) {
        if (state != State.RUNNING) throw new Refused(op + ": host " + friendlyName + " is stopping");
        String[] t = m.subject().substring(subjects.ctl("").length()).split("\\.", -1);
        byte[] body = m.data();
        return switch (op) {
            case "host.get", "host.ping" -> {
                yield CtlResponse.ok("host " + friendlyName, info());
            }
            case "host.inventory" -> {
                noBody(op, body);
                yield CtlResponse.ok("inventory of host " + friendlyName, inventory());
            }
            case "host.label" -> label(read(op, body, Commands.Label.class));
            case "host.stop" -> stopRequest(body.length == 0 || isBlank(body) ? new Commands.StopHost(null, null)
                    : read(op, body, Commands.StopHost.class));
            case "component.start" -> startComponent(op, read(op, body, Commands.ScaleComponent.class), 1);
            case "component.scale" -> {
                Commands.ScaleComponent s = read(op, body, Commands.ScaleComponent.class);
                if (s.count() == null) throw new Refused(op + ": count is missing (0 stops the component)");
                if (s.count() < 0 || s.count() > MAX_SCALE) throw new Refused(op + ": count " + s.count() + " must be in [0, " + MAX_SCALE + "]");
                yield s.count() == 0 ? stopComponent(op, s) : startComponent(op, s, s.count());
            }
            case "component.stop" -> stopComponent(op, read(op, body, Commands.ScaleComponent.class));
            case "provider.start" -> startProvider(op, read(op, body, Commands.StartProvider.class));
            case "provider.stop" -> stopProvider(op, read(op, body, Commands.StopProvider.class));
            case "link.put", "link.del", "link.get" -> {
                if (t.length != 2) throw new Refused("unknown operation " + LinkRules.quote(String.join(".", t)) + " on " + m.subject()
                        + " (see lattice/README.md for the operations)");
                yield switch (op) {
                    case "link.put" -> putLink(body);
                    case "link.del" -> deleteLink(read(op, body, Commands.DeleteLink.class));
                    default -> {
                        noBody(op, body);
                        yield CtlResponse.ok(null, storedLinks());
                    }
                };
            }
            case "config.put", "config.get", "config.del" -> {
                if (t.length != 3) throw new Refused(op + ": config name " + LinkRules.quote(t.length < 3 ? "" : String.join(".", List.of(t).subList(2, t.length)))
                        + " must be 1-64 of [A-Za-z0-9_-] (one subject token)");
                String name = t[2];
                if (!LinkRules.validId(name)) throw new Refused(op + ": config name " + LinkRules.quote(name) + " must be 1-64 of [A-Za-z0-9_-]");
                yield switch (op) {
                    case "config.put" -> putConfig(name, body);
                    case "config.get" -> getConfig(name, body);
                    default -> deleteConfig(name, body);
                };
            }
            default -> throw new Refused("unknown operation " + LinkRules.quote(op) + " on " + m.subject()
                    + " (see lattice/README.md for the operations)");
        };
    }

    private static boolean isBlank(byte[] b) {
        for (byte x : b) if (!Character.isWhitespace(x)) return false;
        return true;
    }

    private static void noBody(String op, byte[] body) {
        if (body.length > 0 && !isBlank(body) && !new String(body, java.nio.charset.StandardCharsets.UTF_8).strip().equals("{}"))
            throw new Refused(op + ": takes no request body (got " + body.length + " bytes)");
    }

    private <T> T read(String op, byte[] body, Class<T> type) {
        if (body.length == 0 || isBlank(body))
            throw new Refused(op + ": the request is empty; expected a JSON object (" + type.getSimpleName() + ")");
        try {
            return Json.read(body, type, op + " request");
        } catch (IllegalArgumentException e) {
            throw new Refused(e.getMessage());
        }
    }

    private void checkHostId(String op, String hostId) {
        if (hostId != null && !hostId.equals(id()))
            throw new Refused(op + ": host_id " + LinkRules.quote(hostId) + " is not this host (" + id() + ")");
    }

    private CtlResponse<?> label(Commands.Label l) {
        String bad = checkLabel(l.key(), l.value());
        if (bad != null) throw new Refused("host.label: " + bad);
        synchronized (labels) {
            if (l.value() == null) {
                if (labels.remove(l.key()) == null) throw new Refused("host.label: host " + friendlyName + " has no label " + LinkRules.quote(l.key()));
            } else {
                labels.put(l.key(), l.value());
            }
        }
        HostInfo info = info();
        publishEvent("labels_changed", info);
        return CtlResponse.ok(l.value() == null ? "removed label " + l.key() : "set label " + l.key() + "=" + l.value(), info);
    }

    private CtlResponse<?> stopRequest(Commands.StopHost s) {
        checkHostId("host.stop", s.hostId());
        long timeout = s.timeoutMs() == null ? 10_000 : s.timeoutMs();
        if (timeout < 0) throw new Refused("host.stop: timeout_ms " + timeout + " must be >= 0");
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(50); // let the reply go out first
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            close();
        }, "spindle-host-stop");
        t.setDaemon(false);
        t.start();
        return CtlResponse.ok("host " + friendlyName + " is stopping", null);
    }

    private static void checkAnnotations(String op, Map<String, String> a) {
        if (a.size() > MAX_ANNOTATIONS) throw new Refused(op + ": " + a.size() + " annotations, over the limit of " + MAX_ANNOTATIONS);
        for (var e : a.entrySet()) {
            if (e.getKey().isEmpty() || e.getKey().length() > 128) throw new Refused(op + ": annotation key " + LinkRules.quote(e.getKey()) + " must be 1-128 characters");
            if (e.getValue() == null || e.getValue().length() > 1024) throw new Refused(op + ": annotation " + e.getKey() + " must have a value of up to 1024 characters");
        }
    }

    private static int intAnnotation(String op, Map<String, String> a, String key, int dflt, int min) {
        String v = a.get(key);
        if (v == null) return dflt;
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new Refused(op + ": annotation " + key + " must be an integer >= " + min + ", got " + LinkRules.quote(v));
        }
    }

    private CtlResponse<?> startComponent(String op, Commands.ScaleComponent s, int count) {
        if (s.componentId() == null) throw new Refused(op + ": component_id is missing");
        if (!LinkRules.validId(s.componentId())) throw new Refused(op + ": component_id " + LinkRules.quote(s.componentId()) + " must be 1-64 of [A-Za-z0-9_-]");
        checkHostId(op, s.hostId());
        checkAnnotations(op, s.annotations());
        String restore = s.annotations().get(RESTORE_ANNOTATION);
        if (restore != null && !restore.equals("true") && !restore.equals("false"))
            throw new Refused(op + ": annotation " + RESTORE_ANNOTATION + " must be true or false, got " + LinkRules.quote(restore));
        int every = intAnnotation(op, s.annotations(), CHECKPOINT_MESSAGES_ANNOTATION, checkpointMessages, 1);
        int intervalMs = intAnnotation(op, s.annotations(), CHECKPOINT_INTERVAL_ANNOTATION, (int) Math.min(Integer.MAX_VALUE, checkpointInterval.toMillis()), 1);
        lock.lock();
        try {
            RunningComponent existing = components.get(s.componentId());
            if (providers.containsKey(s.componentId()))
                throw new Refused(op + ": id " + LinkRules.quote(s.componentId()) + " is a provider on this host");
            if (existing != null && s.componentRef() == null && op.equals("component.scale")) {
                return rescale(existing, count);
            }
            ComponentSource.Module mod;
            try {
                mod = sources.resolve(s.componentRef());
            } catch (IllegalArgumentException e) {
                throw new Refused(op + ": " + e.getMessage());
            }
            if (existing != null) {
                if (!existing.digest.equals(mod.digest()))
                    throw new Refused(op + ": component " + LinkRules.quote(s.componentId()) + " already runs on this host with module " + existing.digest
                            + ", not " + mod.digest() + " (stop it first to replace it)");
                return count == existing.maxInstances() || op.equals("component.start")
                        ? CtlResponse.ok("component " + s.componentId() + " already runs on host " + friendlyName, existing.describe())
                        : rescale(existing, count);
            }
            String unsigned = signatures.refusal(s.componentId(), mod.bytes());
            if (unsigned != null) {
                failScale(s, mod.digest(), unsigned);
                throw new Refused(op + ": " + unsigned);
            }
            Map<String, String> startConfig = configsFromBucket(op, s.config());
            Component comp;
            try {
                comp = runtime.load(s.componentId(), mod.bytes());
            } catch (ComponentException e) {
                failScale(s, mod.digest(), e.getMessage());
                throw new Refused(op + ": " + e.getMessage());
            }
            if (comp.world() != World.PROCESSOR) throw new Refused(op + ": " + s.componentId() + " implements " + comp.world().id()
                    + "; this host runs " + World.PROCESSOR.id());
            worlds.put(mod.digest(), comp.world());
            String denied = policyDenial(PolicyRequest.START_COMPONENT, new PolicyRequest.ComponentTarget(s.componentId(), s.componentRef(),
                    mod.digest(), comp.world().id(), s.annotations(), claimsJson(mod.bytes())));
            if (denied != null) {
                failScale(s, mod.digest(), denied);
                throw new Refused(op + ": " + denied);
            }
            Checkpoint cp = null;
            if (!"false".equals(restore)) {
                Optional<KvEntry> e = checkpointBucket.get(s.componentId());
                if (e.isPresent() && !e.get().deleted()) {
                    try {
                        cp = Checkpoint.decode(e.get().value());
                    } catch (IllegalArgumentException bad) {
                        String why = "the checkpoint of " + s.componentId() + " in " + checkpointBucket.name() + " is damaged (" + bad.getMessage()
                                + "); start it with annotation " + RESTORE_ANNOTATION + "=false to start from an empty state";
                        failScale(s, mod.digest(), why);
                        throw new Refused(op + ": " + why);
                    }
                }
            }
            RunningComponent rc = new RunningComponent(s.componentId(), s.componentRef(), comp, s.annotations(), s.config(), count, runtime, log,
                    hooks, id(), every, Duration.ofMillis(intervalMs));
            Map<String, String> cfg = new LinkedHashMap<>(startConfig);
            cfg.putAll(linkConfigFor(s.componentId(), new ArrayList<>()));
            try {
                rc.start(cfg, cp);
            } catch (ComponentException | IllegalStateException e) {
                failScale(s, mod.digest(), e.getMessage());
                throw new Refused(op + ": " + e.getMessage());
            }
            String stored = sources.store(mod);
            components.put(rc.id, rc);
            restarts.remove(rc.id);
            publishEvent("component_scaled", scaled(rc, count, null));
            if (cp != null)
                publishEvent("checkpoint_restored", new HostEvents.CheckpointEvent(id(), rc.id, cp.digest(), cp.offsets(), cp.messages(),
                        cp.state().length, cp.savedAt()));
            reconcileLocked();
            String msg = "started component " + rc.id + " (" + rc.digest + ") on host " + friendlyName
                    + (cp != null ? ", restored from its checkpoint at offsets " + cp.offsets() : "")
                    + (stored != null ? "; warning: " + stored : "");
            return CtlResponse.ok(msg, rc.describe());
        } finally {
            lock.unlock();
        }
    }

    private CtlResponse<?> rescale(RunningComponent rc, int count) {
        // processors are stateful: one instance per host serves every call; count is recorded as max_instances
        rc.setMaxInstances(count);
        publishEvent("component_scaled", scaled(rc, count, null));
        return CtlResponse.ok("component " + rc.id + " scaled to " + count + " on host " + friendlyName, rc.describe());
    }

    private HostEvents.ComponentScaled scaled(RunningComponent rc, int count, String error) {
        return new HostEvents.ComponentScaled(id(), rc.id, rc.imageRef, rc.digest, count, rc.annotations, rc.component.world().id(), error);
    }

    private void failScale(Commands.ScaleComponent s, String digest, String error) {
        publishEvent("component_scale_failed", new HostEvents.ComponentScaled(id(), s.componentId(), s.componentRef(), digest,
                s.count() == null ? 1 : s.count(), s.annotations(), null, error));
    }

    /** The module's claims for the policy service (verified above when present), or JSON null when it is unsigned. */
    private static JsonNode claimsJson(byte[] module) {
        return io.spindle.wasm.claims.ComponentClaims.read(module).<JsonNode>map(c -> {
            com.fasterxml.jackson.databind.node.ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("issuer", c.issuer()).put("subject", c.subject()).put("name", c.name()).put("version", c.version());
            if (c.issuedAt() != null) o.put("issued_at", c.issuedAt().getEpochSecond());
            if (c.expiresAt() != null) o.put("expires_at", c.expiresAt().getEpochSecond());
            return o;
        }).orElse(com.fasterxml.jackson.databind.node.NullNode.getInstance());
    }

    private CtlResponse<?> stopComponent(String op, Commands.ScaleComponent s) {
        if (s.componentId() == null) throw new Refused(op + ": component_id is missing");
        if (!LinkRules.validId(s.componentId())) throw new Refused(op + ": component_id " + LinkRules.quote(s.componentId()) + " must be 1-64 of [A-Za-z0-9_-]");
        checkHostId(op, s.hostId());
        lock.lock();
        try {
            RunningComponent rc = components.get(s.componentId());
            if (rc == null) throw new Refused(op + ": component " + LinkRules.quote(s.componentId()) + " does not run on host " + friendlyName
                    + (components.isEmpty() ? " (it runs no components)" : " (it runs: " + String.join(", ", new TreeMap<>(components).keySet()) + ")"));
            unapplyFor(rc);
            rc.close(true);
            components.remove(rc.id);
            restarts.remove(rc.id);
            health.remove("component:" + rc.id);
            publishEvent("component_scaled", scaled(rc, 0, null));
            reconcileLocked();
            String msg = "stopped component " + rc.id + " on host " + friendlyName;
            if (op.equals("component.scale")) // scale answers with the description: max_instances 0, stopped
                return CtlResponse.ok(msg, new HostInventory.ComponentDescription(rc.id, rc.imageRef, rc.digest, 0, rc.annotations, "stopped"));
            return CtlResponse.ok(msg, null);
        } finally {
            lock.unlock();
        }
    }

    /** Restarts a failed component from its last checkpoint (the worker, after a backoff). */
    private void restart(RunningComponent failed) {
        lock.lock();
        try {
            if (state != State.RUNNING || components.get(failed.id) != failed) return;
            unapplyFor(failed);
            failed.close(false);
            Checkpoint cp = null;
            Optional<KvEntry> e = checkpointBucket.get(failed.id);
            if (e.isPresent() && !e.get().deleted() && !"false".equals(failed.annotations.get(RESTORE_ANNOTATION))) cp = Checkpoint.decode(e.get().value());
            RunningComponent rc = new RunningComponent(failed.id, failed.imageRef, failed.component, failed.annotations, failed.configNames,
                    failed.maxInstances(), runtime, log, hooks, id(), failed.checkpointMessages(), failed.checkpointInterval());
            List<String> missing = new ArrayList<>();
            Map<String, String> cfg = configsFromCache(failed.configNames, missing);
            if (cfg == null) cfg = failed.config();
            cfg = new LinkedHashMap<>(cfg);
            cfg.putAll(linkConfigFor(failed.id, new ArrayList<>()));
            rc.start(cfg, cp);
            components.put(rc.id, rc);
            LOG.log(System.Logger.Level.INFO, "component " + rc.id + " restarted" + (cp != null ? " from its checkpoint at " + cp.offsets() : ""));
            if (cp != null)
                publishEvent("checkpoint_restored", new HostEvents.CheckpointEvent(id(), rc.id, cp.digest(), cp.offsets(), cp.messages(),
                        cp.state().length, cp.savedAt()));
            reportHealth("component", rc.id, "running", null);
            reconcileLocked();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "restarting component " + failed.id + " failed: " + e.getMessage());
            hooks.failed(failed, "restart failed: " + e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    private CtlResponse<?> startProvider(String op, Commands.StartProvider s) {
        if (s.providerRef() == null) throw new Refused(op + ": provider_ref is missing (built-in: "
                + String.join(", ", Interfaces.PROVIDERS.stream().map(Interfaces.ProviderKind::ref).toList()) + ")");
        if (Interfaces.provider(s.providerRef()).isEmpty())
            throw new Refused(op + ": provider_ref " + LinkRules.quote(s.providerRef()) + " is not a built-in provider (known: "
                    + String.join(", ", Interfaces.PROVIDERS.stream().map(Interfaces.ProviderKind::ref).toList()) + ")");
        if (s.providerId() == null) throw new Refused(op + ": provider_id is missing");
        if (!LinkRules.validId(s.providerId())) throw new Refused(op + ": provider_id " + LinkRules.quote(s.providerId()) + " must be 1-64 of [A-Za-z0-9_-]");
        checkHostId(op, s.hostId());
        checkAnnotations(op, s.annotations());
        lock.lock();
        try {
            if (components.containsKey(s.providerId())) throw new Refused(op + ": id " + LinkRules.quote(s.providerId()) + " is a component on this host");
            ProviderEntry existing = providers.get(s.providerId());
            if (existing != null) {
                if (!existing.provider().ref().equals(s.providerRef()))
                    throw new Refused(op + ": provider " + LinkRules.quote(s.providerId()) + " already runs here as " + existing.provider().ref());
                return CtlResponse.ok("provider " + s.providerId() + " already runs on host " + friendlyName, existing.describe());
            }
            Map<String, String> cfg = configsFromBucket(op, s.config());
            String denied = policyDenial(PolicyRequest.START_PROVIDER, new PolicyRequest.ProviderTarget(s.providerId(), s.providerRef(),
                    s.config(), s.annotations()));
            if (denied != null) {
                publishEvent("provider_start_failed", new HostEvents.ProviderEvent(id(), s.providerId(), s.providerRef(), s.annotations(), denied));
                throw new Refused(op + ": " + denied);
            }
            Provider p;
            try {
                p = ProviderFactories.create(s.providerRef(), new ProviderContext(s.providerId(), transport, subjects, cfg, dataDir));
            } catch (IllegalArgumentException | IllegalStateException e) {
                publishEvent("provider_start_failed", new HostEvents.ProviderEvent(id(), s.providerId(), s.providerRef(), s.annotations(), e.getMessage()));
                throw new Refused(op + ": provider " + s.providerId() + " config: " + e.getMessage());
            }
            ProviderEntry pe = new ProviderEntry(p, s.annotations(), s.config());
            providers.put(p.id(), pe);
            publishEvent("provider_started", new HostEvents.ProviderEvent(id(), p.id(), p.ref(), s.annotations(), null));
            reconcileLocked();
            return CtlResponse.ok("started provider " + p.id() + " (" + p.ref() + ") on host " + friendlyName, pe.describe());
        } finally {
            lock.unlock();
        }
    }

    private CtlResponse<?> stopProvider(String op, Commands.StopProvider s) {
        if (s.providerId() == null) throw new Refused(op + ": provider_id is missing");
        if (!LinkRules.validId(s.providerId())) throw new Refused(op + ": provider_id " + LinkRules.quote(s.providerId()) + " must be 1-64 of [A-Za-z0-9_-]");
        checkHostId(op, s.hostId());
        lock.lock();
        try {
            ProviderEntry pe = providers.get(s.providerId());
            if (pe == null) throw new Refused(op + ": provider " + LinkRules.quote(s.providerId()) + " does not run on host " + friendlyName);
            unapplyFor(pe.provider());
            closeQuietly(pe.provider());
            providers.remove(s.providerId());
            health.remove("provider:" + s.providerId());
            publishEvent("provider_stopped", new HostEvents.ProviderEvent(id(), pe.provider().id(), pe.provider().ref(), pe.annotations(), null));
            reconcileLocked();
            return CtlResponse.ok("stopped provider " + s.providerId() + " on host " + friendlyName, null);
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------------ links

    private List<Link> storedLinks() {
        List<Link> out = new ArrayList<>();
        for (String k : linksBucket.keys()) {
            linksBucket.get(k).filter(e -> !e.deleted()).ifPresent(e -> {
                try {
                    out.add(Json.read(e.value(), Link.class, "link " + k));
                } catch (IllegalArgumentException bad) {
                    // not a link: reported by the hosts watching
                }
            });
        }
        out.sort(Comparator.comparing(Link::key));
        return out;
    }

    private CtlResponse<?> putLink(byte[] body) {
        String op = "link.put";
        Link l;
        try {
            l = read(op, body, Link.class);
        } catch (Refused e) {
            publishEvent("link_put_failed", new HostEvents.LinkFailed(id(), "put", null, e.getMessage()));
            throw e;
        }
        try {
            validateForPut(l);
        } catch (Refused e) {
            publishEvent("link_put_failed", new HostEvents.LinkFailed(id(), "put", l, e.getMessage()));
            throw e;
        }
        linksBucket.put(l.key(), Json.write(l));
        publishEvent("link_put", l);
        return CtlResponse.ok("stored link " + l.describe(), l);
    }

    /** Every rule of lattice/README.md before a link is stored; Refused listing every problem. */
    private void validateForPut(Link l) {
        List<String> p = new ArrayList<>(LinkRules.syntax(l));
        if (!p.isEmpty()) throw new Refused("link.put: " + String.join("; ", p));
        Map<String, String> sourceCfg = new LinkedHashMap<>(), targetCfg = new LinkedHashMap<>();
        for (String c : l.sourceConfig()) {
            try {
                sourceCfg.putAll(configsFromBucket("link.put", List.of(c)));
            } catch (Refused e) {
                p.add("source_config " + LinkRules.quote(c) + " does not exist (put it first with config.put)");
            }
        }
        for (String c : l.targetConfig()) {
            try {
                targetCfg.putAll(configsFromBucket("link.put", List.of(c)));
            } catch (Refused e) {
                p.add("target_config " + LinkRules.quote(c) + " does not exist (put it first with config.put)");
            }
        }
        LinkRules.Party source = party(l.sourceId()), target = party(l.target());
        if (source == null || target == null) {
            discover();
            if (source == null) source = party(l.sourceId());
            if (target == null) target = party(l.target());
        }
        if (source == null) p.add("source_id " + LinkRules.quote(l.sourceId()) + ": no component or provider named " + LinkRules.quote(l.sourceId())
                + " runs in lattice " + subjects.lattice() + " (start it first)");
        if (target == null) p.add("target " + LinkRules.quote(l.target()) + ": no component or provider named " + LinkRules.quote(l.target())
                + " runs in lattice " + subjects.lattice() + " (start it first)");
        if (source != null && target != null) {
            for (String iface : l.qualifiedInterfaces()) {
                List<String> roles = LinkRules.roles(iface, source, target);
                p.addAll(roles);
                if (!roles.isEmpty()) continue;
                boolean provSource = LinkRules.providerIsSource(iface);
                LinkRules.Party prov = provSource ? source : target;
                Map<String, String> cfg = provSource ? sourceCfg : targetCfg;
                String side = provSource ? "source_config" : "target_config";
                List<String> cp = switch (prov.providerRef()) {
                    case Interfaces.MESSAGING -> iface.equals(Interfaces.PROCESSOR) ? MessagingProvider.checkFeedConfig(subjects, cfg, false)
                            : MessagingProvider.checkPublisherConfig(cfg);
                    default -> KeyValueProvider.checkConfig(subjects, cfg, false);
                };
                for (String c : cp) p.add(side + " (for " + prov.providerRef() + "): " + c);
            }
        }
        if (!p.isEmpty()) throw new Refused("link.put: " + String.join("; ", p.stream().distinct().toList()));
    }

    /** Where id runs: this host first, then the lattice view; null when nowhere known. */
    private LinkRules.Party party(String id) {
        RunningComponent rc = components.get(id);
        if (rc != null) return new LinkRules.Party(id, true, rc.component.world(), null, "on this host");
        ProviderEntry pe = providers.get(id);
        if (pe != null) return new LinkRules.Party(id, false, null, pe.provider().ref(), "on this host");
        List<LatticeView.Entry> found = view.find(id);
        for (LatticeView.Entry e : found) {
            if (e.component()) return new LinkRules.Party(id, true, worldOf(e.digest()), null, "on host " + e.hostId());
            return new LinkRules.Party(id, false, null, e.ref(), "on host " + e.hostId());
        }
        return null;
    }

    /** The world of a stored module, or null when it cannot be read. */
    private World worldOf(String digest) {
        if (digest == null) return null;
        World w = worlds.get(digest);
        if (w != null) return w;
        Optional<byte[]> b = sources.get(digest);
        if (b.isEmpty()) return null;
        try {
            w = runtime.load(digest, b.get()).world();
            worlds.put(digest, w);
            return w;
        } catch (ComponentException e) {
            return null;
        }
    }

    /** Asks every host for its inventory (when validation meets an id the view does not know). */
    private void discover() {
        try {
            List<Msg> replies = transport.requestMany(subjects.ctl("host.get"), new byte[0], discoveryWindow);
            for (Msg r : replies) {
                JsonNode env = Json.tree(r.data(), "host.get reply");
                String hid = env.path("response").path("id").asText(null);
                if (hid == null || hid.equals(id())) continue;
                try {
                    Msg inv = transport.request(subjects.ctl("host.inventory", hid), new byte[0], discoveryWindow.multipliedBy(4)).get();
                    JsonNode ienv = Json.tree(inv.data(), "host.inventory reply");
                    if (ienv.path("success").asBoolean(false))
                        view.inventory(Json.MAPPER.treeToValue(ienv.get("response"), HostInventory.class));
                } catch (Exception e) {
                    LOG.log(System.Logger.Level.DEBUG, "inventory of " + hid + ": " + e);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "discovery: " + e);
        }
    }

    private CtlResponse<?> deleteLink(Commands.DeleteLink d) {
        String op = "link.del";
        List<String> p = new ArrayList<>();
        if (d.sourceId() == null) p.add("source_id is missing");
        else if (!LinkRules.validId(d.sourceId())) p.add("source_id " + LinkRules.quote(d.sourceId()) + " must be 1-64 of [A-Za-z0-9_-]");
        String name = d.name() == null || d.name().isBlank() ? "default" : d.name();
        if (!LinkRules.validId(name)) p.add("name " + LinkRules.quote(name) + " must be 1-64 of [A-Za-z0-9_-]");
        if (d.witNamespace() == null) p.add("wit_namespace is missing");
        if (d.witPackage() == null) p.add("wit_package is missing");
        if (d.witNamespace() != null && d.witPackage() != null && !Interfaces.PACKAGES.containsKey(d.witNamespace() + ":" + d.witPackage()))
            p.add("interface package " + LinkRules.quote(d.witNamespace() + ":" + d.witPackage()) + " is not known");
        if (!p.isEmpty()) throw new Refused(op + ": " + String.join("; ", p));
        String key = new Link(d.sourceId(), null, name, d.witNamespace(), d.witPackage(), null, null, null).key();
        Optional<KvEntry> e = linksBucket.get(key);
        if (e.isEmpty() || e.get().deleted()) {
            List<String> ofSource = storedLinks().stream().filter(x -> x.sourceId().equals(d.sourceId())).map(Link::describe).toList();
            throw new Refused(op + ": no link of " + d.sourceId() + " named " + name + " on " + d.witNamespace() + ":" + d.witPackage()
                    + (ofSource.isEmpty() ? " (it has no links)" : " (its links: " + String.join("; ", ofSource) + ")"));
        }
        linksBucket.delete(key);
        publishEvent("link_deleted", new HostEvents.LinkDeleted(d.sourceId(), name, d.witNamespace(), d.witPackage()));
        return CtlResponse.ok("deleted link " + key, null);
    }

    // ------------------------------------------------------------------------------------------------ config

    private CtlResponse<?> putConfig(String name, byte[] body) {
        Map<String, String> values;
        try {
            values = parseConfig(body, "config.put " + name);
        } catch (IllegalArgumentException e) {
            throw new Refused(e.getMessage());
        }
        configBucket.put(name, Json.write(values));
        publishEvent("config_set", new HostEvents.ConfigChanged(name));
        return CtlResponse.ok("stored config " + name + " (" + values.size() + " values)", null);
    }

    private CtlResponse<?> getConfig(String name, byte[] body) {
        noBody("config.get", body);
        Optional<KvEntry> e = configBucket.get(name);
        if (e.isEmpty() || e.get().deleted()) throw new Refused("config.get: no config named " + LinkRules.quote(name));
        return CtlResponse.ok(null, parseConfig(e.get().value(), "config " + name));
    }

    private CtlResponse<?> deleteConfig(String name, byte[] body) {
        noBody("config.del", body);
        Optional<KvEntry> e = configBucket.get(name);
        if (e.isEmpty() || e.get().deleted()) throw new Refused("config.del: no config named " + LinkRules.quote(name));
        configBucket.delete(name);
        publishEvent("config_deleted", new HostEvents.ConfigChanged(name));
        return CtlResponse.ok("deleted config " + name, null);
    }

    // ------------------------------------------------------------------------------------------------ reconcile

    private void queueReconcile() {
        if (!reconcileQueued.compareAndSet(false, true)) return;
        try {
            worker.execute(() -> {
                reconcileQueued.set(false);
                lock.lock();
                try {
                    reconcileLocked();
                } finally {
                    lock.unlock();
                }
            });
        } catch (RejectedExecutionException e) {
            reconcileQueued.set(false);
        }
    }

    /** The config a component's links give it (its side of each link), merged in link-key order; missing names listed. */
    private Map<String, String> linkConfigFor(String componentId, List<String> missing) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Link l : new TreeMap<>(links).values()) {
            if (!LinkRules.syntax(l).isEmpty()) continue;
            for (String iface : l.qualifiedInterfaces()) {
                boolean provSource = LinkRules.providerIsSource(iface);
                String comp = provSource ? l.target() : l.sourceId();
                if (!comp.equals(componentId)) continue;
                Map<String, String> c = configsFromCache(provSource ? l.targetConfig() : l.sourceConfig(), missing);
                if (c != null) out.putAll(c);
                break;
            }
        }
        return out;
    }

    /** A binding's identity: the link, the provider-side config and which instances of both ends it joins. */
    private record Desired(String key, Link link, String iface, RunningComponent component, ProviderEntry provider, Map<String, String> config,
                           String signature) {
    }

    /** Brings the applied links in line with the links bucket and what runs here. Under the host lock. */
    private void reconcileLocked() {
        if (state != State.RUNNING) return;
        Map<String, Desired> desired = new LinkedHashMap<>();
        Map<String, String> status = new TreeMap<>();
        unreadableLinks.forEach((k, why) -> status.put(k, "refused: " + why));
        for (Link l : new TreeMap<>(links).values()) {
            List<String> syntax = LinkRules.syntax(l);
            boolean mine = components.containsKey(l.sourceId()) || components.containsKey(l.target()) || providers.containsKey(l.sourceId())
                    || providers.containsKey(l.target());
            if (!mine) continue;
            if (!syntax.isEmpty()) {
                status.put(l.key(), "refused: " + String.join("; ", syntax));
                continue;
            }
            LinkRules.Party src = localParty(l.sourceId()), tgt = localParty(l.target());
            if (src == null || tgt == null) {
                status.put(l.key(), "pending: " + (src == null ? "source_id " + LinkRules.quote(l.sourceId()) : "target " + LinkRules.quote(l.target()))
                        + " does not run on this host (a link between a component and a provider applies on a host that runs both)");
                continue;
            }
            List<String> problems = new ArrayList<>();
            List<Desired> ds = new ArrayList<>();
            for (String iface : l.qualifiedInterfaces()) {
                List<String> roles = LinkRules.roles(iface, src, tgt);
                if (!roles.isEmpty()) {
                    problems.addAll(roles);
                    continue;
                }
                boolean provSource = LinkRules.providerIsSource(iface);
                RunningComponent rc = components.get(provSource ? l.target() : l.sourceId());
                ProviderEntry pe = providers.get(provSource ? l.sourceId() : l.target());
                List<String> missing = new ArrayList<>();
                Map<String, String> cfg = configsFromCache(provSource ? l.sourceConfig() : l.targetConfig(), missing);
                configsFromCache(provSource ? l.targetConfig() : l.sourceConfig(), missing);
                if (!missing.isEmpty()) {
                    for (String m : missing) problems.add("config " + LinkRules.quote(m) + " does not exist");
                    continue;
                }
                List<String> cp = pe.provider().checkLinkConfig(iface, rc.id, cfg);
                if (!cp.isEmpty()) {
                    for (String c : cp) problems.add((provSource ? "source_config" : "target_config") + " (with provider " + pe.provider().id() + "'s): " + c);
                    continue;
                }
                String sig = Json.MAPPER.valueToTree(l).toString() + "|" + new TreeMap<>(cfg) + "|" + System.identityHashCode(rc) + "|"
                        + System.identityHashCode(pe);
                ds.add(new Desired(l.key() + "|" + iface, l, iface, rc, pe, cfg, sig));
            }
            if (!problems.isEmpty()) {
                status.put(l.key(), "refused: " + String.join("; ", problems.stream().distinct().toList()));
                continue;
            }
            String gate = linkPolicy(l);
            if (gate != null) {
                status.put(l.key(), gate);
                continue;
            }
            for (Desired d : ds) desired.put(d.key(), d);
            status.put(l.key(), "applied");
        }
        // components first get the config their links give them
        for (RunningComponent rc : components.values()) {
            List<String> missing = new ArrayList<>();
            Map<String, String> start = configsFromCache(rc.configNames, missing);
            Map<String, String> fromLinks = linkConfigFor(rc.id, missing);
            if (start == null || !missing.isEmpty()) continue; // a config not read yet: keep the current one
            Map<String, String> cfg = new LinkedHashMap<>(start);
            cfg.putAll(fromLinks);
            String err = rc.reconfigure(cfg);
            if (err != null) reportHealth("component", rc.id, "running", err);
        }
        for (var it = applied.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            Desired d = desired.get(e.getKey());
            if (d == null || !d.signature().equals(e.getValue().signature())) {
                undo(e.getKey(), e.getValue());
                it.remove();
            }
        }
        boolean retry = false;
        for (Desired d : desired.values()) {
            if (applied.containsKey(d.key())) continue;
            try {
                applied.put(d.key(), apply(d));
            } catch (IllegalArgumentException e) { // the provider refused the config: final until something changes
                status.put(d.link().key(), "refused: " + e.getMessage());
            } catch (RuntimeException e) { // e.g. the bus is down: try again
                status.put(d.link().key(), "pending: could not be applied yet (" + e.getMessage() + "); retrying");
                retry = true;
            }
        }
        if (retry) {
            try {
                worker.schedule(this::queueReconcile, 1, TimeUnit.SECONDS);
            } catch (RejectedExecutionException e) {
                // stopping
            }
        }
        linkStatus.clear();
        linkStatus.putAll(status);
        for (var e : status.entrySet()) {
            if (e.getValue().startsWith("refused: ")) {
                if (!e.getValue().equals(reportedLinkFailures.put(e.getKey(), e.getValue())))
                    publishEvent("link_put_failed", new HostEvents.LinkFailed(id(), e.getValue().startsWith(POLICY_REFUSAL) ? "policy" : "apply", links.get(e.getKey()),
                            "link " + e.getKey() + " not applied on host " + friendlyName + ": " + e.getValue().substring(9)));
            } else {
                reportedLinkFailures.remove(e.getKey());
            }
        }
        reportedLinkFailures.keySet().retainAll(status.keySet());
    }

    // ------------------------------------------------------------------------------------------------ policy

    private static final String POLICY_REFUSAL = "refused: policy: ";

    /** Null when the policy service permits (or none is configured), else why not. */
    private String policyDenial(String kind, Object target) {
        if (policy == null) return null;
        PolicyClient.Decision d = policy.decide(kind, target, new PolicyRequest.HostTarget(id(), subjects.lattice(), labels()));
        return d.permitted() ? null : "denied by policy: " + (d.message().isEmpty() ? "no reason given" : d.message());
    }

    /** Null when link l may be applied here, else its status; never waits (the answer triggers a reconcile). */
    private String linkPolicy(Link l) {
        if (policy == null) return null;
        Optional<PolicyClient.Decision> d = policy.decideLater(PolicyRequest.APPLY_LINK, PolicyRequest.LinkTarget.of(l),
                new PolicyRequest.HostTarget(id(), subjects.lattice(), labels()), this::queueReconcile);
        if (d.isEmpty()) return "pending: waiting for the policy service's decision";
        return d.get().permitted() ? null : POLICY_REFUSAL + (d.get().message().isEmpty() ? "no reason given" : d.get().message());
    }

    /** The policy client's counters, when the host asks a policy service. */
    public Optional<PolicyClient.Stats> policyStats() {
        PolicyClient p = policy;
        return p == null ? Optional.empty() : Optional.of(p.stats());
    }

    private LinkRules.Party localParty(String id) {
        RunningComponent rc = components.get(id);
        if (rc != null) return new LinkRules.Party(id, true, rc.component.world(), null, "on this host");
        ProviderEntry pe = providers.get(id);
        if (pe != null) return new LinkRules.Party(id, false, null, pe.provider().ref(), "on this host");
        return null;
    }

    private Applied apply(Desired d) {
        RunningComponent rc = d.component();
        Provider p = d.provider().provider();
        String desc = d.link().describe();
        switch (d.iface()) {
            case Interfaces.PUBLISHER -> {
                MessagingProvider mp = (MessagingProvider) p;
                var pub = mp.publisher(rc.id, d.config());
                if (rc.publisher == null) return new Applied(d.signature(), rc, d.provider(), () -> { });
                rc.publisher.link(pub, desc);
                return new Applied(d.signature(), rc, d.provider(), rc.publisher::unlink);
            }
            case Interfaces.STORE -> {
                KeyValueProvider kp = (KeyValueProvider) p;
                var store = kp.store(rc.id, d.config());
                if (rc.keyValue == null) return new Applied(d.signature(), rc, d.provider(), () -> { });
                rc.keyValue.link(store, desc);
                return new Applied(d.signature(), rc, d.provider(), rc.keyValue::unlink);
            }
            case Interfaces.PROCESSOR -> {
                MessagingProvider mp = (MessagingProvider) p;
                MessagingProvider.Feed f = mp.feed(d.link().key(), rc, d.config());
                return new Applied(d.signature(), rc, d.provider(), f);
            }
            default -> throw new IllegalStateException("no binding for " + d.iface());
        }
    }

    private void undo(String key, Applied a) {
        try {
            a.undo().close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "unapplying " + key + ": " + e);
        }
    }

    /** Unapplies every link that involves a component or a provider (before stopping it). */
    private void unapplyFor(Object componentOrProvider) {
        for (var it = applied.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            Object pe = e.getValue().provider() instanceof ProviderEntry x ? x.provider() : null;
            if (e.getValue().component() == componentOrProvider || pe == componentOrProvider) {
                undo(e.getKey(), e.getValue());
                it.remove();
            }
        }
    }

    @Override
    public String toString() {
        return "Host[" + friendlyName + ", " + id() + ", lattice " + subjects.lattice() + ", " + state + "]";
    }
}
