package io.spindle.wasm;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.Instance;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One running instance of a {@code spindle:telemetry/processor} component. Every call runs under the instance's
 * limits; a guest that traps or breaks a limit is stopped (later calls fail with kind STOPPED) and the error names
 * the component, the call and the reason. An {@code err} result from the guest is a {@link ComponentException} of
 * kind GUEST_ERROR and leaves the instance usable. Not thread-safe: one caller at a time (calls are synchronized).
 */
public final class ProcessorInstance implements AutoCloseable {
    private static final int EMITTED_AREA = 36;
    private static final int MAX_ERROR_CHARS = 4096;

    private final Component component;
    private final InstanceLimits limits;
    private final GuestContext context;
    private final Watchdog.Slot slot;
    private Instance instance;
    private GuestMemory memory;
    private ExportFunction process, postProcess, flush, postFlush, snapshot, postSnapshot, restore, postRestore;
    private volatile ComponentException stoppedBy;
    private String lastSeries;
    private byte[] lastSeriesBytes;
    private long calls;

    ProcessorInstance(Component component, InstanceLimits limits, GuestContext context) {
        this.component = component;
        this.limits = limits;
        this.context = context;
        this.slot = Watchdog.get().register();
    }

    /** Runs the start function and {@code _initialize} under the deadline, then binds the world's exports. */
    void start(Supplier<Instance> build) {
        instance = guarded("instantiate", build);
        memory = context.memory(instance);
        if (component.exports().stream().anyMatch(e -> e.name().equals("_initialize"))) {
            ExportFunction init = instance.export("_initialize");
            guarded("_initialize", () -> init.apply());
        }
        process = instance.export("process");
        postProcess = instance.export("cabi_post_process");
        flush = instance.export("flush");
        postFlush = instance.export("cabi_post_flush");
        snapshot = instance.export("snapshot");
        postSnapshot = instance.export("cabi_post_snapshot");
        restore = instance.export("restore");
        postRestore = instance.export("cabi_post_restore");
    }

    /** The component this instance runs. */
    public Component component() {
        return component;
    }

    /** The limits it runs under. */
    public InstanceLimits limits() {
        return limits;
    }

    /** Current linear memory in bytes. */
    public long memoryBytes() {
        return memory == null ? 0 : memory.size();
    }

    /** Number of calls made (failed ones included). */
    public long calls() {
        return calls;
    }

    /** The failure that stopped this instance, or null while it runs. */
    public ComponentException stoppedBy() {
        return stoppedBy;
    }

    /** Feeds samples [from, to) of one series; out receives what the batch made final. */
    public synchronized void process(String series, long[] times, double[] values, int from, int to, Emitted out) {
        Objects.checkFromToIndex(from, to, times.length);
        Objects.checkFromToIndex(from, to, values.length);
        int n = to - from;
        guarded("process", () -> {
            byte[] name = seriesBytes(series);
            int sp = memory.lowerBytes(name);
            int tp = memory.lowerLongs(times, from, n);
            int vp = memory.lowerDoubles(values, from, n);
            int ret = (int) process.apply(sp, name.length, tp, n, vp, n)[0];
            liftEmitted("process", ret, postProcess, n, out);
            return null;
        });
    }

    /** Ends one series' stream: out receives everything still held for it. */
    public synchronized void flush(String series, Emitted out) {
        guarded("flush", () -> {
            byte[] name = seriesBytes(series);
            int sp = memory.lowerBytes(name);
            int ret = (int) flush.apply(sp, name.length)[0];
            liftEmitted("flush", ret, postFlush, Integer.MAX_VALUE, out);
            return null;
        });
    }

    /** The guest's whole state, as it encodes it. */
    public synchronized byte[] snapshot() {
        return guarded("snapshot", () -> {
            int ret = (int) snapshot.apply()[0];
            checkArea("snapshot", ret, 8);
            int ptr = memory.readInt(ret, "snapshot: list pointer");
            int len = memory.readInt(ret + 4, "snapshot: list length");
            checkOutput("snapshot", Integer.toUnsignedLong(len));
            byte[] state = memory.readBytes(ptr, len, "snapshot: state bytes");
            postSnapshot.apply(ret);
            return state;
        });
    }

