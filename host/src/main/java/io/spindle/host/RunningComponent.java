package io.spindle.host;

import io.spindle.lattice.HostInventory;
import io.spindle.providers.KeyValueCapability;
import io.spindle.providers.ProcessorTarget;
import io.spindle.providers.PublisherCapability;
import io.spindle.wasm.Capability;
import io.spindle.wasm.Component;
import io.spindle.wasm.ComponentException;
import io.spindle.wasm.ComponentRuntime;
import io.spindle.wasm.ConfigCapability;
import io.spindle.wasm.Emitted;
import io.spindle.wasm.Grants;
import io.spindle.wasm.ModuleShape;
import io.spindle.wasm.ProcessorInstance;
import io.spindle.wasm.World;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A component running on this host: one processor instance, its linked capabilities (unlinked until links are
 * applied), its input offsets and checkpoints. Every call into the instance happens under {@link #lock}; the host's
 * own lock is never taken from here (so feeds, which hold this lock, cannot deadlock with the host).
 */
final class RunningComponent implements ProcessorTarget {
    /** What the component needs from its host. */
    interface Hooks {
        /** Makes everything published so far durable at the bus (before a checkpoint names an offset). */
        void flushOutputs();

        /** Stores a checkpoint; throws when the store fails. */
        void storeCheckpoint(String componentId, byte[] checkpoint);

        /** A checkpoint was saved. */
        void checkpointSaved(RunningComponent c, Checkpoint cp, int bytes);

        /** The instance failed (stopped); the host restarts it from its last checkpoint. */
        void failed(RunningComponent c, String reason);
    }

    final String id;
    final String imageRef;
    final String digest;
    final Component component;
    final Map<String, String> annotations;
    final List<String> configNames;
    private volatile int maxInstances;
    final ReentrantLock lock = new ReentrantLock();
    private final ComponentRuntime runtime;
    private final Capability log;
    private final Hooks hooks;
    private final String hostId;
    private final int checkpointMessages;
    private final long checkpointIntervalNanos;
    final PublisherCapability publisher;
    final KeyValueCapability keyValue;
    private final Emitted emitted = new Emitted();
    private final Map<String, Long> offsets = new HashMap<>();
    private final AtomicLong guestErrors = new AtomicLong();
    private final AtomicLong calls = new AtomicLong(), callNanos = new AtomicLong(), violations = new AtomicLong();
    private ProcessorInstance instance;
    private Map<String, String> config;
    private long messages, sinceCheckpoint;
    private long lastCheckpointNanos = System.nanoTime();
    private boolean dirty;
    private volatile String failure;
    private volatile String lastError;
    private volatile boolean closed;
    private volatile Checkpoint restored;

    RunningComponent(String id, String imageRef, Component component, Map<String, String> annotations, List<String> configNames,
                     int maxInstances, ComponentRuntime runtime, Capability log, Hooks hooks, String hostId,
                     int checkpointMessages, Duration checkpointInterval) {
        this.id = id;
        this.imageRef = imageRef;
        this.digest = "sha256-" + component.sha256();
        this.component = component;
        this.annotations = Map.copyOf(annotations);
        this.configNames = List.copyOf(configNames);
        this.maxInstances = maxInstances;
        this.runtime = runtime;
        this.log = log;
        this.hooks = hooks;
        this.hostId = hostId;
        this.checkpointMessages = checkpointMessages;
        this.checkpointIntervalNanos = checkpointInterval.toNanos();
        this.publisher = imports(World.MESSAGING_PUBLISHER) ? new PublisherCapability(id) : null;
        this.keyValue = imports(World.KEYVALUE_STORE) ? new KeyValueCapability(id) : null;
    }

    private boolean imports(String iface) {
        return component.imports().stream().map(ModuleShape.Function::module).anyMatch(iface::equals);
    }

    private ProcessorInstance instantiate(Map<String, String> cfg) {
        Grants g = Grants.of(new ConfigCapability(cfg), log);
        if (publisher != null) g = g.with(publisher);
        if (keyValue != null) g = g.with(keyValue);
        return runtime.instantiate(component, g);
    }

    /**
     * Starts the instance with cfg and, when given, restores checkpoint cp (its state and offsets). Throws (a
     * ComponentException or IllegalStateException) with the reason when either fails; nothing keeps running then.
     */
    void start(Map<String, String> cfg, Checkpoint cp) {
        lock.lock();
        try {
            ProcessorInstance p = instantiate(cfg);
            if (cp != null) {
                try {
                    p.restore(cp.state());
                } catch (ComponentException e) {
                    p.close();
                    throw new IllegalStateException("its checkpoint (saved " + cp.savedAt() + " by host " + cp.hostId() + ", digest "
                            + cp.digest() + ", offsets " + cp.offsets() + ") could not be restored: " + e.getMessage()
                            + "; start it with annotation " + Host.RESTORE_ANNOTATION + "=false to start from an empty state", e);
                }
                offsets.clear();
                offsets.putAll(cp.offsets());
                messages = cp.messages();
            }
            ProcessorInstance old = instance;
            instance = p;
            config = Map.copyOf(cfg);
            restored = cp;
            failure = null;
            sinceCheckpoint = 0;
            dirty = false;
            lastCheckpointNanos = System.nanoTime();
            if (old != null) old.close();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Applies a changed configuration: a new instance with cfg takes over the current state (snapshot, restore). On
     * failure the running instance stays and the reason is returned; null on success or when nothing changed.
     */
    String reconfigure(Map<String, String> cfg) {
        lock.lock();
        try {
            if (cfg.equals(config) || failure != null || instance == null) return null;
            ProcessorInstance p = null;
            try {
                byte[] state = instance.snapshot();
                p = instantiate(cfg);
                p.restore(state);
            } catch (ComponentException e) {
                if (p != null) p.close();
                return "config change not applied to component '" + id + "': " + e.getMessage();
            }
            instance.close();
            instance = p;
            config = Map.copyOf(cfg);
            return null;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String componentId() {
        return id;
    }

    @Override
    public long resumeAfter(String input) {
        lock.lock();
        try {
            return offsets.getOrDefault(input, 0L);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void process(String input, long offset, List<SeriesBatch> batches, EmittedSink sink) throws Exception {
        lock.lock();
        try {
            if (closed) throw new IllegalStateException("component '" + id + "' is stopping");
            if (failure != null) throw new IllegalStateException("component '" + id + "' failed (" + failure + ") and waits for a restart");
            ComponentException refused = null;
            for (SeriesBatch b : batches) {
                long started = System.nanoTime();
                try {
                    instance.process(b.series(), b.times(), b.values(), 0, b.count(), emitted);
                } catch (ComponentException e) {
                    if (e.kind() != ComponentException.Kind.GUEST_ERROR) violations.incrementAndGet(); // a trap or a broken limit
                    if (e.kind() == ComponentException.Kind.GUEST_ERROR) {
                        guestErrors.incrementAndGet();
                        lastError = e.getMessage();
                        refused = e;
                        continue; // the batch is refused (reported to the feed below), the instance goes on
                    }
                    fail(e.getMessage());
                    throw e;
                } finally {
                    calls.incrementAndGet();
                    callNanos.addAndGet(System.nanoTime() - started);
                }
                try {
                    sink.accept(b.series(), emitted);
                } catch (Exception e) {
                    // the state has moved past output that was not published: only a restart from the checkpoint is consistent
                    fail("publishing its output failed: " + e.getMessage());
                    throw e;
                }
            }
            if (offset > 0) offsets.put(input, offset);
            messages++;
            sinceCheckpoint++;
            dirty = true;
            if (sinceCheckpoint >= checkpointMessages || System.nanoTime() - lastCheckpointNanos >= checkpointIntervalNanos) checkpoint();
            if (refused != null) throw refused; // consumed (the offset moved on), but the feed counts the refusal
        } finally {
            lock.unlock();
        }
    }

    private void fail(String reason) {
        failure = reason;
        lastError = reason;
        hooks.failed(this, reason);
    }

    /** Under the lock: flush outputs, snapshot, store. A store failure keeps the state dirty (retried later). */
    private void checkpoint() {
        if (instance == null || failure != null) return;
        try {
            hooks.flushOutputs(); // the output this checkpoint vouches for must be at the bus first
        } catch (RuntimeException e) {
            lastError = "checkpoint postponed: outputs not confirmed by the bus: " + e.getMessage();
            lastCheckpointNanos = System.nanoTime();
            return;
        }
        byte[] state;
        try {
            state = instance.snapshot();
        } catch (ComponentException e) {
            fail("snapshot failed: " + e.getMessage());
            return;
        }
        Checkpoint cp = new Checkpoint(id, digest, hostId, Instant.now().toString(), offsets, messages, state);
        byte[] bytes = cp.encode();
        try {
            hooks.storeCheckpoint(id, bytes);
        } catch (RuntimeException e) {
            lastError = "checkpoint of " + bytes.length + " bytes could not be stored: " + e.getMessage();
            lastCheckpointNanos = System.nanoTime(); // retry after another interval, not on every message
            return;
        }
        sinceCheckpoint = 0;
        dirty = false;
        lastCheckpointNanos = System.nanoTime();
        hooks.checkpointSaved(this, cp, bytes.length);
    }

    /** Takes a checkpoint when state changed and the interval has passed (the host's timer). */
    void checkpointIfDue() {
        if (!lock.tryLock()) return; // busy processing: the next message checks
        try {
            if (!closed && dirty && System.nanoTime() - lastCheckpointNanos >= checkpointIntervalNanos) checkpoint();
        } finally {
            lock.unlock();
        }
    }

    /** Takes a checkpoint now if the state changed since the last one. */
    void checkpointNow() {
        lock.lock();
        try {
            if (!closed && dirty) checkpoint();
        } finally {
            lock.unlock();
        }
    }

    /** Stops the instance; with finalCheckpoint, first saves the state if it changed (a clean stop). */
    void close(boolean finalCheckpoint) {
        lock.lock();
        try {
            if (closed) return;
            if (finalCheckpoint && dirty) checkpoint();
            closed = true;
            if (instance != null) instance.close();
        } finally {
            lock.unlock();
        }
    }

    int maxInstances() {
        return maxInstances;
    }

    void setMaxInstances(int n) {
        maxInstances = n;
    }

    int checkpointMessages() {
        return checkpointMessages;
    }

    Duration checkpointInterval() {
        return Duration.ofNanos(checkpointIntervalNanos);
    }

    String failure() {
        return failure;
    }

    String lastError() {
        return lastError;
    }

    /** Calls of the component's process export, their total time, guest errors, traps and broken limits. */
    Host.ComponentStats stats() {
        return new Host.ComponentStats(id, calls.get(), callNanos.get(), guestErrors.get(), violations.get());
    }

    long guestErrors() {
        return guestErrors.get();
    }

    long messages() {
        lock.lock();
        try {
            return messages;
        } finally {
            lock.unlock();
        }
    }

    Checkpoint restoredFrom() {
        return restored;
    }

    Map<String, String> config() {
        return config;
    }

    Map<String, Long> offsets() {
        lock.lock();
        try {
            return Map.copyOf(offsets);
        } finally {
            lock.unlock();
        }
    }

    String state() {
        return closed ? "stopped" : failure != null ? "failed" : "running";
    }

    HostInventory.ComponentDescription describe() {
        return new HostInventory.ComponentDescription(id, imageRef, digest, maxInstances, annotations, state());
    }
}
