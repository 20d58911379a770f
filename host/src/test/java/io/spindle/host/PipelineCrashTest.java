package io.spindle.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.spindle.codec.SampleBatchCodec;
import io.spindle.lattice.Subjects;
import io.spindle.lattice.transport.DurableStream;
import io.spindle.lattice.transport.InProcessTransport;
import io.spindle.providers.source.EventMessage;
import io.spindle.store.SeriesStore;
import io.spindle.store.StoreConfig;
import io.spindle.store.Stores;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6's crash rule for the demo's host: SIGKILL it mid-run, restart it, and the stored raw ring, tier 0 and tiers
 * 1-5 equal those of an uninterrupted run. The input (two series of a 20 kHz signal with a gap, and events) is in the
 * embedded lattice's durable stream before the host starts, so both runs see the same input; a reference copy of the
 * data directory runs once without a crash, the other is killed three times at seeded random points (after start-up,
 * while lttb.wasm and the store provider work through the stream) and then runs to the end.
 */
class PipelineCrashTest {
    static final long BUCKET_NANOS = 10_000_000L;
    private static final String LATTICE = "crash";
    private static final int BATCHES = 2000, BATCH = 4096;
    private static final long T0 = 1_767_225_600_000_000_000L; // 2026-01-01T00:00:00Z

    @TempDir
    Path tmp;

    @Test
    void killedAndRestartedHostStoresWhatAnUninterruptedRunStores() throws Exception {
        Path lttb = Path.of(TestLattice.lttb());
        Path base = tmp.resolve("base");
        fillStream(base);
        Path ref = copy(base, tmp.resolve("ref")), crash = copy(base, tmp.resolve("crash"));

        runToEnd(ref, lttb, "ref");
        long seed = Long.getLong("spindle.crash.seed", System.nanoTime());
        Random r = new Random(seed);
        List<String> kills = new ArrayList<>();
        int midRun = 0;
        for (int k = 0; k < 3; k++) {
            Child c = startChild(crash, lttb, "kill" + k);
            if (k > 0 || r.nextBoolean()) awaitLine(c, "READY", 60); // else the kill may fall into start-up
            Thread.sleep(50 + r.nextInt(1500));
            c.process().destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            Thread.sleep(50); // the reader thread takes the last lines
            String at = c.last("AT ");
            kills.add(at == null ? "before the first progress line" : "store at " + at.substring(3).replace(' ', '/'));
            if (at != null) {
                String[] f = at.split(" ");
                long committed = Long.parseLong(f[1]), last = Long.parseLong(f[2]);
                if (committed < last) midRun++;
            }
        }
        runToEnd(crash, lttb, "final");
        System.out.println("PipelineCrashTest seed " + seed + ": SIGKILLs with " + String.join(", ", kills)
                + " (committed/last stream sequence)");
        assertThat(midRun).as("seed %d: kills while the store was behind the stream: %s", seed, kills).isGreaterThan(0);

        try (SeriesStore a = Stores.open("sqlite:" + ref.resolve("store.db"), StoreConfig.defaults());
             SeriesStore b = Stores.open("sqlite:" + crash.resolve("store.db"), StoreConfig.defaults())) {
            List<String> names = a.series().stream().map(SeriesStore.SeriesInfo::series).sorted().toList();
            assertThat(names).as("seed %d", seed).containsExactly("m/ch0", "m/ch1", "m/state");
            assertThat(b.series().stream().map(SeriesStore.SeriesInfo::series).sorted().toList()).isEqualTo(names);
            for (String s : List.of("m/ch0", "m/ch1")) {
                assertThat(a.count(s, SeriesStore.RAW, Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo((long) BATCHES / 2 * BATCH);
                for (int tier = SeriesStore.RAW; tier <= 5; tier++) {
                    long n = a.count(s, tier, Long.MIN_VALUE, Long.MAX_VALUE);
                    if (tier <= 3) assertThat(n).as("%s tier %d", s, tier).isGreaterThan(10);
                    assertThat(read(b, s, tier)).as("seed %d: %s tier %d", seed, s, tier).isEqualTo(read(a, s, tier));
                }
            }
            assertThat(b.events("m/state", Long.MIN_VALUE, Long.MAX_VALUE, 1000)).isEqualTo(a.events("m/state", Long.MIN_VALUE, Long.MAX_VALUE, 1000))
                    .hasSize(BATCHES / 200);
        }
    }

    /** Times and value bits of every point of a tier, as one array to compare. */
    private static long[] read(SeriesStore s, String series, int tier) {
        int n = (int) s.count(series, tier, Long.MIN_VALUE, Long.MAX_VALUE);
        long[] t = new long[n];
        double[] v = new double[n];
        int got = s.read(series, tier, Long.MIN_VALUE, Long.MAX_VALUE, n, t, v);
        long[] out = new long[2 * got];
        for (int i = 0; i < got; i++) {
            out[2 * i] = t[i];
            out[2 * i + 1] = Double.doubleToRawLongBits(v[i]);
        }
        return out;
    }

    private static void fillStream(Path dir) {
        Subjects s = new Subjects(LATTICE);
        try (InProcessTransport t = new InProcessTransport(InProcessTransport.Options.persistent(dir.resolve("lattice")))) {
            DurableStream stream = t.stream(s.dataStream(), List.of(s.dataSubjects()));
            SampleBatchCodec codec = new SampleBatchCodec();
            Random r = new Random(7);
            long[] t0 = {T0, T0};
            long[] time = new long[BATCH];
            double[] v = new double[BATCH];
            for (int b = 0; b < BATCHES; b++) {
                int ch = b % 2;
                if (b == BATCHES / 2 || b == BATCHES / 2 + 1) t0[ch] += 3_000_000_000L; // a 3 s gap in both series
                if (b % 200 == 0) stream.publish("spindle.data." + LATTICE + ".raw.m.ch" + ch, new byte[] {1, 2, 3}); // not a batch
                for (int i = 0; i < BATCH; i++) {
                    time[i] = t0[ch] + i * 50_000L; // 20 kHz
                    v[i] = Math.sin((t0[ch] - T0 + i * 50_000L) / 1e6) + 0.3 * r.nextGaussian() + (r.nextInt(500) == 0 ? 5 : 0);
                }
                t0[ch] += BATCH * 50_000L;
                int len = codec.encode("m/ch" + ch, time, v, 0, BATCH);
                stream.publish("spindle.data." + LATTICE + ".raw.m.ch" + ch, Arrays.copyOf(codec.buffer(), len));
                if (b % 200 == 0)
                    stream.publish("spindle.data." + LATTICE + ".event.m.state",
                            new EventMessage("m/state", t0[ch], b % 60 == 0 ? "ACTIVE" : "READY").encode());
            }
        }
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path d = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(d);
                else Files.copy(p, d);
            }
        }
        return to;
    }