    /** Replaces the guest's state with one from {@link #snapshot()}; a refused state leaves the guest as it was. */
    public synchronized void restore(byte[] state) {
        guarded("restore", () -> {
            int ptr = memory.lowerBytes(state);
            int ret = (int) restore.apply(ptr, state.length)[0];
            checkArea("restore", ret, 12);
            int disc = memory.readU8(ret, "restore: result discriminant");
            if (disc == 1) {
                String msg = readError("restore", ret);
                postRestore.apply(ret);
                throw new ComponentException(component.name(), "restore", ComponentException.Kind.GUEST_ERROR, msg);
            }
            if (disc != 0) throw new AbiViolation("restore: result discriminant " + disc + " is neither ok (0) nor err (1)");
            postRestore.apply(ret);
            return null;
        });
    }

    @Override
    public void close() {
        Watchdog.get().unregister(slot);
    }

    private byte[] seriesBytes(String series) {
        if (!series.equals(lastSeries)) {
            lastSeriesBytes = series.getBytes(StandardCharsets.UTF_8);
            lastSeries = series;
        }
        return lastSeriesBytes;
    }

    private void liftEmitted(String call, int ret, ExportFunction post, int inputs, Emitted out) {
        checkArea(call, ret, EMITTED_AREA);
        int disc = memory.readU8(ret, call + ": result discriminant");
        if (disc == 1) {
            String msg = readError(call, ret);
            post.apply(ret);
            throw new ComponentException(component.name(), call, ComponentException.Kind.GUEST_ERROR, msg);
        }
        if (disc != 0) throw new AbiViolation(call + ": result discriminant " + disc + " is neither ok (0) nor err (1)");
        int tp = memory.readInt(ret + 4, call + ": times pointer");
        int tn = memory.readInt(ret + 8, call + ": times length");
        int vp = memory.readInt(ret + 12, call + ": values pointer");
        int vn = memory.readInt(ret + 16, call + ": values length");
        int bp = memory.readInt(ret + 20, call + ": breaks pointer");
        int bn = memory.readInt(ret + 24, call + ": breaks length");
        int late = memory.readInt(ret + 28, call + ": late count");
        int invalid = memory.readInt(ret + 32, call + ": invalid count");
        if (tn != vn)
            throw new AbiViolation(call + ": times has " + Integer.toUnsignedString(tn) + " elements but values " + Integer.toUnsignedString(vn));
        checkOutput(call, 16 * Integer.toUnsignedLong(tn) + 4 * Integer.toUnsignedLong(bn));
        if (tn < 0 || bn < 0) throw new AbiViolation(call + ": list lengths beyond 2^31");
        if (late < 0 || invalid < 0 || (long) late + invalid > inputs)
            throw new AbiViolation(call + ": late " + Integer.toUnsignedString(late) + " + invalid " + Integer.toUnsignedString(invalid)
                    + " exceed the " + inputs + " samples given");
        memory.check(tp, 8L * tn, call + ": times");
        memory.check(vp, 8L * tn, call + ": values");
        memory.check(bp, 4L * bn, call + ": breaks");
        out.reset(tn, bn, late, invalid);
        memory.readLongs(tp, tn, out.times(), call + ": times");
        memory.readDoubles(vp, tn, out.values(), call + ": values");
        memory.readInts(bp, bn, out.breaks(), call + ": breaks");
        int[] b = out.breaks();
        for (int i = 0; i < bn; i++) {
            if (b[i] < 0 || b[i] >= tn || (i > 0 && b[i] <= b[i - 1])) {
                out.clear();
                throw new AbiViolation(call + ": break index " + Integer.toUnsignedString(b[i]) + " at position " + i
                        + " is not ascending within the " + tn + " emitted samples");
            }
        }
        post.apply(ret);
    }

