package io.spindle.bench;

import io.spindle.codec.SampleBatch;
import io.spindle.codec.SampleBatchCodec;
import io.spindle.deploy.orchestrator.AppStatus;
import io.spindle.deploy.orchestrator.ModelClient;
import io.spindle.deploy.orchestrator.Orchestrator;
import io.spindle.downsample.stream.PointSink;
import io.spindle.downsample.stream.StreamConfig;
import io.spindle.downsample.stream.StreamingLttb;
import io.spindle.host.Host;
import io.spindle.lattice.Subjects;
import io.spindle.lattice.transport.DurableStream;
import io.spindle.lattice.transport.NatsTransport;
import io.spindle.lattice.transport.Transport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The harness behind {@code spindle bench deploy}: a nats-server of its own with JetStream, three hosts (edge-1 and
 * edge-2 labelled zone=edge, cloud-1 zone=cloud; each on its own connection and data directory, as separate machines
 * would be) and an orchestrator, all in this JVM. The application: lttb.wasm (uploaded by digest) fed by a messaging
 * provider on every host, and a store provider in the cloud; a 10 kHz series streams into the data stream throughout.
 * Per round it measures deploy (request to {@code deployed}), move edge to cloud (a new version with other spread
 * requirements, to {@code deployed} with the component restored on the cloud host) and host loss (the edge host
 * running the component halted like a crash, to {@code deployed} again on the other edge host). At the end the
 * component's output, de-duplicated by (series, t), must equal the Java engine's on the whole input: the state
 * travelled with every move, undeploy and recovery.
 */
public final class DeployBench {
    static final String LATTICE = "bench-deploy", SERIES = "press/vibration";
    static final long BUCKET_NANOS = 10_000_000L, STEP_NANOS = 100_000L; // 10 ms buckets, 10 kHz

    /**
     * What to run.
     *
     * @param rounds    deploy/move/loss rounds (the first one compiles the component on each host: cold)
     * @param heartbeat the hosts' heartbeat interval
     * @param expiry    the orchestrator's host expiry (a host silent this long is lost)
     * @param component the LTTB component
     */
    public record Config(int rounds, Duration heartbeat, Duration expiry, Path component) {
        public Config {
            if (rounds < 1) throw new IllegalArgumentException("--rounds must be at least 1, got " + rounds);
            if (heartbeat.toMillis() < 50) throw new IllegalArgumentException("--heartbeat must be at least 50 ms");
            if (expiry.compareTo(heartbeat) <= 0) throw new IllegalArgumentException("--host-expiry must be longer than --heartbeat");
        }
    }

    private final Config cfg;
    private final Consumer<String> progress;

    /** A harness reporting progress lines to progress. */
    public DeployBench(Config config, Consumer<String> progress) {
        this.cfg = config;
        this.progress = progress;
    }

