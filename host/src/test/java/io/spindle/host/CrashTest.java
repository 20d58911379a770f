package io.spindle.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.spindle.codec.SampleBatchCodec;
import io.spindle.lattice.Subjects;
import io.spindle.lattice.transport.DurableStream;
import io.spindle.lattice.transport.KeyValueBucket;
import io.spindle.lattice.transport.NatsServerProcess;
import io.spindle.lattice.transport.NatsTransport;
import io.spindle.lattice.transport.Transport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crashes for real, on NATS: a host process killed with SIGKILL at random points while input streams in, restarted
 * each time; and a nats-server killed and restarted under a running host. In both, the output in the data stream
 * after de-duplication by (series, t) equals the Java engine's on the whole input: no sample lost, repeats identical.
 */
class CrashTest {
    static final String INPUT = "msg.default.spindle.telemetry";

    @BeforeEach
    void needsNats() {
        Assumptions.assumeTrue(NatsServerProcess.available(), "nats-server is not installed (Debian package nats-server)");
    }

    /** Publishes input at a steady pace; the lock lets a test stop the bus between two publishes. */
    static final class Feeder implements Runnable {
        final DurableStream ds;
        final List<Series.Batch> input;
        final long pauseMs;
        final ReentrantLock lock = new ReentrantLock();
        final AtomicLong last = new AtomicLong();
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
                for (Series.Batch b : input) {
                    lock.lock();
                    try {
                        last.set(ds.publish(b.subject(), codec.encodeToArray(b.series(), b.t(), b.v(), 0, b.t().length)));
                    } finally {
                        lock.unlock();
                    }
                    Thread.sleep(pauseMs);
                }
                done.complete(last.get());
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }

        Thread start() {
            Thread t = new Thread(this, "feeder");
            t.setDaemon(true);
            t.start();
            return t;
        }
    }

    /** The input offset of lttb's checkpoint in the bucket (0 when none). */
    static long checkpointed(KeyValueBucket checkpoints) {
        try {
            return checkpoints.get("lttb").map(e -> Checkpoint.decode(e.value()).offsets().getOrDefault(INPUT, 0L)).orElse(0L);
        } catch (RuntimeException e) {
            return 0; // the bus is away
        }
    }

    static Process child(NatsServerProcess nats, String lattice, Path dir, Path log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(),
                nats.url(), lattice, dir.toString());
        pb.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return pb.start();
    }

    static String ready(Process p, Path log) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return r.readLine();
            } catch (java.io.IOException e) {
                return null;
            }
        });
        String l = line.get(60, TimeUnit.SECONDS);
        if (l == null || !l.startsWith("READY ")) throw new AssertionError("child did not start: " + l + "\n" + Files.readString(log));
        return l.substring(6);
    }

    @Test
    void aHostProcessKilledAtRandomPointsLosesNothingAndRepeatsNothingAfterDedupe(@TempDir Path tmp) throws Exception {
        try (NatsServerProcess nats = NatsServerProcess.start(tmp.resolve("nats")); Transport client = NatsTransport.connect(nats.url(), "client");
             TestLattice lat = new TestLattice(client, "crash")) {
            Subjects s = new Subjects("crash");
            DurableStream ds = client.stream(s.dataStream(), List.of(s.dataSubjects()));
            List<Series.Batch> input = Series.batches(5, "spindle.data.crash.raw", List.of("okuma/Xload", "okuma/Sload"), 60, 2048);
            Feeder feeder = new Feeder(ds, input, 12);
            SplittableRandom r = new SplittableRandom(11);
            Path log = tmp.resolve("children.log");
            Map<String, String> ann = Map.of(Host.CHECKPOINT_MESSAGES_ANNOTATION, "5", Host.CHECKPOINT_INTERVAL_ANNOTATION, "100");
            int kills = 0;
            for (int run = 0; ; run++) {
                Process p = child(nats, "crash", tmp.resolve("host"), log);
                try {
                    String id = ready(p, log);
                    if (run == 0) DataPathTest.wire(lat);
                    lat.client.startProvider(id, "spindle:messaging", "msg", null);
                    lat.client.startComponent(id, TestLattice.lttb(), "lttb", ann, List.of("lttb-cfg"));
                    if (run == 0) {
                        lat.client.putLink(DataPathTest.feedLink());
                        feeder.start();
                    }
                    if (kills < 3) {
                        Thread.sleep(150 + r.nextInt(450));
                        p.destroyForcibly(); // SIGKILL
                        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
                        kills++;
                        continue;
                    }
                    long last = feeder.done.get(60, TimeUnit.SECONDS);
                    KeyValueBucket cps = client.keyValue(s.checkpointBucket());
                    TestLattice.await("checkpoint covers the input", () -> checkpointed(cps) >= last);
                    p.destroy(); // SIGTERM: clean shutdown
                    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
                    lat.awaitEvent("host_stopped", e -> e.source().equals(id));
                    break;
                } finally {
                    p.destroyForcibly();
                }
            }
            assertThat(lat.events("checkpoint_restored")).as(Files.readString(log)).isNotEmpty();
            DataPathTest.checkAgainstJava(lat, ds, input, false, true);
        }
    }

    @Test
    void aNatsServerRestartMidStreamLosesNothing(@TempDir Path tmp) throws Exception {
        try (NatsServerProcess nats = NatsServerProcess.start(tmp.resolve("nats")); Transport client = NatsTransport.connect(nats.url(), "client");
             Transport own = NatsTransport.connect(nats.url(), "host"); TestLattice lat = new TestLattice(client, "restart")) {
            Subjects s = new Subjects("restart");
            DurableStream ds = client.stream(s.dataStream(), List.of(s.dataSubjects()));
            List<Series.Batch> input = Series.batches(6, "spindle.data.restart.raw", List.of("okuma/Xload"), 80, 2048);
            Host h = lat.add(lat.builder("h", own).build().start());
            DataPathTest.wire(lat);
            lat.client.startProvider(h.id(), "spindle:messaging", "msg", null);
            lat.client.startComponent(h.id(), TestLattice.lttb(), "lttb",
                    Map.of(Host.CHECKPOINT_MESSAGES_ANNOTATION, "5", Host.CHECKPOINT_INTERVAL_ANNOTATION, "100"), List.of("lttb-cfg"));
            lat.client.putLink(DataPathTest.feedLink());
            Feeder feeder = new Feeder(ds, input, 0); // as fast as it goes: the host has a backlog when the server dies
            feeder.start();
            TestLattice.await("a backlog", () -> feeder.last.get() >= 60);
            KeyValueBucket cps = client.keyValue(s.checkpointBucket());
            feeder.lock.lock(); // between two publishes: the producer's own retries are not what this test is about
            try {
                assertThat(checkpointed(cps)).as("the server dies with input not yet checkpointed").isLessThan(feeder.last.get());
                nats.kill();
                Thread.sleep(700);
                nats.start();
                TestLattice.await("the producer reconnected", () -> { // it resumes once its JetStream answers again
                    try {
                        ds.lastSequence();
                        return true;
                    } catch (RuntimeException e) {
                        return false;
                    }
                });
            } finally {
                feeder.lock.unlock();
            }
            long last = feeder.done.get(60, TimeUnit.SECONDS);
            TestLattice.await("checkpoint covers the input", () -> checkpointed(cps) >= last);
            DataPathTest.checkAgainstJava(lat, ds, input, false, true);
        }
    }
}