    private String readError(String call, int ret) {
        int ptr = memory.readInt(ret + 4, call + ": error message pointer");
        int len = memory.readInt(ret + 8, call + ": error message length");
        checkOutput(call, Integer.toUnsignedLong(len));
        String msg = memory.readString(ptr, len, call + ": error message");
        return msg.length() > MAX_ERROR_CHARS ? msg.substring(0, MAX_ERROR_CHARS) + "..." : msg;
    }

    private void checkArea(String call, int ret, int size) {
        memory.check(ret, size, call + ": return area");
        if ((ret & 3) != 0) throw new AbiViolation(call + ": return area " + Integer.toUnsignedString(ret) + " is not 4-byte aligned");
    }

    private void checkOutput(String call, long bytes) {
        if (bytes > limits.maxOutputBytes())
            throw new OutputLimitExceeded(call + " returned " + bytes + " bytes, over the output limit of " + limits.maxOutputBytes() + " bytes");
    }

    /** Runs body as call under the deadline; maps every way a guest can fail to a ComponentException. */
    private <T> T guarded(String call, Supplier<T> body) {
        ComponentException stopped = stoppedBy;
        if (stopped != null)
            throw new ComponentException(component.name(), call, ComponentException.Kind.STOPPED,
                    "instance was stopped earlier (" + stopped.getMessage() + ")", stopped);
        calls++;
        context.call(call);
        slot.arm(System.nanoTime() + limits.callDeadline().toNanos());
        Throwable failure = null;
        boolean fired;
        T result = null;
        try {
            result = body.get();
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError | AssertionError | LinkageError e) {
            failure = e;
        } finally {
            fired = slot.disarm();
        }
        if (failure == null) return result;
        ComponentException ce = classify(call, failure, fired);
        if (ce.kind() != ComponentException.Kind.GUEST_ERROR) stoppedBy = ce;
        throw ce;
    }

    private ComponentException classify(String call, Throwable e, boolean fired) {
        String name = component.name();
        if (e instanceof ComponentException ce) return ce;
        if (fired)
            return new ComponentException(name, call, ComponentException.Kind.DEADLINE, "ran past its deadline of "
                    + limits.callDeadline().toMillis() + " ms and was interrupted", e);
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof AbiViolation a) return new ComponentException(name, call, ComponentException.Kind.ABI_VIOLATION, a.getMessage(), e);
            if (c instanceof OutputLimitExceeded o) return new ComponentException(name, call, ComponentException.Kind.OUTPUT_LIMIT, o.getMessage(), e);
            if (c instanceof ComponentException ce) return ce;
            if (c instanceof StackOverflowError)
                return new ComponentException(name, call, ComponentException.Kind.STACK_EXHAUSTED,
                        "recursed deeper than the host's stack allows and was stopped", null);
            if (c == c.getCause()) break;
        }
        if (e instanceof ChicoryInterruptedException) {
            Thread.currentThread().interrupt(); // not ours: keep the caller's interrupt
            return new ComponentException(name, call, ComponentException.Kind.TRAP, "interrupted by the host", e);
        }
        if (e instanceof OutOfMemoryError)
            return new ComponentException(name, call, ComponentException.Kind.MEMORY_LIMIT, "the host ran out of heap while running it", null);
        String detail = ModuleShape.describe(e);
        int max = maxPages();
        if (instance != null && instance.memory() instanceof LimitedMemory lm && lm.refusedPages() > 0)
            return new ComponentException(name, call, ComponentException.Kind.MEMORY_LIMIT, "reached its memory limit of " + max
                    + " pages (" + (max * 64L) + " KiB): growing " + lm.refusedPages() + " more pages from " + lm.pages()
                    + " was refused, then it failed: " + detail, e);
        return new ComponentException(name, call, ComponentException.Kind.TRAP, "trapped: " + detail, e);
    }

    private int maxPages() {
        int declared = component.shape().maxPages();
        return declared < 0 ? limits.maxMemoryPages() : Math.min(declared, limits.maxMemoryPages());
    }
}
