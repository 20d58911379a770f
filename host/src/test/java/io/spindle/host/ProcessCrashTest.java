package io.spindle.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.spindle.downsample.stream.StreamConfig;
import io.spindle.downsample.stream.StreamingLttb;
import io.spindle.lattice.CloudEvent;
import io.spindle.lattice.LatticeClient;
import io.spindle.codec.SampleBatch;
import io.spindle.codec.SampleBatchCodec;
import io.spindle.lattice.Subjects;
import io.spindle.lattice.transport.DurableStream;
import io.spindle.lattice.transport.KeyValueBucket;
import io.spindle.lattice.transport.NatsServerProcess;
import io.spindle.lattice.transport.NatsTransport;
import io.spindle.lattice.transport.Subscription;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash-safety rule of host/README.md, end to end with real processes: a host process ({@link ProcessCrashHost}:
 * messaging provider feeding the LTTB component from the lattice's durable data stream, output published back into the
 * stream) is killed with SIGKILL at seeded random points (3-5 times, sometimes before it is even ready) while input
 * streams in, and restarted each time; and a nats-server is killed with SIGKILL and restarted (same port and store)
 * 2-3 times under a running host process while the producer keeps publishing. What a downstream subscriber received,
 * de-duplicated by (series, t), must equal the Java engine's output on the whole input (an uninterrupted run):
 * nothing lost, and every repeat identical. The stream must hold every input message exactly once (a publish retried
 * across a server restart is not stored twice).
 *
 * <p>Along the way, at every kill: everything the producer got a PubAck for is in the stream; the checkpoint in the
 * bucket is a consistent (state, offset) pair: its state is byte for byte the Java engine's state after exactly the
 * input up to its offset; and the restarted host's feed starts at offset + 1.
 *
 * <p>Seeds: {@code -Dspindle.crash.seed=N[,M...]} runs those seeds; {@code -Dspindle.crash.seeds=K} runs K random seeds
 * (printed, for a soak run). A failure names its seed.
 */
class ProcessCrashTest {
    static final long BUCKET = 1_000_000; // 1 ms buckets of ~10 samples
    static final String INPUT = "msg.default.spindle.telemetry"; // the feeding link's key
    static final int SPLC = 0x53504C43;
    /**
     * {@code -Dspindle.crash.rapid=true}: the next server kill may come while clients are still reconnecting (jnats
     * 2.24.0 then wedged a connection for good, nats-io/nats.java#1522; 2.26.1 does not). By default each restart waits
     * until the host's heartbeat and this test's JetStream requests get through again.
     */
    static final boolean RAPID = Boolean.getBoolean("spindle.crash.rapid");

    @BeforeEach
    void needsNats() {
        Assumptions.assumeTrue(NatsServerProcess.available(), "nats-server is not installed (Debian package nats-server)");
    }

    static List<Long> seeds(long dflt) {
        String one = System.getProperty("spindle.crash.seed");
        if (one != null && !one.isBlank()) return java.util.Arrays.stream(one.split(",")).map(x -> Long.parseLong(x.trim())).toList();
        String k = System.getProperty("spindle.crash.seeds");
        if (k == null || k.isBlank()) return List.of(dflt);
        List<Long> out = new ArrayList<>();
        SplittableRandom r = new SplittableRandom();
        for (int i = 0; i < Integer.parseInt(k.trim()); i++) out.add(r.nextLong(1, 1_000_000));
        return out;
    }

    // ------------------------------------------------------------------------------------------------ the tests

    @Test
    void aHostProcessKilledAtRandomPointsLosesNothingAndRepeatsOnlyIdenticalOutput(@TempDir Path tmp) throws Exception {
        int i = 0;
        for (long seed : seeds(20261129)) {
            Path dir = Files.createDirectories(tmp.resolve("seed-" + seed + "-" + i++));
            try {
                hostKills(dir, seed);
            } catch (Throwable e) {
                throw new AssertionError("seed " + seed + " (rerun with -Dspindle.crash.seed=" + seed + "): " + e.getMessage(), e);
            }
        }
    }

