package io.spindle.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.JetStream;
import io.nats.client.api.PublishAck;
import io.spindle.downsample.stream.StreamConfig;
import io.spindle.downsample.stream.StreamingLttb;
import io.spindle.lattice.HostInfo;
import io.spindle.lattice.Json;
import io.spindle.lattice.LatticeClient;
import io.spindle.lattice.Link;
import io.spindle.codec.SampleBatch;
import io.spindle.codec.SampleBatchCodec;
import io.spindle.lattice.Subjects;
import io.spindle.lattice.transport.KvEntry;
import io.spindle.lattice.transport.NatsTransport;
import io.spindle.lattice.transport.Subscription;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The harness behind {@code spindle bench lattice}: a nats-server of its own, a host in a process of its own (so that
 * its resident memory can be read from {@code /proc/<pid>/status}), and this process as the control client, producer
 * and downstream subscriber. Measures
 * <ol>
 *   <li>control round trips: R {@code host.inventory} requests one after another (LatticeClient), after R/10 (at least
 *       20) untimed ones; p50, p99, max;</li>
 *   <li>end-to-end throughput of the data path the issue names, messaging provider -> LTTB component -> messaging
 *       provider: N batches of B samples published into the lattice's durable data stream as fast as acknowledgements
 *       allow, the provider feeding them to {@code lttb.wasm}, the component's output published back into the data
 *       stream and counted by a subscriber here. The run ends when the output holds every point the Java engine emits
 *       on the same input (so the last batch has been processed); samples/s = N * B over the time from the first
 *       publish to then. Control round trips are sampled meanwhile (every 10 ms) to show them under load;</li>
 *   <li>the host's resident memory (VmRSS, and the peak VmHWM) right after the throughput run, the component running.</li>
 * </ol>
 * It checks what it measured: the output is exactly the Java engine's point count (no loss, no repeats), and the
 * component's checkpoint covers the last input. Progress lines go to the given consumer.
 */
public final class LatticeBench {
    /** Samples per batch by default (the batch size). */
    public static final int DEFAULT_BATCH = 4096;
    /** Batches by default: 20,480,000 samples. */
    public static final int DEFAULT_BATCHES = 5000;
    /** Control requests timed by default. */
    public static final int DEFAULT_REQUESTS = 1000;
    /** LTTB bucket width: 10 ms = 200 samples of the 20 kHz series per output point. */
    public static final long BUCKET_NANOS = 10_000_000L;
    /** The goals of issue 5. */
    public static final double GOAL_SAMPLES_PER_SEC = 5e6, GOAL_P99_MS = 10, GOAL_RSS_MB = 150;

    private static final String SERIES = "spindle-1/vibration", WARMUP_SERIES = "warmup/vibration";
    private static final int WARMUP_BATCHES = 500;
    private static final int BLOCK = 1 << 20; // distinct samples generated; longer runs repeat the values, times go on
    private static final int PUBLISH_WINDOW = 256; // unacknowledged publishes in flight

    /**
     * What to run.
     *
     * @param batches     input batches, at least 1
     * @param batch       samples per batch, 1 to 65,536 (a message must stay under NATS's 1 MiB)
     * @param requests    timed control requests, at least 1
     * @param hostCommand the command that runs {@code spindle} (JVM and class path), to which {@code host --nats ...}
     *                    is appended
     * @param component   lttb.wasm
     */
    public record Config(int batches, int batch, int requests, List<String> hostCommand, Path component) {
        public Config {
            if (batches < 1) throw new IllegalArgumentException("--batches must be at least 1, got " + batches);
            if (batch < 1 || batch > 65_536) throw new IllegalArgumentException("--batch must be in [1, 65536], got " + batch);
            if (requests < 1) throw new IllegalArgumentException("--requests must be at least 1, got " + requests);
            hostCommand = List.copyOf(hostCommand);
            if (hostCommand.isEmpty()) throw new IllegalArgumentException("no host command");
            if (component == null) throw new IllegalArgumentException("component must not be null");
        }