    /** Runs every round; a mismatch with the Java engine fails the benchmark. */
    public DeployReport run() throws BenchException {
        byte[] module;
        try {
            module = Files.readAllBytes(cfg.component());
        } catch (IOException e) {
            throw new BenchException("cannot read the component " + cfg.component() + ": " + e.getMessage(), e);
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("spindle-bench-deploy");
        } catch (IOException e) {
            throw new BenchException("cannot create a temporary directory: " + e.getMessage(), e);
        }
        List<AutoCloseable> open = new ArrayList<>();
        BenchNats nats = null;
        try {
            nats = BenchNats.start(dir.resolve("nats"));
            say("nats-server %s on %s", nats.version(), nats.url());
            Transport ctl = NatsTransport.connect(nats.url(), "bench-deploy");
            open.add(ctl);
            Subjects s = new Subjects(LATTICE);
            String digest = "sha256-" + sha256(module);
            ctl.keyValue(s.componentsBucket()).put(digest, module);
            DurableStream ds = ctl.stream(s.dataStream(), List.of(s.dataSubjects()));

            Map<String, Host> hosts = new LinkedHashMap<>();
            for (String name : List.of("edge-1", "edge-2", "cloud-1")) hosts.put(name, startHost(nats.url(), dir, name, open));
            Transport ot = NatsTransport.connect(nats.url(), "bench-orchestrator");
            open.add(ot);
            Orchestrator orch = Orchestrator.builder(ot).lattice(LATTICE).hostExpiry(cfg.expiry()).build().start();
            open.add(orch);
            ModelClient models = new ModelClient(ctl, LATTICE, Duration.ofSeconds(30));
            say("3 hosts (heartbeat %d ms), an orchestrator (host expiry %d ms); lttb.wasm stored as %s", cfg.heartbeat().toMillis(),
                    cfg.expiry().toMillis(), digest.substring(0, 19));

            Feeder feeder = new Feeder(ds);
            Thread ft = new Thread(feeder, "bench-deploy-feed");
            ft.setDaemon(true);
            ft.start();
            List<double[]> rounds = new ArrayList<>();
            try {
                for (int r = 1; r <= cfg.rounds(); r++) {
                    String v1 = "r" + r + ".edge", v2 = "r" + r + ".cloud";
                    models.put(manifest(v1, "edge"), Map.of("lttb", digest));
                    models.put(manifest(v2, "cloud"), Map.of("lttb", digest));

                    long t0 = System.nanoTime();
                    models.deploy("downsampler", v1);
                    await(models, v1, null, hosts);
                    double deployMs = ms(t0);

                    t0 = System.nanoTime();
                    models.deploy("downsampler", v2);
                    await(models, v2, "cloud-1", hosts);
                    double moveMs = ms(t0);

                    models.deploy("downsampler", v1); // back to the edge (not measured: the same as a move)
                    String edgeHost = await(models, v1, null, hosts);
                    Host lost = hosts.get(edgeHost);
                    t0 = System.nanoTime();
                    lost.halt();
                    String other = edgeHost.equals("edge-1") ? "edge-2" : "edge-1";
                    awaitOn(models, v1, other, hosts);
                    double lossMs = ms(t0);
                    rounds.add(new double[] {deployMs, moveMs, lossMs});
                    say("round %d/%d: deploy %.0f ms, move edge->cloud %.0f ms, host loss recovered in %.0f ms (expiry %d ms)",
                            r, cfg.rounds(), deployMs, moveMs, lossMs, cfg.expiry().toMillis());

                    models.undeploy("downsampler");
                    awaitStatus(models, AppStatus.UNDEPLOYED, null);
                    hosts.put(edgeHost, startHost(nats.url(), dir, edgeHost, open)); // the lost machine comes back
                }
                // the last round ends undeployed: deploy once more so the component catches up with the input
                feeder.stop();
                ft.join();
                models.deploy("downsampler", "r" + cfg.rounds() + ".edge");
                String at = await(models, "r" + cfg.rounds() + ".edge", null, hosts);
                long last = feeder.lastSequence();
                long end = System.nanoTime() + 60_000_000_000L;
                while (hosts.get(at).feeds().isEmpty() || hosts.get(at).feeds().get(0).lastOffset() < last) {
                    if (System.nanoTime() > end) throw new BenchException("the component did not catch up with the input within 60 s");
                    Thread.sleep(20);
                }
            } finally {
                feeder.stop();
            }
            Check check = check(ds, s, feeder);
            say("output: %d points over %d input samples; equal to one uninterrupted run: %s (%d repeats de-duplicated)",
                    check.points, feeder.samples.get(), check.equal ? "yes" : "NO", check.duplicates);
            if (!check.equal) throw new BenchException("the component's output differs from the Java engine's: " + check.detail);
            return new DeployReport(rounds, cfg.heartbeat().toMillis(), cfg.expiry().toMillis(), feeder.samples.get(), check.points,
                    check.duplicates, nats.version());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted");
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) { // hosts and clients first, while the server still runs
                try {
                    open.get(i).close();
                } catch (Exception ignored) {
                    // tearing down
                }
            }
            if (nats != null) nats.close();
            deleteQuietly(dir);
        }
    }

    private Host startHost(String url, Path dir, String name, List<AutoCloseable> open) {
        Transport t = NatsTransport.connect(url, "bench-" + name);
        open.add(t);
        Host h = Host.builder(t).lattice(LATTICE).friendlyName(name).label("zone", name.startsWith("edge") ? "edge" : "cloud")
                .dataDir(dir.resolve("hosts").resolve(name)).heartbeat(cfg.heartbeat()).build().start();
        open.add(h::close);
        return h;
    }

    /** Waits for deployed at version (on host, when given); returns the host running lttb. */
    private String await(ModelClient models, String version, String host, Map<String, Host> hosts) throws BenchException {
        return awaitOn(models, version, host, hosts);
    }

    private String awaitOn(ModelClient models, String version, String host, Map<String, Host> hosts) throws BenchException {
        long end = System.nanoTime() + 60_000_000_000L;
        AppStatus st = null;
        while (System.nanoTime() < end) {
            st = models.status("downsampler");
            if (AppStatus.FAILED.equals(st.status())) throw new BenchException("the application failed: " + st.message());
            if (AppStatus.DEPLOYED.equals(st.status()) && version.equals(st.version())) {
                for (var h : hosts.entrySet())
                    if (h.getValue().inventory().components().stream().anyMatch(c -> c.id().equals("lttb"))
                            && (host == null || host.equals(h.getKey()))) return h.getKey();
            }
            sleep(5);
        }
        throw new BenchException("not deployed at " + version + (host == null ? "" : " on " + host) + " within 60 s; last status: " + st);
    }

    private static void awaitStatus(ModelClient models, String status, String version) throws BenchException {
        long end = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < end) {
            AppStatus st = models.status("downsampler");
            if (status.equals(st.status()) && (version == null || version.equals(st.version()))) return;
            sleep(5);
        }
        throw new BenchException("not " + status + " within 60 s");
    }

    static String manifest(String version, String zone) {
        return """
                apiVersion: core.oam.dev/v1beta1
                kind: Application
                metadata:
                  name: downsampler
                  annotations:
                    version: %1$s
                spec:
                  components:
                    - name: messaging
                      type: capability
                      properties:
                        image: spindle:messaging
                      traits:
                        - type: daemonscaler
                          properties:
                            instances: 1
                        - type: link
                          properties:
                            target: lttb
                            namespace: spindle
                            package: telemetry
                            interfaces: [processor]
                            source:
                              config:
                                - name: lttb-feed
                                  properties:
                                    subscribe: "spindle.data.%3$s.raw.>"
                                    publish-prefix: "spindle.data.%3$s.lttb"
                    - name: lttb
                      type: component
                      properties:
                        image: lttb.wasm
                        id: lttb
                        config:
                          - name: lttb-settings
                            properties:
                              bucket-nanos: "%4$d"
                      traits:
                        - type: spreadscaler
                          properties:
                            instances: 1
                            spread:
                              - name: %2$s
                                requirements:
                                  zone: %2$s
                    - name: store
                      type: capability
                      properties:
                        image: spindle:store
                      traits:
                        - type: spreadscaler
                          properties:
                            instances: 1
                            spread:
                              - name: cloud
                                requirements:
                                  zone: cloud
                """.formatted(version, zone, LATTICE, BUCKET_NANOS);
    }

    /** Publishes a 10 kHz series in 100-sample batches at its real pace, remembering what it published. */
    static final class Feeder implements Runnable {
        private final DurableStream ds;
        private final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong samples = new AtomicLong();
        private final AtomicLong lastSeq = new AtomicLong();
        final List<long[]> times = new ArrayList<>();
        final List<double[]> values = new ArrayList<>();

        Feeder(DurableStream ds) {
            this.ds = ds;
        }

        @Override
        public void run() {
            SampleBatchCodec codec = new SampleBatchCodec();
            long t = System.currentTimeMillis() * 1_000_000L;
            long start = System.nanoTime();
            int n = 100;
            long k = 0;
            while (running.get()) {
                long[] ts = new long[n];
                double[] vs = new double[n];
                for (int i = 0; i < n; i++, k++) {
                    ts[i] = t + k * STEP_NANOS;
                    vs[i] = Math.rint((Math.sin(k * 0.0031) * 40 + Math.sin(k * 0.37) * 3 + ((k * 2654435761L) % 97) / 97.0) * 1000) / 1000;
                }
                try {
                    lastSeq.set(ds.publish("spindle.data." + LATTICE + ".raw.press-vibration", codec.encodeToArray(SERIES, ts, vs, 0, n)));
                } catch (RuntimeException e) {
                    continue; // retried with the same samples on the next turn: nothing skipped
                }
                times.add(ts);
                values.add(vs);
                samples.addAndGet(n);
                long due = start + k * STEP_NANOS;
                long wait = due - System.nanoTime();
                if (wait > 0) sleep(wait / 1_000_000L);
            }
        }

        void stop() {
            running.set(false);
        }

        long lastSequence() {
            return lastSeq.get();
        }
    }

    private record Check(boolean equal, long points, int duplicates, String detail) {
    }

    private static Check check(DurableStream ds, Subjects s, Feeder feeder) throws BenchException, InterruptedException {
        List<long[]> want = new ArrayList<>();
        StreamingLttb engine = new StreamingLttb(StreamConfig.of(BUCKET_NANOS), new PointSink() {
            @Override
            public void accept(long t, double v) {
                want.add(new long[] {t, Double.doubleToRawLongBits(v)});
            }
        });
        for (int i = 0; i < feeder.times.size(); i++) engine.add(feeder.times.get(i), feeder.values.get(i), 0, feeder.times.get(i).length);
        long last = ds.lastSequence();
        List<long[]> got = new ArrayList<>();
        Map<Long, Long> seen = new HashMap<>();
        int[] dups = {0};
        String[] conflict = {null};
        CountDownLatch done = new CountDownLatch(1);
        SampleBatch sb = new SampleBatch();
        String prefix = "spindle.data." + LATTICE + ".lttb.";
        try (AutoCloseable c = ds.consume(s.dataSubjects(), 1, (seq, subject, data) -> {
            if (seq > last) return;
            if (subject.startsWith(prefix)) {
                SampleBatchCodec.decode(data, sb);
                for (int i = 0; i < sb.count(); i++) {
                    long bits = Double.doubleToRawLongBits(sb.value(i));
                    Long prev = seen.putIfAbsent(sb.time(i), bits);
                    if (prev == null) got.add(new long[] {sb.time(i), bits});
                    else {
                        dups[0]++;
                        if (prev != bits) conflict[0] = "t=" + sb.time(i) + " emitted with two values";
                    }
                }
            }
            if (seq == last) done.countDown();
        })) {
            if (!done.await(60, TimeUnit.SECONDS)) throw new BenchException("the data stream was not read to its end within 60 s");
        } catch (BenchException | InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new BenchException("reading the data stream: " + e.getMessage(), e);
        }
        if (conflict[0] != null) return new Check(false, got.size(), dups[0], conflict[0]);
        if (got.size() != want.size()) return new Check(false, got.size(), dups[0], got.size() + " points, the engine emits " + want.size());
        for (int i = 0; i < got.size(); i++)
            if (got.get(i)[0] != want.get(i)[0] || got.get(i)[1] != want.get(i)[1])
                return new Check(false, got.size(), dups[0], "point " + i + " differs");
        return new Check(true, got.size(), dups[0], null);
    }

    private void say(String fmt, Object... args) {
        progress.accept("bench: " + String.format(fmt, args));
    }

    private static double ms(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind
        }
    }
}