    @Test
    void aNatsServerKilledAndRestartedUnderARunningHostLosesNothing(@TempDir Path tmp) throws Exception {
        int i = 0;
        for (long seed : seeds(7)) {
            Path dir = Files.createDirectories(tmp.resolve("seed-" + seed + "-" + i++));
            try {
                serverRestarts(dir, seed);
            } catch (Throwable e) {
                throw new AssertionError("seed " + seed + " (rerun with -Dspindle.crash.seed=" + seed + "): " + e.getMessage(), e);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ host kills

    private static void hostKills(Path tmp, long seed) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        String lattice = "kill" + seed;
        int kills = 3 + r.nextInt(3);
        int every = 3 + r.nextInt(6), intervalMs = 100 + r.nextInt(300);
        try (NatsServerProcess nats = NatsServerProcess.start(tmp.resolve("nats")); Rig rig = new Rig(nats, lattice, tmp)) {
            List<Series.Batch> input = Series.batches(seed, "spindle.data." + lattice + ".raw", List.of("okuma/Xload", "okuma/Sload"), 50, 2048);
            Feeder feeder = new Feeder(rig.ds, input, 50);
            List<String> story = new ArrayList<>();
            int restores = 0;
            for (int run = 0; ; run++) {
                long cpBefore = rig.checkpointOffset();
                Child child = rig.child(every, intervalMs);
                try {
                    boolean last = run == kills;
                    if (run == 0) {
                        child.awaitReady();
                        feeder.start();
                    }
                    if (!last) {
                        boolean early = r.nextInt(4) == 0;
                        long waitMs;
                        if (early) { // anywhere in its start: joining, restoring, applying the link
                            waitMs = r.nextInt(1500);
                            Thread.sleep(waitMs);
                        } else {
                            child.awaitReady();
                            waitMs = 50 + r.nextInt(700);
                            Thread.sleep(waitMs);
                        }
                        long acked = feeder.lastAcked();
                        child.kill();
                        String ready = child.readyNow();
                        if (ready != null) {
                            assertThat(child.from()).as("run %d started its feed after the checkpoint's offset %d", run, cpBefore).isEqualTo(cpBefore + 1);
                            if (cpBefore > 0) restores++;
                        }
                        assertThat(rig.ds.lastSequence()).as("everything acknowledged to the producer is in the stream").isGreaterThanOrEqualTo(acked);
                        Checkpoint cp = rig.checkpoint();
                        long offset = cp == null ? 0 : cp.offsets().getOrDefault(INPUT, 0L);
                        assertThat(offset).as("checkpoints only move forward").isGreaterThanOrEqualTo(cpBefore);
                        if (cp != null) checkState(cp, feeder.published());
                        story.add(String.format("run %d: SIGKILL %d ms after %s; %d input messages published (last at sequence %d), "
                                        + "checkpoint at %d", run, waitMs, early ? (ready == null ? "spawning (not READY yet)" : "spawning (READY)") : "READY",
                                feeder.published().size(), acked, offset));
                        continue;
                    }
                    child.awaitReady();
                    assertThat(child.from()).as("the last run started its feed after the checkpoint's offset").isEqualTo(cpBefore + 1);
                    if (cpBefore > 0) restores++;
                    long lastInput = feeder.done.get(30, TimeUnit.SECONDS);
                    await("the checkpoint covers the input up to " + lastInput, child, () -> rig.checkpointOffset() >= lastInput);
                    await("the subscriber read the stream to its end", child, rig::caughtUp);
                    child.terminate();
                    Checkpoint cp = rig.checkpoint();
                    checkState(cp, feeder.published());
                    story.add(String.format("run %d: ran to the end, checkpoint at %d", run, cp.offsets().get(INPUT)));
                    break;
                } catch (Throwable e) {
                    throw new AssertionError(e.getMessage() + "\n" + String.join("\n", story) + "\nhost log:\n" + child.logTail(), e);
                } finally {
                    child.kill();
                }
            }
            int finalRestores = restores;
            TestLattice.await("restores reported", () -> rig.events("checkpoint_restored").size() >= finalRestores);
            Result res = rig.verify(feeder, true);
            System.out.printf("ProcessCrashTest seed %d: %d runs, %d SIGKILLs, %d restores from a checkpoint, every %d messages / %d ms; "
                            + "%d input messages, %d output messages (%d on core NATS), %d points re-emitted identically, %d distinct points%n",
                    seed, kills + 1, kills, finalRestores, every, intervalMs, input.size(), res.outputMessages, res.coreMessages,
                    res.duplicates, res.points);
            story.forEach(s -> System.out.println("  " + s));
            assertThat(kills).isBetween(3, 5);
        }
    }

    // ------------------------------------------------------------------------------------------------ server restarts

    private static void serverRestarts(Path tmp, long seed) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        String lattice = "restart" + seed;
        int restarts = 2 + r.nextInt(2);
        int every = 3 + r.nextInt(6), intervalMs = 100 + r.nextInt(300);
        try (NatsServerProcess nats = NatsServerProcess.start(tmp.resolve("nats")); Rig rig = new Rig(nats, lattice, tmp)) {
            List<Series.Batch> input = Series.batches(seed, "spindle.data." + lattice + ".raw", List.of("mill/spindle.vib", "mill/Xload"), 60, 2048);
            // Bursts of 10-30 messages as fast as acknowledgements come, then a pause; the server dies 0-30 ms into a
            // burst: a producer's publish in flight (retried with the same message id, so stored once) and the host
            // behind, with input in the stream that it has not processed or not checkpointed.
            Feeder feeder = new Feeder(rig.ds, input, 0).bursts(seed, 10, 30, 200);
            List<String> story = new ArrayList<>();
            Child child = rig.child(every, intervalMs);
            try {
                child.awaitReady();
                assertThat(child.from()).isEqualTo(1);
                feeder.start();
                for (int i = 0; i < restarts; i++) {
                    Thread.sleep(200 + r.nextInt(500));
                    int burst = feeder.bursts.get();
                    TestLattice.await("the next burst", () -> feeder.bursts.get() > burst || feeder.done.isDone());
                    Thread.sleep(r.nextInt(30)); // mid-burst: the producer publishing, the host behind
                    long lastInput = feeder.lastAcked(), cp = rig.checkpointOffset(), outputs = rig.outputs.size();
                    int acked = feeder.published().size();
                    nats.kill();
                    long down = 200 + r.nextInt(1300);
                    Thread.sleep(down);
                    int beats = rig.events("host_heartbeat").size();
                    nats.start();
                    if (!RAPID) { // both connections back before the server may die again (see RAPID)
                        TestLattice.await("the host's heartbeat after the restart", () -> rig.events("host_heartbeat").size() > beats);
                        rig.awaitJetStream();
                    }
                    assertThat(child.process.isAlive()).as("the host survives the server's restart").isTrue();
                    story.add(String.format("restart %d: server SIGKILLed with %d input messages acknowledged (last at sequence %d), the "
                            + "checkpoint at %d, %d outputs seen downstream; down %d ms", i + 1, acked, lastInput, cp, outputs, down));
                }
                long lastInput = feeder.done.get(90, TimeUnit.SECONDS);
                await("the checkpoint covers the input up to " + lastInput, child, () -> rig.checkpointOffset() >= lastInput);
                await("the subscriber read the stream to its end", child, rig::caughtUp);
                assertThat(child.process.isAlive()).isTrue();
                child.terminate();
                checkState(rig.checkpoint(), feeder.published());
            } catch (Throwable e) {
                throw new AssertionError(e.getMessage() + "\n" + String.join("\n", story) + "\nhost log:\n" + child.logTail(), e);
            } finally {
                child.kill();
            }
            Result res = rig.verify(feeder, false);
            System.out.printf("ProcessCrashTest seed %d: %d nats-server SIGKILLs and restarts under one host process, %d restores of lttb "
                            + "from its checkpoint, every %d messages / %d ms; %d input messages, %d output messages, %d points re-emitted "
                            + "identically, %d distinct points%n", seed, restarts, rig.events("checkpoint_restored").size(), every, intervalMs,
                    input.size(), res.outputMessages, res.duplicates, res.points);
            story.forEach(s -> System.out.println("  " + s));
        }
    }

    // ------------------------------------------------------------------------------------------------ checks

    /** The checkpoint's state equals, series by series and byte for byte, the Java engine's after the input up to its offset. */
    static void checkState(Checkpoint cp, List<Published> published) {
        assertThat(cp).as("a checkpoint exists").isNotNull();
        long offset = cp.offsets().getOrDefault(INPUT, 0L);
        Map<String, StreamingLttb> engines = new TreeMap<>();
        boolean found = offset == 0;
        for (Published p : published) {
            if (p.seq() > offset) continue;
            found |= p.seq() == offset;
            Series.Batch b = p.batch();
            engines.computeIfAbsent(b.series(), k -> new StreamingLttb(StreamConfig.of(BUCKET), (t, v) -> { })).add(b.t(), b.v(), 0, b.t().length);
        }
        assertThat(found).as("offset %d of %s is the sequence of an input message", offset, cp).isTrue();
        Map<String, String> want = new TreeMap<>();
        engines.forEach((k, e) -> want.put(k, HexFormat.of().formatHex(e.snapshot())));
        assertThat(engineStates(cp.state())).as("state of %s = the Java engine's after the input up to sequence %d", cp, offset)
                .containsExactlyEntriesOf(want);
    }

    /** The lttb component's state ({@code SPLC}, components/lttb/lttb.c): series name to its engine snapshot, hex. */
    static Map<String, String> engineStates(byte[] state) {
        ByteBuffer b = ByteBuffer.wrap(state);
        assertThat(b.getInt()).as("lttb state magic").isEqualTo(SPLC);
        assertThat(b.getInt()).as("lttb state version").isEqualTo(1);
        int n = b.getInt();
        Map<String, String> out = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            byte[] name = new byte[b.getInt()];
            b.get(name);
            byte[] snap = new byte[b.getInt()];
            b.get(snap);
            out.put(new String(name, StandardCharsets.UTF_8), HexFormat.of().formatHex(snap));
        }
        assertThat(b.remaining()).as("trailing bytes in the lttb state").isZero();
        return out;
    }