        long samples() {
            return (long) batches * batch;
        }
    }

    private final Config cfg;
    private final Consumer<String> progress;
    private final List<String> notes = new ArrayList<>();
    private boolean failed;

    public LatticeBench(Config config, Consumer<String> progress) {
        this.cfg = config;
        this.progress = progress;
    }

    private void say(String format, Object... args) {
        progress.accept("bench: " + String.format(Locale.ROOT, format, args));
    }

    private void fail(String why) {
        failed = true;
        notes.add("FAILED: " + why);
        say("FAILED: %s", why);
    }

    /** Runs everything; a lost or repeated output or a checkpoint short of the input marks the report failed. */
    public LatticeReport run() throws BenchException {
        if (!Files.isRegularFile(cfg.component()))
            throw new BenchException(cfg.component() + ": no such component (build it with components/build.sh, or pass --component FILE)");
        Path dir;
        try {
            dir = Files.createTempDirectory("spindle-bench-lattice");
        } catch (IOException e) {
            throw new BenchException("cannot create a temp directory: " + e.getMessage(), e);
        }
        String lattice = "bench-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        try (BenchNats nats = BenchNats.start(dir.resolve("nats"))) {
            say("nats-server %s on %s (JetStream, store in %s)", nats.version(), nats.url(), dir.resolve("nats"));
            notes.add("nats-server " + nats.version() + " on loopback with JetStream (file store); host, nats-server and this "
                    + "client (producer and subscriber) share " + Runtime.getRuntime().availableProcessors() + " cpus");
            try (HostProcess host = HostProcess.start(cfg.hostCommand(), nats.url(), lattice, dir);
                 NatsTransport t = NatsTransport.connect(nats.url(), "spindle-bench")) {
                return measure(t, host, lattice);
            }
        } finally {
            deleteTree(dir);
        }
    }

    private LatticeReport measure(NatsTransport t, HostProcess host, String lattice) throws BenchException {
        LatticeClient setup = new LatticeClient(t, lattice, Duration.ofSeconds(60));
        LatticeClient timed = new LatticeClient(t, lattice, Duration.ofSeconds(5));
        String hostId = awaitHost(t, host, lattice);
        say("host %s joined lattice %s (pid %d)", hostId, lattice, host.pid());
        Subjects s = new Subjects(lattice);
        t.stream(s.dataStream(), List.of(s.dataSubjects())); // the host would create it too
        try {
            setup.putConfig("lttb-cfg", Map.of("bucket-nanos", Long.toString(BUCKET_NANOS)));
            setup.putConfig("feed", Map.of("subscribe", "spindle.data." + lattice + ".raw.>", "publish-prefix", "spindle.data." + lattice + ".lttb"));
            setup.startProvider(hostId, "spindle:messaging", "msg", null);
            long t0 = System.nanoTime();
            setup.startComponent(hostId, cfg.component().toAbsolutePath().toString(), "lttb",
                    Map.of("spindle.checkpoint.interval-ms", "1000"), List.of("lttb-cfg"));
            say("lttb started on the host in %.0f ms (compile and instantiate)", (System.nanoTime() - t0) / 1e6);
            setup.putLink(new Link("msg", "lttb", null, "spindle", "telemetry", List.of("processor"), List.of("feed"), null));
        } catch (RuntimeException e) {
            throw new BenchException("setting up the data path on the host failed: " + e.getMessage() + host.logNote(), e);
        }
        notes.add("data path: messaging provider 'msg' feeds lttb.wasm from the data stream (spindle.data." + lattice + ".raw.>, "
                + "ordered consumer), lttb's output goes back into the data stream (spindle.data." + lattice + ".lttb.<series>, "
                + "each publish acknowledged by JetStream); checkpoints every 100 messages or 1 s");

        double[] control = controlRoundTrips(timed, hostId, host);
        Throughput tp = throughput(t, timed, hostId, lattice, host);
        checkCheckpoint(t, s, tp.lastInputSequence(), host);

        long[] rss = host.rssKb();
        if (rss == null) notes.add("host RSS: /proc/" + host.pid() + "/status is not readable on this system");
        else say("host RSS %.1f MB (peak %.1f MB) with lttb running", rss[0] / 1024.0, rss[1] / 1024.0);
        notes.add("host JVM: " + String.join(" ", host.jvmOptions()) + (host.jvmOptions().isEmpty() ? "(no options: the JVM's defaults)" : "")
                + "; RSS read from /proc/<pid>/status right after the throughput run (VmRSS; peak VmHWM)");
        host.stop();
        return new LatticeReport(cfg.batches(), cfg.batch(), cfg.requests(), control[0], control[1], control[2], tp.samplesPerSec(),
                tp.batchesPerSec(), tp.publishSamplesPerSec(), tp.loadedP50(), tp.loadedP99(), tp.outputSamples(), tp.outputBatches(),
                rss == null ? Double.NaN : rss[0] / 1024.0, rss == null ? Double.NaN : rss[1] / 1024.0, notes, failed);
    }

    private String awaitHost(NatsTransport t, HostProcess host, String lattice) throws BenchException {
        LatticeClient scatter = new LatticeClient(t, lattice, Duration.ofMillis(200));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            if (!host.alive()) throw new BenchException("the host process exited with " + host.exitValue() + host.logNote());
            List<HostInfo> hosts = scatter.ping();
            if (!hosts.isEmpty()) return hosts.get(0).id();
        }
        throw new BenchException("the host did not answer a ping within 60 s" + host.logNote());
    }

    /** {p50, p99, max} in ms of R host.inventory round trips. */
    private double[] controlRoundTrips(LatticeClient c, String hostId, HostProcess host) throws BenchException {
        int warm = Math.max(20, cfg.requests() / 10);
        say("control: %,d untimed then %,d timed host.inventory requests ...", warm, cfg.requests());
        long[] ns = new long[cfg.requests()];
        try {
            for (int i = 0; i < warm; i++) c.inventory(hostId);
            for (int i = 0; i < ns.length; i++) {
                long t0 = System.nanoTime();
                c.inventory(hostId);
                ns[i] = System.nanoTime() - t0;
            }
        } catch (RuntimeException e) {
            throw new BenchException("control request failed: " + e.getMessage() + host.logNote(), e);
        }
        Arrays.sort(ns);
        double[] r = {percentile(ns, 50) / 1e6, percentile(ns, 99) / 1e6, ns[ns.length - 1] / 1e6};
        say("control round trip p50 %.3f ms, p99 %.3f ms, max %.3f ms", r[0], r[1], r[2]);
        notes.add(String.format(Locale.ROOT, "control: %,d host.inventory requests (reply: the host's inventory with lttb and msg) one "
                + "after another through LatticeClient, after %,d untimed; nearest-rank percentiles", cfg.requests(), warm));
        return r;
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private record Throughput(double samplesPerSec, double batchesPerSec, double publishSamplesPerSec, double loadedP50, double loadedP99,
                              long outputSamples, long outputBatches, long lastInputSequence) {
    }

    /** What the Java engine emits for n batches of the bench input: {points, batches with output}. */
    private long[] expected(BenchData block, int n) {
        long[] points = {0};
        StreamingLttb e = new StreamingLttb(StreamConfig.of(BUCKET_NANOS), (tt, v) -> points[0]++);
        long[] t = new long[cfg.batch()];
        double[] v = new double[cfg.batch()];
        long batchesWithOutput = 0;
        for (int i = 0; i < n; i++) {
            fill(block, i, t, v);
            long before = points[0];
            e.add(t, v, 0, t.length);
            if (points[0] > before) batchesWithOutput++;
        }
        return new long[] {points[0], batchesWithOutput};
    }

    private void fill(BenchData block, int batchIndex, long[] t, double[] v) {
        long g = (long) batchIndex * cfg.batch();
        for (int j = 0; j < t.length; j++, g++) {
            t[j] = BenchData.START_NANOS + g * BenchData.STEP_NANOS;
            v[j] = block.y()[(int) (g % block.n())];
        }
    }

    /** One pass of the data path: its time from the first publish to the last expected output point, and what came out. */
    private record Pass(long startNanos, long publishedNanos, long endNanos, long points, long messages, long lastInputSequence) {
        double seconds() {
            return (endNanos - startNanos) / 1e9;
        }

        double publishSeconds() {
            return (publishedNanos - startNanos) / 1e9;
        }
    }

    /**
     * Publishes n batches of series into the data stream (asynchronously, up to PUBLISH_WINDOW unacknowledged) and waits
     * until the subscriber has want[0] output points of that series; then 300 ms more, so that repeats would show.
     */
    private Pass pass(NatsTransport t, String lattice, String series, BenchData block, int n, long[] want, HostProcess host, boolean timed)
            throws BenchException, InterruptedException, IOException {
        AtomicLong gotPoints = new AtomicLong(), gotMessages = new AtomicLong(), lastArrival = new AtomicLong();
        SampleBatch sb = new SampleBatch();
        Subscription sub = t.subscribe("spindle.data." + lattice + ".lttb.>", null, m -> {
            SampleBatchCodec.decode(m.data(), sb);
            if (!sb.series().equals(series)) return;
            lastArrival.set(System.nanoTime());
            gotMessages.incrementAndGet();
            gotPoints.addAndGet(sb.count());
        });
        try {
            JetStream js = t.connection().jetStream();
            SampleBatchCodec codec = new SampleBatchCodec();
            long[] tt = new long[cfg.batch()];
            double[] vv = new double[cfg.batch()];
            String subject = "spindle.data." + lattice + ".raw." + series.replace('/', '-');
            ArrayDeque<CompletableFuture<PublishAck>> inFlight = new ArrayDeque<>();
            long lastSeq = 0;
            long start = System.nanoTime(), nextReport = start + 1_000_000_000L;
            for (int i = 0; i < n; i++) {
                fill(block, i, tt, vv);
                inFlight.add(js.publishAsync(subject, codec.encodeToArray(series, tt, vv, 0, tt.length)));
                if (inFlight.size() >= PUBLISH_WINDOW) lastSeq = Math.max(lastSeq, inFlight.poll().join().getSeqno());
                long now = System.nanoTime();
                if (timed && now >= nextReport) {
                    say("throughput: %,d of %,d batches published, %,d output points received", i + 1, n, gotPoints.get());
                    nextReport = now + 1_000_000_000L;
                }
            }
            while (!inFlight.isEmpty()) lastSeq = Math.max(lastSeq, inFlight.poll().join().getSeqno());
            long published = System.nanoTime();
            if (timed)
                say("throughput: all %,d batches published in %.2f s (%.2f M samples/s); waiting for the output ...", n, (published - start) / 1e9,
                        (double) n * cfg.batch() / ((published - start) / 1e9) / 1e6);
            long lastProgress = System.nanoTime(), seen = -1;
            while (gotPoints.get() < want[0]) {
                long now = System.nanoTime();
                if (gotPoints.get() != seen) {
                    seen = gotPoints.get();
                    lastProgress = now;
                } else if (now - lastProgress > TimeUnit.SECONDS.toNanos(30)) {
                    throw new BenchException(String.format(Locale.ROOT, "the output of %s stalled at %,d of %,d points for 30 s%s", series, seen,
                            want[0], host.logNote()));
                }
                if (!host.alive()) throw new BenchException("the host process exited with " + host.exitValue() + host.logNote());
                Thread.sleep(1);
            }
            long end = lastArrival.get();
            Thread.sleep(300); // anything beyond the expected output would be a repeat
            if (gotPoints.get() != want[0])
                fail(String.format(Locale.ROOT, "the output of %s holds %,d points, the Java engine emits %,d", series, gotPoints.get(), want[0]));
            if (gotMessages.get() != want[1])
                notes.add(String.format(Locale.ROOT, "%s: %,d output messages, %,d input batches with output in the Java engine", series,
                        gotMessages.get(), want[1]));
            return new Pass(start, published, end, gotPoints.get(), gotMessages.get(), lastSeq);
        } finally {
            sub.close();
        }
    }

    private Throughput throughput(NatsTransport t, LatticeClient timed, String hostId, String lattice, HostProcess host) throws BenchException {
        BenchData block = BenchData.generate((int) Math.min(BLOCK, cfg.samples()));
        int warmBatches = Math.min(WARMUP_BATCHES, cfg.batches());
        long[] want = expected(block, cfg.batches()), warmWant = warmBatches == cfg.batches() ? want : expected(block, warmBatches);
        List<Long> loaded = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicBoolean probing = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread prober = new Thread(() -> { // control round trips under load, every 10 ms
            while (probing.get()) {
                long t0 = System.nanoTime();
                try {
                    timed.inventory(hostId);
                    loaded.add(System.nanoTime() - t0);
                } catch (RuntimeException e) {
                    loaded.add(Long.MAX_VALUE); // a failed request counts as the slowest
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-control-probe");
        prober.setDaemon(true);
        try {
            say("throughput: warm-up, %,d batches of series %s ...", warmBatches, WARMUP_SERIES);
            Pass warm = pass(t, lattice, WARMUP_SERIES, block, warmBatches, warmWant, host, false);
            say("throughput: warm-up %.2f M samples/s", (double) warmBatches * cfg.batch() / warm.seconds() / 1e6);
            say("throughput: %,d batches of %,d samples (%,d samples) of series %s; the Java engine emits %,d points for them", cfg.batches(),
                    cfg.batch(), cfg.samples(), SERIES, want[0]);
            prober.start();
            Pass p = pass(t, lattice, SERIES, block, cfg.batches(), want, host, true);
            probing.set(false);
            prober.join(5000);
            double secs = p.seconds();
            long[] l;
            synchronized (loaded) {
                l = loaded.stream().mapToLong(Long::longValue).sorted().toArray();
            }
            double p50 = l.length == 0 ? Double.NaN : percentile(l, 50) / 1e6, p99 = l.length == 0 ? Double.NaN : percentile(l, 99) / 1e6;
            double publishRate = cfg.samples() / p.publishSeconds();
            say("throughput: %,d samples in %.3f s end to end = %.2f M samples/s, %,.0f batches/s; output %,d points in %,d messages",
                    cfg.samples(), secs, cfg.samples() / secs / 1e6, cfg.batches() / secs, p.points(), p.messages());
            notes.add(String.format(Locale.ROOT, "data: BenchData's synthetic 20 kHz vibration (%,d distinct samples, repeated with times "
                    + "going on) in batches of %,d samples encoded with SampleBatchCodec; LTTB bucket %d ms; a warm-up of %,d batches of "
                    + "another series first, untimed; then %,d batches of %s, for which the Java engine emits %,d points", block.n(),
                    cfg.batch(), BUCKET_NANOS / 1_000_000, warmBatches, cfg.batches(), SERIES, want[0]));
            notes.add(String.format(Locale.ROOT, "throughput: end to end, from the first publish until the subscriber here had every "
                    + "output point (%.3f s); the producer publishes asynchronously with up to %d unacknowledged messages and had "
                    + "its last acknowledgement after %.3f s (%.2f M samples/s)", secs, PUBLISH_WINDOW, p.publishSeconds(), publishRate / 1e6));
            if (l.length > 0)
                notes.add(String.format(Locale.ROOT, "control under load: %,d host.inventory round trips during the timed run, one every "
                        + "10 ms, p50 %.3f ms, p99 %.3f ms", l.length, p50, p99));
            return new Throughput(cfg.samples() / secs, cfg.batches() / secs, publishRate, p50, p99, p.points(), p.messages(),
                    p.lastInputSequence());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        } catch (IOException | RuntimeException e) {
            throw new BenchException("throughput run failed: " + e.getMessage() + host.logNote(), e);
        } finally {
            probing.set(false);
            prober.interrupt();
        }
    }

    /** Waits (up to 10 s) until lttb's checkpoint names the last input sequence; a failure when it does not. */
    private void checkCheckpoint(NatsTransport t, Subjects s, long lastInput, HostProcess host) {
        var bucket = t.keyValue(s.checkpointBucket());
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10), offset = 0;
        while (System.nanoTime() < end) {
            Optional<KvEntry> e = bucket.get("lttb");
            if (e.isPresent() && !e.get().deleted()) {
                offset = checkpointOffset(e.get().value());
                if (offset >= lastInput) {
                    notes.add("checkpoint: lttb's checkpoint covers the last input (stream sequence " + offset + ")");
                    return;
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        fail("lttb's checkpoint is at stream sequence " + offset + " 10 s after the run, the last input is at " + lastInput + host.logNote());
    }

    /** The input offset in a checkpoint ({@code SPCK}, u32 header length, JSON header with offsets, state). */
    static long checkpointOffset(byte[] cp) {
        ByteBuffer b = ByteBuffer.wrap(cp);
        if (cp.length < 8 || b.getInt() != 0x5350434B) return 0;
        int hl = b.getInt();
        if (hl < 2 || hl > cp.length - 8) return 0;
        JsonNode h = Json.tree(Arrays.copyOfRange(cp, 8, 8 + hl), "checkpoint header");
        long max = 0;
        for (JsonNode o : h.path("offsets")) max = Math.max(max, o.asLong());
        return max;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (NoSuchFileException ignored) {
            // gone
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }

    /** The host under test: {@code <hostCommand> host --nats URL --lattice L --data-dir DIR ...}, stderr to a log. */
    static final class HostProcess implements AutoCloseable {
        private final Process process;
        private final Path log;
        private final List<String> jvmOptions;

        private HostProcess(Process process, Path log, List<String> jvmOptions) {
            this.process = process;
            this.log = log;
            this.jvmOptions = jvmOptions;
        }

        static HostProcess start(List<String> hostCommand, String url, String lattice, Path dir) throws BenchException {
            List<String> cmd = new ArrayList<>(hostCommand);
            cmd.addAll(List.of("host", "--nats", url, "--lattice", lattice, "--data-dir", dir.resolve("host").toString(), "--name",
                    "bench-host", "--heartbeat", "5s"));
            Path log = dir.resolve("host.log");
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
                List<String> opts = new ArrayList<>();
                for (String a : hostCommand.subList(1, hostCommand.size())) {
                    if (a.equals("-cp") || a.equals("-classpath") || a.equals("--class-path")) break;
                    opts.add(a);
                }
                return new HostProcess(p, log, opts);
            } catch (IOException e) {
                throw new BenchException("cannot start the host (" + String.join(" ", cmd) + "): " + e.getMessage(), e);
            }
        }

        long pid() {
            return process.pid();
        }

        boolean alive() {
            return process.isAlive();
        }

        int exitValue() {
            return process.exitValue();
        }

        List<String> jvmOptions() {
            return jvmOptions;
        }

        /** {VmRSS, VmHWM} in kB from /proc, or null. */
        long[] rssKb() {
            try {
                long rss = -1, hwm = -1;
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                    if (line.startsWith("VmRSS:")) rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    if (line.startsWith("VmHWM:")) hwm = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
                return rss < 0 ? null : new long[] {rss, hwm};
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        /** "; host log: ..." with its last lines, for failure messages. */
        String logNote() {
            try {
                List<String> l = Files.readAllLines(log);
                return "; host log (" + log + "):\n" + String.join("\n", l.subList(Math.max(0, l.size() - 20), l.size()));
            } catch (IOException e) {
                return "";
            }
        }

        /** SIGTERM (a clean shutdown), then SIGKILL after 10 s. */
        void stop() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            if (process.isAlive()) stop();
        }
    }
}
