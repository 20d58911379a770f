package io.spindle.bench;

import io.spindle.host.EdgePipeline;
import io.spindle.host.Host;
import io.spindle.lattice.LatticeClient;
import io.spindle.lattice.Subjects;
import io.spindle.lattice.transport.DurableStream;
import io.spindle.lattice.transport.InProcessTransport;
import io.spindle.providers.Interfaces;
import io.spindle.providers.Provider;
import io.spindle.providers.source.SourceProvider;
import io.spindle.providers.store.StoreProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The harness behind {@code spindle bench pipeline}: one host in this process on the embedded (in-process, persistent)
 * lattice, running the edge pipeline of {@link EdgePipeline}: simulator source -> data stream -> messaging provider ->
 * {@code lttb.wasm} -> data stream -> store provider (SQLite: raw ring, tier 0, tiers 1..5). Two phases:
 * <ol>
 *   <li><b>throughput</b>: the simulator unpaced (as fast as the pipeline takes it) until it has published N samples;
 *       the clock runs from the source's start until the store has committed every message in the stream (so every
 *       sample went through the component and is stored); samples/s = N over that time;</li>
 *   <li><b>latency</b>: a second simulator paced to wall-clock time at a fixed rate for S seconds; for each output message
 *       of the component the store's commit time minus the time of the message's newest point (sample times are wall
 *       clock here): p50 and p99. A tier-0 point is final when the next bucket closes, so the floor is about one to two
 *       bucket widths; the goal is at most two bucket widths plus 250 ms.</li>
 * </ol>
 * Wire bytes per raw sample: the source's published message bytes over its samples. RSS: this process's VmRSS at the
 * end (it holds the host, the simulator and the bench).
 */
public final class PipelineBench {
    /** The goals of issue 6. */
    public static final double GOAL_SAMPLES_PER_SEC = 2e6, GOAL_EXTRA_LATENCY_MS = 250;

    /**
     * What to run.
     *
     * @param samples      samples of the throughput phase
     * @param channels     vibration channels of the simulator
     * @param rateHz       vibration rate per channel (the simulator adds a few slow channels)
     * @param pacedSeconds length of the latency phase (0: skip it)
     * @param pacedRate    total samples/s of the latency phase
     * @param bucketMs     the LTTB bucket (tier 0)
     * @param component    lttb.wasm
     * @param lingerMs     longest a sample waits in the source's batch in the latency phase
     * @param commitMs     the store provider's commit interval
     */
    public record Config(long samples, int channels, int rateHz, double pacedSeconds, long pacedRate, long bucketMs, Path component,
                         int lingerMs, int commitMs) {
        public Config {
            if (lingerMs < 1 || lingerMs > 10_000) throw new IllegalArgumentException("--linger-ms must be in [1, 10000], got " + lingerMs);
            if (commitMs < 1 || commitMs > 60_000) throw new IllegalArgumentException("--commit-ms must be in [1, 60000], got " + commitMs);
            if (samples < 10_000) throw new IllegalArgumentException("--samples must be at least 10000, got " + samples);
            if (channels < 1 || channels > 1000) throw new IllegalArgumentException("--channels must be in [1, 1000], got " + channels);
            if (rateHz < 1000 || rateHz > 50_000) throw new IllegalArgumentException("--rate must be in [1000, 50000] Hz, got " + rateHz);
            if (pacedSeconds < 0 || pacedSeconds > 3600) throw new IllegalArgumentException("--paced-seconds must be in [0, 3600], got " + pacedSeconds);
            if (pacedRate < 1000) throw new IllegalArgumentException("--paced-rate must be at least 1000 samples/s, got " + pacedRate);
            if (bucketMs < 1 || bucketMs > 60_000) throw new IllegalArgumentException("--bucket-ms must be in [1, 60000], got " + bucketMs);
        }
    }

    private final Config cfg;
    private final Consumer<String> progress;
    private final List<String> notes = new ArrayList<>();

    public PipelineBench(Config cfg, Consumer<String> progress) {
        this.cfg = cfg;
        this.progress = progress;
    }

    private void say(String fmt, Object... args) {
        progress.accept("bench pipeline: " + String.format(Locale.ROOT, fmt, args));
    }