    static void await(String what, Child child, BooleanSupplier c) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!c.getAsBoolean()) {
            if (!child.process.isAlive()) throw new AssertionError("the host exited (" + child.process.exitValue() + ") waiting for: " + what);
            if (System.nanoTime() > end) throw new AssertionError("not within 20 s: " + what);
            Thread.sleep(20);
        }
    }

    record Published(long seq, Series.Batch batch, byte[] bytes) {
    }

    record Result(int outputMessages, int coreMessages, int duplicates, int points) {
    }

    // ------------------------------------------------------------------------------------------------ the rig

    /** Publishes input batches on a thread of its own, at a steady pace or in bursts. */
    static final class Feeder implements Runnable {
        final DurableStream ds;
        final List<Series.Batch> input;
        final long pauseMs;
        private final List<Published> published = new CopyOnWriteArrayList<>();
        final CompletableFuture<Long> done = new CompletableFuture<>();

        Feeder(DurableStream ds, List<Series.Batch> input, long pauseMs) {
            this.ds = ds;
            this.input = input;
            this.pauseMs = pauseMs;
        }

        @Override
        public void run() {
            SampleBatchCodec codec = new SampleBatchCodec();
            try {
                SplittableRandom r = new SplittableRandom(burstSeed);
                int left = burstMin > 0 ? burstMin + r.nextInt(burstMax - burstMin + 1) : 0;
                bursts.incrementAndGet();
                for (Series.Batch b : input) {
                    byte[] bytes = codec.encodeToArray(b.series(), b.t(), b.v(), 0, b.t().length);
                    published.add(new Published(ds.publish(b.subject(), bytes), b, bytes));
                    if (burstMin == 0) {
                        Thread.sleep(pauseMs);
                    } else if (--left == 0) {
                        Thread.sleep(burstPauseMs);
                        left = burstMin + r.nextInt(burstMax - burstMin + 1);
                        bursts.incrementAndGet();
                    }
                }
                done.complete(lastAcked());
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }

        /** Bursts begun. */
        final java.util.concurrent.atomic.AtomicInteger bursts = new java.util.concurrent.atomic.AtomicInteger();
        private long burstSeed;
        private int burstMin, burstMax;
        private long burstPauseMs;

        /** Publishes in bursts of min to max messages (drawn with seed), pausing pauseMs after each. */
        Feeder bursts(long seed, int min, int max, long pauseMs) {
            burstSeed = seed;
            burstMin = min;
            burstMax = max;
            burstPauseMs = pauseMs;
            return this;
        }

        void start() {
            Thread t = new Thread(this, "feeder");
            t.setDaemon(true);
            t.start();
        }

        List<Published> published() {
            return List.copyOf(published);
        }

        long lastAcked() {
            List<Published> p = published();
            return p.isEmpty() ? 0 : p.get(p.size() - 1).seq();
        }
    }

    /** A host process. */
    static final class Child {
        final Process process;
        final Path log;
        final CompletableFuture<String> ready = new CompletableFuture<>();

        Child(Process process, Path log) {
            this.process = process;
            this.log = log;
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) if (l.startsWith("READY ")) ready.complete(l);
                    ready.complete(null);
                } catch (IOException e) {
                    ready.complete(null);
                }
            }, "child-stdout");
            t.setDaemon(true);
            t.start();
        }

        void awaitReady() throws Exception {
            String l = ready.get(30, TimeUnit.SECONDS);
            if (l == null) throw new AssertionError("the host process exited before READY");
        }

        /** The READY line if it came already. */
        String readyNow() {
            return ready.getNow(null);
        }

        /** The first stream sequence its feed read. */
        long from() {
            return Long.parseLong(ready.join().split(" ")[2]);
        }

        /** SIGKILL, and wait until it is gone. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            if (!process.waitFor(20, TimeUnit.SECONDS)) throw new AssertionError("host process did not die");
        }

        /** SIGTERM: a clean shutdown. */
        void terminate() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) throw new AssertionError("host process did not stop on SIGTERM");
        }

        String logTail() {
            try {
                List<String> l = Files.readAllLines(log).stream().filter(x -> !x.startsWith("\tat ") && !x.startsWith("WARNING: A restricted")).toList();
                return String.join("\n", l.subList(Math.max(0, l.size() - 150), l.size()));
            } catch (IOException e) {
                return "(no log)";
            }
        }
    }

    /** The test's side of the lattice: stream, checkpoints bucket, events, and the downstream subscribers. */
    static final class Rig implements AutoCloseable {
        final NatsServerProcess nats;
        final String lattice;
        final Path tmp;
        final NatsTransport client;
        final DurableStream ds;
        final KeyValueBucket checkpoints;
        final List<CloudEvent> events = new CopyOnWriteArrayList<>();
        final List<Map.Entry<Long, SampleBatch>> outputs = new CopyOnWriteArrayList<>();
        final List<SampleBatch> core = new CopyOnWriteArrayList<>();
        private final AutoCloseable consumer;
        private final Subscription coreSub, eventSub;
        private volatile long lastSeen;
        private int children;

        Rig(NatsServerProcess nats, String lattice, Path tmp) {
            this.nats = nats;
            this.lattice = lattice;
            this.tmp = tmp;
            this.client = NatsTransport.connect(nats.url(), "crash-test");
            Subjects s = new Subjects(lattice);
            this.ds = client.stream(s.dataStream(), List.of(s.dataSubjects()));
            this.checkpoints = client.keyValue(s.checkpointBucket());
            this.eventSub = new LatticeClient(client, lattice, Duration.ofSeconds(5)).events(events::add);
            String out = "spindle.data." + lattice + ".lttb.>";
            // downstream: a stream consumer (durable output) and a plain subscriber on the same subjects
            this.consumer = ds.consume(s.dataSubjects(), 1, (seq, subject, data) -> {
                if (subject.startsWith("spindle.data." + lattice + ".lttb.")) outputs.add(Map.entry(seq, decode(data)));
                lastSeen = seq;
            });
            this.coreSub = client.subscribe(out, null, m -> core.add(decode(m.data())));
        }

        static SampleBatch decode(byte[] data) {
            SampleBatch b = new SampleBatch();
            SampleBatchCodec.decode(data, b);
            return b;
        }

        Child child(int every, int intervalMs) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Path log = tmp.resolve("host-" + (children++) + ".log");
            ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), ProcessCrashHost.class.getName(),
                    nats.url(), lattice, tmp.resolve("host").toString(), TestLattice.lttb(), Long.toString(BUCKET), Integer.toString(every),
                    Integer.toString(intervalMs));
            pb.redirectError(ProcessBuilder.Redirect.to(log.toFile()));
            return new Child(pb.start(), log);
        }

        Checkpoint checkpoint() {
            return checkpoints.get("lttb").map(e -> Checkpoint.decode(e.value())).orElse(null);
        }

        long checkpointOffset() {
            try {
                Checkpoint c = checkpoint();
                return c == null ? 0 : c.offsets().getOrDefault(INPUT, 0L);
            } catch (RuntimeException busAway) {
                return -1;
            }
        }

        /** Waits until this test's connection is back and JetStream answers (after a server restart). */
        void awaitJetStream() {
            TestLattice.await("this test's JetStream requests answered again", () -> {
                try {
                    ds.lastSequence();
                    return true;
                } catch (RuntimeException notYet) {
                    return false;
                }
            });
        }

        boolean caughtUp() {
            try {
                return lastSeen >= ds.lastSequence();
            } catch (RuntimeException busAway) {
                return false;
            }
        }

        List<CloudEvent> events(String type) {
            return events.stream().filter(e -> e.event().equals(type)).toList();
        }

        /**
         * The stream holds exactly what the producer published, in order; the output the subscribers received,
         * de-duplicated by (series, t), equals the Java engine's on the whole input, in order; repeats carry the same
         * value (Series.dedupe throws otherwise). withCore: the plain subscriber too (not across server restarts).
         */
        Result verify(Feeder feeder, boolean withCore) throws Exception {
            List<Published> published = feeder.published();
            assertThat(published).hasSize(feeder.input.size());
            Map<Long, byte[]> stored = readInputs();
            assertThat(stored.keySet()).as("input sequences in the stream").containsExactlyElementsOf(published.stream().map(Published::seq).toList());
            for (Published p : published) assertThat(stored.get(p.seq())).as("input at sequence %d", p.seq()).isEqualTo(p.bytes());

            Map<String, List<Series.Point>> want = Series.javaEngine(feeder.input, BUCKET);
            int[] dups = {0};
            Map<String, List<Series.Point>> got = Series.dedupe(points(outputs.stream().map(Map.Entry::getValue).toList()), dups);
            assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(want.keySet());
            int points = 0;
            for (String series : want.keySet()) {
                assertThat(want.get(series).size()).as("the engine emits something for " + series).isGreaterThan(1000);
                assertThat(got.get(series)).as("%s: deduped output of the stream subscriber = uninterrupted run", series).containsExactlyElementsOf(want.get(series));
                points += want.get(series).size();
            }
            if (withCore) {
                Map<String, List<Series.Point>> viaCore = Series.dedupe(points(core), new int[1]);
                assertThat(viaCore).as("deduped output of the plain subscriber = uninterrupted run").containsExactlyInAnyOrderEntriesOf(want);
            }
            return new Result(outputs.size(), core.size(), dups[0], points);
        }

        private Map<Long, byte[]> readInputs() throws Exception {
            Map<Long, byte[]> out = new LinkedHashMap<>();
            long last = ds.lastSequence();
            CountDownLatch done = new CountDownLatch(1);
            AutoCloseable c = ds.consume("spindle.data." + lattice + ".>", 1, (seq, subject, data) -> {
                if (seq <= last && subject.startsWith("spindle.data." + lattice + ".raw.")) out.put(seq, data);
                if (seq >= last) done.countDown();
            });
            try {
                assertThat(done.await(20, TimeUnit.SECONDS)).as("stream read to " + last).isTrue();
            } finally {
                c.close();
            }
            return out;
        }

        private static List<Map.Entry<String, List<Series.Point>>> points(List<SampleBatch> batches) {
            List<Map.Entry<String, List<Series.Point>>> out = new ArrayList<>();
            for (SampleBatch b : batches) {
                List<Series.Point> pts = new ArrayList<>(b.count());
                for (int i = 0; i < b.count(); i++) pts.add(new Series.Point(b.time(i), b.value(i)));
                out.add(Map.entry(b.series(), pts));
            }
            return out;
        }

        @Override
        public void close() throws Exception {
            consumer.close();
            coreSub.close();
            eventSub.close();
            client.close();
        }
    }
}
