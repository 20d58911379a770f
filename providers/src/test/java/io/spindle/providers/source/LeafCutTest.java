package io.spindle.providers.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.spindle.codec.SampleBatch;
import io.spindle.codec.SampleBatchCodec;
import io.spindle.lattice.Subjects;
import io.spindle.lattice.transport.DurableStream;
import io.spindle.lattice.transport.NatsLeafTopology;
import io.spindle.lattice.transport.NatsTransport;
import io.spindle.providers.ProviderContext;
import io.spindle.sources.Source;
import io.spindle.sources.SourceCounters;
import io.spindle.sources.SourceSink;
import io.spindle.sources.sim.MachineSimulator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source provider on an edge host (transport on the edge nats-server, the data stream in the cloud's JetStream across
 * the leaf) while the leaf link is cut and restored: the cloud's stream ends up with every sample and event the source
 * handed on, once, in order per series.
 */
class LeafCutTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void needServer() {
        Assumptions.assumeTrue(NatsLeafTopology.available(), "nats-server is not installed (Debian package nats-server)");
    }

    /** Passes a source's output on and remembers it: per series, the sample times and events in order. */
    private static final class Recording implements Source {
        final Source inner;
        final Map<String, List<String>> handedOn = new ConcurrentHashMap<>();
        final AtomicLong samples = new AtomicLong();

        Recording(Source inner) {
            this.inner = inner;
        }

        private List<String> of(String series) {
            return handedOn.computeIfAbsent(series, k -> new ArrayList<>()); // one thread per series (SourceSink)
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public void start(SourceSink sink) {
            inner.start(new SourceSink() {
                @Override
                public void sample(String series, long tNanos, double value) {
                    of(series).add(Long.toString(tNanos));
                    samples.incrementAndGet();
                    sink.sample(series, tNanos, value);
                }

                @Override
                public void samples(String series, long[] t, double[] v, int count) {
                    List<String> l = of(series);
                    for (int i = 0; i < count; i++) l.add(Long.toString(t[i]));
                    samples.addAndGet(count);
                    sink.samples(series, t, v, count);
                }

                @Override
                public void event(String series, long tNanos, String value) {
                    of(series).add(tNanos + "=" + value);
                    sink.event(series, tNanos, value);
                }

                @Override
                public void rejected(String source, String input, String reason) {
                    sink.rejected(source, input, reason);
                }
            });
        }

        @Override
        public SourceCounters counters() {
            return inner.counters();
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    /** A source that reads nothing (the second run only publishes what the first left in the spool). */
    private static final class Idle implements Source {
        private final SourceCounters counters = new SourceCounters();

        @Override
        public String name() {
            return "idle";
        }

        @Override
        public void start(SourceSink sink) {
        }

        @Override
        public SourceCounters counters() {
            return counters;
        }

        @Override
        public void close() {
        }
    }

    private record Run(Recording recording, SourceProvider.Stats stats, Map<String, List<String>> stored) {
    }

    /** Runs the simulator on the edge for before ms, cuts the leaf for cut ms, restores it, runs after ms more, stops. */
    private Run run(Map<String, String> config, long before, long cut, long after) throws Exception {
        Subjects subjects = new Subjects("leafcut");
        try (NatsLeafTopology topo = NatsLeafTopology.start(dir.resolve("nats"));
             NatsTransport edge = NatsTransport.connect(topo.edgeUrl(), "edge-host");
             NatsTransport cloud = NatsTransport.connect(topo.cloudUrl(), "cloud-host")) {
            Recording[] rec = new Recording[1];
            SourceProvider p = new SourceProvider(new ProviderContext("sim", edge, subjects, config, dir.resolve("host")),
                    "spindle:source-simulator", own -> rec[0] = new Recording(MachineSimulator.fromConfig(own)));
            try {
                Thread.sleep(before);
                topo.cutLeaf();
                Thread.sleep(cut);
                assertThat(p.stats().spoolBatches()).as("batches wait in the spool during the cut: %s", p.describe()).isGreaterThan(5);
                SourceProvider.Stats atCut = p.stats();
                long t0 = System.nanoTime();
                topo.restoreLeaf();
                long leafMs = (System.nanoTime() - t0) / 1_000_000;
                SourceProvider.Stats atRestore = p.stats();
                long t1 = System.nanoTime();
                while (p.stats().spoolBatches() > 1 && System.nanoTime() - t0 < 20_000_000_000L) Thread.sleep(5);
                long drainMs = (System.nanoTime() - t0) / 1_000_000;
                SourceProvider.Stats atEmpty = p.stats();
                // bytes published meanwhile: handed on minus still waiting
                long drainedBytes = (atEmpty.wireBytes() - atEmpty.spoolBytes()) - (atRestore.wireBytes() - atRestore.spoolBytes());
                double s = (System.nanoTime() - t1) / 1e9;
                System.out.printf("leaf cut %d ms: %d batches, %d bytes waiting; leaf back in %d ms; spool empty %d ms after"
                                + " the restore began (%d batches, %.1f MB published in %.2f s since the leaf was up: %.1f MB/s)%n",
                        cut, atCut.spoolBatches(), atCut.spoolBytes(), leafMs, drainMs, atEmpty.drained() - atRestore.drained(),
                        drainedBytes / 1e6, s, drainedBytes / 1e6 / s);
                Thread.sleep(after);
            } finally {
                p.close();
            }
            System.out.println(p.describe());
            if (p.stats().spoolBatches() > 0) { // the stop left batches on disk: the next run with the same id sends them
                SourceProvider next = new SourceProvider(new ProviderContext("sim", edge, subjects, config, dir.resolve("host")),
                        "spindle:source-simulator", own -> new Idle());
                try {
                    assertThat(next.stats().spoolRestored()).isEqualTo(p.stats().spoolBatches());
                    long end = System.nanoTime() + 20_000_000_000L;
                    while (next.stats().spoolBatches() > 0 && System.nanoTime() < end) Thread.sleep(5);
                } finally {
                    next.close();
                }
                System.out.println("next run: " + next.describe());
            }
            return new Run(rec[0], p.stats(), read(cloud.stream(subjects.dataStream(), List.of(subjects.dataSubjects())), subjects));
        }
    }

    /** Everything in the cloud's data stream: per series, sample times and events in stream order. */
    private static Map<String, List<String>> read(DurableStream stream, Subjects subjects) throws Exception {
        Map<String, List<String>> out = new TreeMap<>();
        long last = stream.lastSequence();
        AtomicLong seen = new AtomicLong();
        SampleBatch b = new SampleBatch();
        try (AutoCloseable c = stream.consume(subjects.dataSubjects(), 1, (seq, subject, data) -> {
            if (subject.contains(".raw.")) {
                SampleBatchCodec.decode(data, b);
                List<String> l = out.computeIfAbsent(b.series(), k -> new ArrayList<>());
                for (int i = 0; i < b.count(); i++) l.add(Long.toString(b.time(i)));
            } else {
                EventMessage e = EventMessage.decode(data);
                out.computeIfAbsent(e.series(), k -> new ArrayList<>()).add(e.tNanos() + "=" + e.value());
            }
            seen.set(seq);
        })) {
            long end = System.nanoTime() + 20_000_000_000L;
            while (seen.get() < last && System.nanoTime() < end) Thread.sleep(5);
        }
        return out;
    }

    /** Exactly what the source handed on, once each, in order; on a mismatch says where, not the whole lists. */
    private static void sameInOrder(String series, List<String> stored, List<String> handedOn) {
        int i = 0;
        while (i < Math.min(stored.size(), handedOn.size()) && stored.get(i).equals(handedOn.get(i))) i++;
        if (i == stored.size() && i == handedOn.size()) return;
        throw new AssertionError(series + ": stored " + stored.size() + " entries, the source handed on " + handedOn.size()
                + "; first difference at " + i + ": stored " + stored.subList(i, Math.min(stored.size(), i + 3))
                + ", handed on " + handedOn.subList(i, Math.min(handedOn.size(), i + 3)));
    }

    @Test
    void tenKilohertzThroughACutOfTheLeafArrivesCompleteOnceAndInOrder() throws Exception {
        Run r = run(Map.of("channels", "1", "rate_hz", "10000", "seed", "3"), 1000, 2500, 500);
        assertThat(r.recording().samples.get()).isGreaterThan(35_000);
        assertThat(r.stored().keySet()).isEqualTo(new TreeMap<>(r.recording().handedOn).keySet());
        for (String series : r.stored().keySet()) sameInOrder(series, r.stored().get(series), r.recording().handedOn.get(series));
        SourceProvider.Stats st = r.stats();
        assertThat(st.spool()).isEqualTo("disk");
        assertThat(st.spoolMaxBytes()).isPositive();
        assertThat(st.drained()).isEqualTo(st.spooled());
        assertThat(st.spoolBatches()).isZero();
        assertThat(st.blockedMs()).as("under the bound the source never waits").isZero();
    }

    @Test
    void pastTheBoundTheSourceWaitsAndNothingAcceptedIsLost() throws Exception {
        // 8 channels at 50 kHz of full-precision noise: megabytes a second, a 1 MB spool fills within the cut
        Run r = run(Map.of("channels", "8", "rate_hz", "50000", "seed", "5", "spool-max-mb", "1"), 500, 2500, 300);
        SourceProvider.Stats st = r.stats();
        assertThat(st.blockedMs()).as("the source's thread waited for room").isGreaterThan(500);
        assertThat(st.spoolMaxBytes()).isLessThan((1 << 20) + 200_000); // the bound, passed by at most one batch
        assertThat(r.stored().keySet()).isEqualTo(new TreeMap<>(r.recording().handedOn).keySet());
        for (String series : r.stored().keySet()) sameInOrder(series, r.stored().get(series), r.recording().handedOn.get(series));
    }

    @Test
    void aStopDuringTheCutLeavesTheSpoolOnDiskAndTheNextRunWithTheSameIdSendsIt() throws Exception {
        Subjects subjects = new Subjects("leafcut");
        Map<String, String> config = Map.of("channels", "1", "rate_hz", "10000", "seed", "4");
        try (NatsLeafTopology topo = NatsLeafTopology.start(dir.resolve("nats"));
             NatsTransport edge = NatsTransport.connect(topo.edgeUrl(), "edge-host");
             NatsTransport cloud = NatsTransport.connect(topo.cloudUrl(), "cloud-host")) {
            ProviderContext ctx = new ProviderContext("sim", edge, subjects, config, dir.resolve("host"));
            Recording[] rec = new Recording[1];
            SourceProvider first = new SourceProvider(ctx, "spindle:source-simulator",
                    own -> rec[0] = new Recording(MachineSimulator.fromConfig(own)));
            Thread.sleep(300);
            topo.cutLeaf();
            Thread.sleep(700);
            long t0 = System.nanoTime();
            first.close(); // no progress while cut: gives up after CLOSE_STALL
            long closeMs = (System.nanoTime() - t0) / 1_000_000;
            SourceProvider.Stats left = first.stats();
            assertThat(left.spoolBatches()).isGreaterThan(5);
            assertThat(closeMs).isLessThan(SourceProvider.CLOSE_STALL.toMillis() + 2_000);
            topo.restoreLeaf();

            SourceProvider next = new SourceProvider(ctx, "spindle:source-simulator", own -> new Idle());
            try {
                assertThat(next.stats().spoolRestored()).isEqualTo(left.spoolBatches());
                long end = System.nanoTime() + 20_000_000_000L;
                while (next.stats().spoolBatches() > 0 && System.nanoTime() < end) Thread.sleep(5);
                assertThat(next.stats().spoolBatches()).isZero();
            } finally {
                next.close();
            }
            System.out.println("stopped during the cut after " + closeMs + " ms with " + left.spoolBatches()
                    + " batches spooled; the next run sent them: " + next.describe());
            Map<String, List<String>> stored = read(cloud.stream(subjects.dataStream(), List.of(subjects.dataSubjects())), subjects);
            assertThat(stored.keySet()).isEqualTo(new TreeMap<>(rec[0].handedOn).keySet());
            for (String series : stored.keySet()) sameInOrder(series, stored.get(series), rec[0].handedOn.get(series));
        }
    }
}