    /** Runs both phases; BenchException when the pipeline cannot be set up or loses data. */
    public PipelineReport run() throws BenchException {
        if (!Files.isRegularFile(cfg.component())) throw new BenchException(cfg.component() + ": no such component file");
        Path dir;
        try {
            dir = Files.createTempDirectory("spindle-bench-pipeline");
        } catch (IOException e) {
            throw new BenchException("cannot create a temporary directory: " + e.getMessage(), e);
        }
        String lattice = "bench";
        InProcessTransport t = new InProcessTransport(InProcessTransport.Options.persistent(dir.resolve("lattice")).withStreamSync(Duration.ofSeconds(1)));
        Host host = Host.builder(t).lattice(lattice).friendlyName("bench").dataDir(dir.resolve("host")).build().start();
        try {
            LatticeClient client = new LatticeClient(t, lattice, Duration.ofSeconds(60));
            Map<String, String> sim = Map.of("machine", "bench", "seed", "1", "channels", Integer.toString(cfg.channels()),
                    "rate_hz", Integer.toString(cfg.rateHz()), "paced", "false");
            EdgePipeline p = new EdgePipeline(cfg.component(), cfg.bucketMs() * 1_000_000L,
                    Map.of("uri", "sqlite:" + dir.resolve("store.db"), "commit-ms", Integer.toString(cfg.commitMs())), Map.of());
            p.apply(client, host.id());
            StoreProvider store = provider(host, StoreProvider.class, EdgePipeline.STORE_ID);
            DurableStream stream = t.stream(new Subjects(lattice).dataStream(), List.of(new Subjects(lattice).dataSubjects()));
            say("pipeline up in %s (lattice in-process, store %s)", dir, store.store().location());

            // phase 1: throughput
            long t0 = System.nanoTime();
            client.putConfig("sim-cfg", sim);
            client.startProvider(host.id(), Interfaces.SIMULATOR, "sim", List.of("sim-cfg"));
            SourceProvider src = provider(host, SourceProvider.class, "sim");
            long lastSay = t0;
            while (src.stats().samples() < cfg.samples()) {
                sleep(5);
                if (System.nanoTime() - lastSay > 2_000_000_000L) {
                    lastSay = System.nanoTime();
                    say("%,d samples published, store backlog %,d messages", src.stats().samples(), store.stats().backlog());
                }
            }
            client.stopProvider(host.id(), "sim"); // flushes what it batched
            SourceProvider.Stats ss = src.stats();
            long published = ss.samples();
            awaitDrained(stream, store, host, Duration.ofMinutes(10));
            double secs = (System.nanoTime() - t0) / 1e9;
            double rate = published / secs;
            StoreProvider.Stats st = store.stats();
            say("throughput: %,d samples in %.2f s = %.2f M samples/s; %,d tier-0 points, %,d higher-tier points stored",
                    published, secs, rate / 1e6, st.tier0Points(), st.tierPoints());
            if (st.rawSamples() < published)
                throw new BenchException("the store holds " + st.rawSamples() + " raw samples of " + published + " published");
            double wire = (double) ss.wireBytes() / Math.max(1, ss.samples());

            // phase 2: latency at a paced rate
            double p50 = Double.NaN, p99 = Double.NaN;
            long pacedSamples = 0;
            if (cfg.pacedSeconds() > 0) {
                int ch = (int) Math.max(1, Math.min(1000, Math.round((double) cfg.pacedRate() / cfg.rateHz())));
                client.putConfig("paced-cfg", Map.of("machine", "paced", "seed", "2", "channels", Integer.toString(ch),
                        "rate_hz", Integer.toString(cfg.rateHz()), "paced", "true", "linger-ms", Integer.toString(cfg.lingerMs())));
                long mark = store.tier0Latency().count();
                client.startProvider(host.id(), Interfaces.SIMULATOR, "paced", List.of("paced-cfg"));
                SourceProvider paced = provider(host, SourceProvider.class, "paced");
                long end = System.nanoTime() + (long) (cfg.pacedSeconds() * 1e9);
                while (System.nanoTime() < end) {
                    sleep(1000);
                    say("paced: %,d samples published, store backlog %,d messages", paced.stats().samples(), store.stats().backlog());
                }
                client.stopProvider(host.id(), "paced");
                pacedSamples = paced.stats().samples();
                awaitDrained(stream, store, host, Duration.ofMinutes(5));
                long[] lat = store.tier0Latency().since(mark);
                if (lat.length > 0) {
                    p50 = lat[(int) Math.ceil(0.50 * lat.length) - 1] / 1e6;
                    p99 = lat[(int) Math.ceil(0.99 * lat.length) - 1] / 1e6;
                }
                notes.add(String.format(Locale.ROOT, "latency phase: %d channels x %d Hz (+ slow channels) paced to wall clock for %.0f s, "
                        + "%,d samples, %d output messages timed; source batches linger <= %d ms, store commits every %d ms",
                        ch, cfg.rateHz(), cfg.pacedSeconds(), pacedSamples, lat.length, cfg.lingerMs(), cfg.commitMs()));
                say("latency: p50 %.1f ms, p99 %.1f ms over %d output messages", p50, p99, lat.length);
            }
            double rss = rssMb();
            notes.add("throughput phase: simulator unpaced, " + cfg.channels() + " vibration channels at " + cfg.rateHz()
                    + " Hz (+ slow channels), batches of 4096; clock from the source's start until the store committed the whole stream");
            notes.add("store: " + store.store().location() + " (raw ring as encoded chunks, tier 0 from lttb.wasm, tiers 1-5 built by the store provider)");
            notes.add("rss: VmRSS of this process (host, simulator and bench in one JVM)");
            return new PipelineReport(published, secs, rate, p50, p99, wire, rss, cfg.bucketMs(), st.tier0Points(), st.tierPoints(),
                    pacedSamples, notes);
        } catch (RuntimeException e) {
            throw new BenchException("the pipeline failed: " + e.getMessage(), e);
        } finally {
            host.close();
            t.close();
            deleteTree(dir);
        }
    }

    private static <P extends Provider> P provider(Host host, Class<P> type, String id) throws BenchException {
        for (Provider p : host.providers()) if (p.id().equals(id) && type.isInstance(p)) return type.cast(p);
        throw new BenchException("provider " + id + " does not run on the host");
    }

    /** Waits until the store committed every message of the stream, and the stream stopped growing (lttb's output came in). */
    private void awaitDrained(DurableStream stream, StoreProvider store, Host host, Duration max) throws BenchException {
        long end = System.nanoTime() + max.toNanos();
        long stableSince = -1, lastSeen = -1;
        while (System.nanoTime() < end) {
            long last = stream.lastSequence();
            StoreProvider.Stats st = store.stats();
            boolean caughtUp = st.committedSequence() >= last && host.feeds().stream().allMatch(f -> f.lastOffset() >= 0);
            if (caughtUp && last == lastSeen) {
                if (stableSince < 0) stableSince = System.nanoTime();
                else if (System.nanoTime() - stableSince > 300_000_000L) return;
            } else {
                stableSince = -1;
            }
            lastSeen = last;
            sleep(10);
        }
        throw new BenchException("the store did not catch up with the stream within " + max.toSeconds() + " s: " + store.stats());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static double rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status")))
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    private static void deleteTree(Path dir) {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
