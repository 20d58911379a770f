package io.spindle.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spindle.downsample.stream.PointSink;
import io.spindle.downsample.stream.StreamConfig;
import io.spindle.downsample.stream.StreamingLttb;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Hostile guests (components/adversarial/*.wat and mangled bytes), each stopped with the right kind of error that
 * names the component, the call and the limit, while a healthy LTTB instance runs alongside on another thread and
 * its output stays equal to the Java engine's.
 */
class AdversarialGuestsTest {
    private static final InstanceLimits LIMITS = InstanceLimits.DEFAULTS.withCallDeadline(Duration.ofMillis(300))
            .withMaxMemoryPages(256);
    private static final ComponentRuntime RT = new ComponentRuntime(LIMITS, null);
    private static final Healthy HEALTHY = new Healthy();

    @BeforeAll
    static void startHealthy() {
        HEALTHY.start();
    }

    @AfterAll
    static void healthyWasUndisturbed() throws InterruptedException {
        HEALTHY.stop();
        assertThat(HEALTHY.failure.get()).as("healthy instance failure").isNull();
        assertThat(HEALTHY.rounds.get()).as("healthy rounds completed alongside the hostile guests").isGreaterThan(0);
    }

    private static ComponentException failsAtProcess(String guest, Grants grants, Engine engine) {
        Component c = RT.load(guest, Guests.adversarial(guest));
        try (ProcessorInstance p = RT.instantiate(c, grants, LIMITS, engine)) {
            Throwable t = org.assertj.core.api.Assertions.catchThrowable(
                    () -> p.process("spindle-load", new long[] {1, 2, 3}, new double[] {1, 2, 3}, 0, 3, new Emitted()));
            assertThat(t).isInstanceOf(ComponentException.class);
            ComponentException e = (ComponentException) t;
            assertThat(e.component()).isEqualTo(guest);
            assertThat(e.call()).isEqualTo("process");
            assertThat(e.getMessage()).startsWith("component '" + guest + "' process: ");
            // A stopped instance takes no more calls, and says why.
            assertThatThrownBy(() -> p.flush("spindle-load", new Emitted())).isInstanceOf(ComponentException.class)
                    .hasMessageContaining("stopped earlier").extracting(x -> ((ComponentException) x).kind())
                    .isEqualTo(ComponentException.Kind.STOPPED);
            HEALTHY.checkOnThisThread(); // the thread that ran the hostile guest is fine too (no stray interrupt)
            return e;
        }
    }

    private static ComponentException failsAtInstantiate(String guest, Grants grants, Engine engine) {
        Component c = RT.load(guest, Guests.adversarial(guest));
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> RT.instantiate(c, grants, LIMITS, engine).close());
        assertThat(t).isInstanceOf(ComponentException.class);
        HEALTHY.checkOnThisThread();
        return (ComponentException) t;
    }

    private static ComponentException failsAtLoad(String name, byte[] bytes, ComponentRuntime rt) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> rt.load(name, bytes));
        assertThat(t).isInstanceOf(ComponentException.class);
        ComponentException e = (ComponentException) t;
        assertThat(e.call()).isEqualTo("load");
        assertThat(e.getMessage()).startsWith("component '" + name + "' load: ");
        return e;
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void infiniteLoopIsStoppedByTheDeadline(Engine engine) {
        long t0 = System.nanoTime();
        ComponentException e = failsAtProcess("infinite_loop", Grants.none(), engine);
        assertThat(e.kind()).isEqualTo(ComponentException.Kind.DEADLINE);
        assertThat(e.getMessage()).contains("deadline of 300 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void memoryBombStopsAtTheMemoryLimit(Engine engine) {
        ComponentException e = failsAtProcess("memory_bomb", Grants.none(), engine);
        assertThat(e.kind()).isEqualTo(ComponentException.Kind.MEMORY_LIMIT);
        assertThat(e.getMessage()).contains("memory limit of 256 pages");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void trapStopsTheInstance(Engine engine) {
        ComponentException e = failsAtProcess("trap", Grants.none(), engine);
        assertThat(e.kind()).isEqualTo(ComponentException.Kind.TRAP);
        assertThat(e.getMessage()).containsIgnoringCase("unreachable");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void deepRecursionIsStopped(Engine engine) {
        ComponentException e = failsAtProcess("deep_recursion", Grants.none(), engine);
        assertThat(e.kind()).isIn(ComponentException.Kind.STACK_EXHAUSTED, ComponentException.Kind.TRAP);
        assertThat(e.getMessage()).containsAnyOf("stack", "call stack");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void hugeOutputIsRefused(Engine engine) {
        ComponentException e = failsAtProcess("huge_output", Grants.none(), engine);
        assertThat(e.kind()).isEqualTo(ComponentException.Kind.OUTPUT_LIMIT);
        assertThat(e.getMessage()).contains("over the output limit of " + LIMITS.maxOutputBytes() + " bytes");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void outOfBoundsPointersAreAbiViolations(Engine engine) {
        assertThat(failsAtProcess("bad_pointer", Grants.none(), engine)).satisfies(e -> {
            assertThat(e.kind()).isEqualTo(ComponentException.Kind.ABI_VIOLATION);
            assertThat(e.getMessage()).contains("process: times [4294967280, 4294967312) lies outside linear memory");
        });
        assertThat(failsAtProcess("bad_return_area", Grants.none(), engine)).satisfies(e -> {
            assertThat(e.kind()).isEqualTo(ComponentException.Kind.ABI_VIOLATION);
            assertThat(e.getMessage()).contains("return area");
        });
        assertThat(failsAtProcess("mismatched_columns", Grants.none(), engine)).satisfies(e -> {
            assertThat(e.kind()).isEqualTo(ComponentException.Kind.ABI_VIOLATION);
            assertThat(e.getMessage()).contains("times has 3 elements but values 2");
        });
        assertThat(failsAtProcess("bad_realloc", Grants.none(), engine)).satisfies(e -> {
            assertThat(e.kind()).isEqualTo(ComponentException.Kind.ABI_VIOLATION);
            assertThat(e.getMessage()).contains("cabi_realloc result");
        });
        List<String> lines = new ArrayList<>();
        assertThat(failsAtProcess("bad_host_pointer", Grants.of(new LogCapability((c, call, l, m) -> lines.add(m))), engine)).satisfies(e -> {
            assertThat(e.kind()).isEqualTo(ComponentException.Kind.ABI_VIOLATION);
            assertThat(e.getMessage()).contains("log: message [65530, 65630) lies outside linear memory of 65536 bytes");
        });
        assertThat(lines).isEmpty();
    }

    @Test
    void logFloodIsBoundedAndStoppedByTheDeadline() {
        AtomicLong count = new AtomicLong();
        AtomicLong longest = new AtomicLong();
        ComponentException e = failsAtProcess("log_flood", Grants.of(new LogCapability((c, call, level, m) -> {
            count.incrementAndGet();
            longest.accumulateAndGet(m.length(), Math::max);
            assertThat(c).isEqualTo("log_flood");
            assertThat(call).isEqualTo("process");
            assertThat(level).isEqualTo("info");
        })), Engine.COMPILED);
        assertThat(e.kind()).isEqualTo(ComponentException.Kind.DEADLINE);
        assertThat(count.get()).isPositive();
        assertThat(longest.get()).isLessThan(LogCapability.MAX_MESSAGE_BYTES + 64);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void ungrantedImportIsRefusedBeforeItRuns(Engine engine) {
        ComponentException e = failsAtInstantiate("ungranted_import", Grants.of(LogCapability.systemLogger()), engine);
        assertThat(e.kind()).isEqualTo(ComponentException.Kind.NOT_GRANTED);
        assertThat(e.getMessage()).isEqualTo("component 'ungranted_import' instantiate: imports spindle:telemetry/config@0.1.0#get, "
                + "but no link grants spindle:telemetry/config@0.1.0 to it (deny by default; granted: spindle:telemetry/log@0.1.0)");
        // Granted, the same module runs.
        Component c = RT.load("ungranted_import", Guests.adversarial("ungranted_import"));
        try (ProcessorInstance p = RT.instantiate(c, Grants.of(new ConfigCapability(Map.of())), LIMITS, engine)) {
            p.flush("x", new Emitted());
        }
    }

    @Test
    void importsOutsideTheWorldAreRefusedAtLoad() {
        ComponentException e = failsAtLoad("wasi_import", Guests.adversarial("wasi_import"), RT);
        assertThat(e.kind()).isEqualTo(ComponentException.Kind.WORLD_MISMATCH);
        assertThat(e.getMessage()).contains("imports wasi_snapshot_preview1#fd_write from interface 'wasi_snapshot_preview1', which world "
                + "spindle:telemetry/processor@0.1.0 does not offer");
    }

    @Test
    void wrongExportSignatureIsRefusedAtLoad() {
        ComponentException e = failsAtLoad("wrong_signature", Guests.adversarial("wrong_signature"), RT);
        assertThat(e.kind()).isEqualTo(ComponentException.Kind.WORLD_MISMATCH);
        assertThat(e.getMessage()).contains("exports 'process' as (i32) -> (i32), the world needs (i32, i32, i32, i32, i32, i32) -> (i32)");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void startFunctionThatNeverReturnsIsStopped(Engine engine) {
        ComponentException e = failsAtInstantiate("start_never_returns", Grants.none(), engine);
        assertThat(e.kind()).isEqualTo(ComponentException.Kind.DEADLINE);
        assertThat(e.call()).isEqualTo("instantiate");
        ComponentException i = failsAtInstantiate("initialize_never_returns", Grants.none(), engine);
        assertThat(i.kind()).isEqualTo(ComponentException.Kind.DEADLINE);
        assertThat(i.call()).isEqualTo("_initialize");
    }

    @Test
    void memoryDeclaredOverTheLimitIsRefused() {
        ComponentException e = failsAtInstantiate("memory_too_large", Grants.none(), Engine.COMPILED);
        assertThat(e.kind()).isEqualTo(ComponentException.Kind.MEMORY_LIMIT);
        assertThat(e.getMessage()).contains("needs 2048 pages of memory at start, over the limit of 256 pages");
    }

    @Test
    void malformedAndTruncatedBytesAreRefused() {
        assertThat(failsAtLoad("garbage", "definitely not wasm".getBytes(), RT).kind()).isEqualTo(ComponentException.Kind.MALFORMED);
        assertThat(failsAtLoad("empty", new byte[0], RT).kind()).isEqualTo(ComponentException.Kind.MALFORMED);
        byte[] good = Guests.bytes("lttb/lttb.wasm");
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 40; i++) {
            int cut = i < 8 ? i : 8 + r.nextInt(good.length - 8);
            ComponentException e = failsAtLoad("truncated", Arrays.copyOf(good, cut), RT);
            assertThat(e.kind()).as("cut at %d", cut).isIn(ComponentException.Kind.MALFORMED);
        }
        // Flipped bytes: refused at load or, if still a valid module, at least never crash the host.
        for (int i = 0; i < 60; i++) {
            byte[] bad = good.clone();
            bad[8 + r.nextInt(bad.length - 8)] ^= (byte) (1 << r.nextInt(8));
            try {
                Component c = RT.load("flipped", bad);
                try (ProcessorInstance p = RT.instantiate(c, Grants.of(new ConfigCapability(Map.of("bucket-nanos", "10"))), LIMITS, Engine.COMPILED)) {
                    p.process("s", new long[] {1, 2, 30}, new double[] {1, 2, 3}, 0, 3, new Emitted());
                } catch (ComponentException expected) {
                    // contained
                }
            } catch (ComponentException expected) {
                assertThat(expected.kind()).isIn(ComponentException.Kind.MALFORMED, ComponentException.Kind.WORLD_MISMATCH);
            }
        }
        HEALTHY.checkOnThisThread();
    }

    @Test
    void oversizedModuleIsRefusedBeforeParsing() {
        ComponentRuntime small = new ComponentRuntime(LIMITS.withMaxModuleBytes(1024), null);
        ComponentException e = failsAtLoad("lttb", Guests.bytes("lttb/lttb.wasm"), small);
        assertThat(e.kind()).isEqualTo(ComponentException.Kind.MODULE_TOO_LARGE);
        assertThat(e.getMessage()).contains("over the limit of 1024 bytes");
        byte[] huge = Arrays.copyOf(Guests.bytes("lttb/lttb.wasm"), (int) LIMITS.maxModuleBytes() + 1);
        assertThat(failsAtLoad("huge", huge, RT).kind()).isEqualTo(ComponentException.Kind.MODULE_TOO_LARGE);
    }

    /** A healthy LTTB instance on its own thread, checked against the Java engine round after round. */
    static final class Healthy {
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicLong rounds = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final long[] t = new long[20_000];
        private final double[] v = new double[20_000];
        private final List<Double> expected = new ArrayList<>();
        private Thread thread;

        Healthy() {
            SplittableRandom r = new SplittableRandom(42);
            double y = 0;
            for (int i = 0; i < t.length; i++) {
                t[i] = 1_000_000L * i + r.nextInt(1000);
                v[i] = y += r.nextGaussian();
            }
            StreamingLttb java = new StreamingLttb(StreamConfig.of(100_000_000L), new PointSink() {
                @Override
                public void accept(long time, double value) {
                    expected.add((double) time);
                    expected.add(value);
                }
            });
            java.add(t, v, 0, t.length);
            java.flush();
        }

        void start() {
            thread = new Thread(() -> {
                try {
                    while (running.get()) {
                        runOnce();
                        rounds.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "healthy-guest");
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(30_000);
        }

        void checkOnThisThread() {
            runOnce();
        }

        private void runOnce() {
            Component c = RT.load("lttb", Guests.bytes("lttb/lttb.wasm"));
            // Its own generous deadline: on two busy cores (hostile guests compiling next door) a batch may be slow,
            // and what this checks is that its output stays exact.
            try (ProcessorInstance p = RT.instantiate(c, Grants.of(new ConfigCapability(Map.of("bucket-nanos", "100000000"))),
                    LIMITS.withCallDeadline(Duration.ofSeconds(20)), Engine.COMPILED)) {
                List<Double> got = new ArrayList<>();
                Emitted out = new Emitted();
                for (int from = 0; from < t.length; from += 4096) {
                    p.process("healthy", t, v, from, Math.min(t.length, from + 4096), out);
                    for (int i = 0; i < out.size(); i++) {
                        got.add((double) out.times()[i]);
                        got.add(out.values()[i]);
                    }
                }
                p.flush("healthy", out);
                for (int i = 0; i < out.size(); i++) {
                    got.add((double) out.times()[i]);
                    got.add(out.values()[i]);
                }
                if (!got.equals(expected)) throw new AssertionError("healthy instance output differs from the Java engine");
            }
        }
    }
}