    private Process start(Path dir, Path lttb, String name) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), PipelineCrashChild.class.getName(), dir.toString(), lttb.toString());
        pb.redirectError(ProcessBuilder.Redirect.to(tmp.resolve(name + ".log").toFile()));
        return pb.start();
    }

    private void runToEnd(Path dir, Path lttb, String name) throws Exception {
        Child c = startChild(dir, lttb, name);
        awaitLine(c, "DRAINED", 180);
        c.process().destroy(); // SIGTERM: a clean stop
        assertThat(c.process().waitFor(60, TimeUnit.SECONDS)).as("child %s stopped", name).isTrue();
    }

    /** A child process and every line it printed (read by a thread of its own, so a kill loses none of them). */
    private record Child(Process process, List<String> lines) {
        String last(String prefix) {
            String found = null;
            for (String l : lines) if (l.startsWith(prefix)) found = l;
            return found;
        }
    }

    private Child startChild(Path dir, Path lttb, String name) throws IOException {
        Process p = start(dir, lttb, name);
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) lines.add(line);
            } catch (IOException ignored) {
                // the process died
            }
        }, "child-" + name);
        reader.setDaemon(true);
        reader.start();
        return new Child(p, lines);
    }

    private void awaitLine(Child c, String prefix, int seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            if (c.last(prefix) != null) return;
            if (!c.process().isAlive()) break;
            Thread.sleep(5);
        }
        c.process().destroyForcibly();
        List<String> seen = c.lines();
        throw new AssertionError("no " + prefix + " from the child within " + seconds + " s; it printed "
                + seen.subList(Math.max(0, seen.size() - 5), seen.size()) + "; logs in " + tmp);
    }
}
