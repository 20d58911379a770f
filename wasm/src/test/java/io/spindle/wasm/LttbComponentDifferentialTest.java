package io.spindle.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import io.spindle.downsample.stream.PointSink;
import io.spindle.downsample.stream.StreamConfig;
import io.spindle.downsample.stream.StreamingLttb;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The LTTB component (C, components/lttb) against the Java streaming engine on the same random streams: identical
 * emitted points, segment breaks and refused counts, with random chunkings, snapshot/restore cuts (into fresh
 * instances, across engines), byte-identical per-series engine snapshots, and state moved Java -> Wasm -> Java.
 */
class LttbComponentDifferentialTest {
    private static final ComponentRuntime RT = new ComponentRuntime();
    private static final Component LTTB = RT.load("lttb", Guests.bytes("lttb/lttb.wasm"));
    private static final int SPLC = 0x53504C43;

    /** Emitted samples and break positions, comparable across engines. */
    record Trace(List<Long> times, List<Double> values, List<Integer> breaks, long late, long invalid) {
        Trace() {
            this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), 0, 0);
        }

        void append(Emitted e) {
            for (int b = 0; b < e.breakCount(); b++) breaks.add(times.size() + e.breaks()[b]);
            for (int i = 0; i < e.size(); i++) {
                times.add(e.times()[i]);
                values.add(e.values()[i]);
            }
        }
    }

    /** A random stream with gaps, bursts, duplicates, ties, out-of-order, late and invalid samples. */
    static final class Stream {
        final long[] t;
        final double[] v;
        final StreamConfig cfg;

        Stream(long seed, int n) {
            SplittableRandom r = new SplittableRandom(seed);
            long delta = 1 + r.nextLong(r.nextBoolean() ? 1_000 : 1_000_000_000L);
            long lateness = switch (r.nextInt(3)) {
                case 0 -> 0;
                case 1 -> r.nextLong(delta + 1);
                default -> r.nextLong(4 * delta + 1);
            };
            int gap = 1 + r.nextInt(4);
            int reorderCap = r.nextInt(4) == 0 ? 1 + r.nextInt(8) : 1 << 16;
            int hullCap = r.nextInt(4) == 0 ? 4 + r.nextInt(8) : 4096;
            cfg = new StreamConfig(delta, lateness, gap, reorderCap, hullCap);
            t = new long[n];
            v = new double[n];
            long now = r.nextBoolean() ? 1_700_000_000_000_000_000L + r.nextLong(1_000_000_000L) : -r.nextLong(1_000_000);
            int valueKind = r.nextInt(5);
            double level = r.nextDouble() * 100;
            for (int i = 0; i < n; i++) {
                int step = r.nextInt(100);
                if (step < 55) now += r.nextLong(Math.max(1, delta / 4) + 1);
                else if (step < 70) now += 0;
                else if (step < 90) now += r.nextLong(2 * delta + 1);
                else if (step < 95) now += (gap + 1 + r.nextInt(3)) * delta;
                else now += r.nextLong(delta * 8 + 1);
                long ts = now;
                if (r.nextInt(10) == 0) ts -= r.nextLong(6 * delta + 1);
                t[i] = ts;
                v[i] = switch (valueKind) {
                    case 0 -> r.nextInt(5);
                    case 1 -> level += r.nextGaussian();
                    case 2 -> Math.sin(i * 0.1) * 1e3 + r.nextDouble();
                    case 3 -> -Math.pow((i % 200) - 100, 2) * 1e-3; // concave arcs: long hull chains
                    default -> r.nextInt(3) == 0 ? 7.25 : r.nextDouble() * 1e-3;
                };
                if (r.nextInt(50) == 0) v[i] = r.nextBoolean() ? Double.NaN : Double.POSITIVE_INFINITY;
                if (i > 0 && r.nextInt(20) == 0) {
                    t[i] = t[i - 1];
                    v[i] = v[i - 1];
                }
            }
        }

        Map<String, String> config() {
            return Map.of("bucket-nanos", Long.toString(cfg.bucketNanos()), "lateness-nanos", Long.toString(cfg.latenessNanos()),
                    "gap-buckets", Integer.toString(cfg.gapBuckets()), "reorder-cap", Integer.toString(cfg.reorderCap()),
                    "hull-cap", Integer.toString(cfg.hullCap()));
        }
    }

    private static final class JavaRun implements PointSink {
        final Trace trace = new Trace();
        boolean pendingBreak;
        StreamingLttb engine;

        JavaRun(StreamConfig cfg) {
            engine = new StreamingLttb(cfg, this);
        }

        @Override
        public void segmentStart() {
            trace.breaks().add(trace.times().size());
        }

        @Override
        public void accept(long t, double v) {
            trace.times().add(t);
            trace.values().add(v);
        }
    }

    private static ProcessorInstance start(Map<String, String> config, Engine engine) {
        return RT.instantiate(LTTB, Grants.of(new ConfigCapability(config), LogCapability.systemLogger()), RT.defaults(), engine);
    }

    /** The per-series engine snapshots inside a component snapshot (format SPLC v1). */
    static Map<String, byte[]> seriesBlocks(byte[] component) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(component));
        assertThat(in.readInt()).isEqualTo(SPLC);
        assertThat(in.readInt()).isEqualTo(1);
        int n = in.readInt();
        Map<String, byte[]> out = new HashMap<>();
        for (int i = 0; i < n; i++) {
            String name = new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8);
            out.put(name, in.readNBytes(in.readInt()));
        }
        assertThat(in.read()).isEqualTo(-1);
        return out;
    }

    static byte[] componentSnapshot(String series, byte[] engineSnapshot) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(SPLC);
        out.writeInt(1);
        out.writeInt(1);
        byte[] name = series.getBytes(StandardCharsets.UTF_8);
        out.writeInt(name.length);
        out.write(name);
        out.writeInt(engineSnapshot.length);
        out.write(engineSnapshot);
        return b.toByteArray();
    }

    @Test
    void sameOutputAsTheJavaEngineWithCutsAndRestores() throws IOException {
        for (long seed = 1; seed <= 60; seed++) {
            SplittableRandom r = new SplittableRandom(seed * 31);
            Stream s = new Stream(seed, 300 + r.nextInt(3000));
            JavaRun java = new JavaRun(s.cfg);
            Trace wasm = new Trace();
            long late = 0, invalid = 0;
            Emitted out = new Emitted();
            ProcessorInstance p = start(s.config(), Engine.COMPILED);
            try {
                for (int from = 0; from < s.t.length; ) {
                    int to = Math.min(s.t.length, from + 1 + r.nextInt(r.nextBoolean() ? 8 : 600));
                    java.engine.add(s.t, s.v, from, to);
                    p.process("s", s.t, s.v, from, to, out);
                    wasm.append(out);
                    late += out.late();
                    invalid += out.invalid();
                    from = to;
                    if (r.nextInt(6) == 0) {
                        byte[] snap = p.snapshot();
                        assertThat(seriesBlocks(snap).get("s")).as("seed %d: engine snapshot at %d", seed, to)
                                .isEqualTo(java.engine.snapshot());
                        p.close();
                        p = start(s.config(), r.nextInt(5) == 0 ? Engine.INTERPRETED : Engine.COMPILED);
                        p.restore(snap);
                    }
                }
                java.engine.flush();
                p.flush("s", out);
                wasm.append(out);
            } finally {
                p.close();
            }
            var stats = java.engine.stats();
            assertThat(wasm.times()).as("seed %d times", seed).isEqualTo(java.trace.times());
            assertThat(wasm.values()).as("seed %d values", seed).isEqualTo(java.trace.values());
            assertThat(wasm.breaks()).as("seed %d breaks", seed).isEqualTo(java.trace.breaks());
            assertThat(late).as("seed %d late", seed).isEqualTo(stats.late());
            assertThat(invalid).as("seed %d invalid", seed).isEqualTo(stats.invalid());
        }
    }

    @Test
    void stateMovesBetweenTheJavaEngineAndTheComponent() throws IOException {
        for (long seed = 100; seed < 120; seed++) {
            Stream s = new Stream(seed, 2000);
            JavaRun whole = new JavaRun(s.cfg);
            whole.engine.add(s.t, s.v, 0, s.t.length);
            whole.engine.flush();

            // Java for the first third, the component for the second, Java again for the rest.
            int a = s.t.length / 3, b = 2 * s.t.length / 3;
            JavaRun first = new JavaRun(s.cfg);
            first.engine.add(s.t, s.v, 0, a);
            Trace moved = first.trace;
            Emitted out = new Emitted();
            byte[] back;
            try (ProcessorInstance p = start(s.config(), Engine.COMPILED)) {
                p.restore(componentSnapshot("s", first.engine.snapshot()));
                p.process("s", s.t, s.v, a, b, out);
                moved.append(out);
                back = seriesBlocks(p.snapshot()).get("s");
            }
            JavaRun last = new JavaRun(s.cfg);
            last.engine = StreamingLttb.restore(back, last);
            last.engine.add(s.t, s.v, b, s.t.length);
            last.engine.flush();
            int offset = moved.times().size();
            last.trace.breaks().forEach(i -> moved.breaks().add(offset + i));
            moved.times().addAll(last.trace.times());
            moved.values().addAll(last.trace.values());
            assertThat(moved.times()).as("seed %d", seed).isEqualTo(whole.trace.times());
            assertThat(moved.values()).as("seed %d", seed).isEqualTo(whole.trace.values());
            assertThat(moved.breaks()).as("seed %d", seed).isEqualTo(whole.trace.breaks());
        }
    }

    @Test
    void manySeriesInOneInstance() {
        Stream s = new Stream(7, 5000);
        Map<String, JavaRun> java = new HashMap<>();
        Map<String, Trace> wasm = new HashMap<>();
        Emitted out = new Emitted();
        try (ProcessorInstance p = start(s.config(), Engine.COMPILED)) {
            for (int from = 0; from < s.t.length; from += 50) {
                String series = "machine/" + (from / 50 % 7) + "/Xload";
                int to = Math.min(s.t.length, from + 50);
                java.computeIfAbsent(series, k -> new JavaRun(s.cfg)).engine.add(s.t, s.v, from, to);
                p.process(series, s.t, s.v, from, to, out);
                wasm.computeIfAbsent(series, k -> new Trace()).append(out);
            }
            for (String series : java.keySet()) {
                java.get(series).engine.flush();
                p.flush(series, out);
                wasm.get(series).append(out);
                assertThat(wasm.get(series).times()).as(series).isEqualTo(java.get(series).trace.times());
                assertThat(wasm.get(series).values()).as(series).isEqualTo(java.get(series).trace.values());
                assertThat(wasm.get(series).breaks()).as(series).isEqualTo(java.get(series).trace.breaks());
            }
        }
    }

    @Test
    void badConfigAndBadSnapshotsAreGuestErrorsThatLeaveTheInstanceUsable() {
        try (ProcessorInstance p = start(Map.of(), Engine.COMPILED)) {
            var e = org.assertj.core.api.Assertions.catchThrowableOfType(ComponentException.class,
                    () -> p.process("s", new long[] {1}, new double[] {1}, 0, 1, new Emitted()));
            assertThat(e.kind()).isEqualTo(ComponentException.Kind.GUEST_ERROR);
            assertThat(e.getMessage()).startsWith("component 'lttb' process: ").contains("bucket-nanos");
        }
        try (ProcessorInstance p = start(Map.of("bucket-nanos", "ten"), Engine.COMPILED)) {
            var e = org.assertj.core.api.Assertions.catchThrowableOfType(ComponentException.class,
                    () -> p.process("s", new long[] {1}, new double[] {1}, 0, 1, new Emitted()));
            assertThat(e.getMessage()).contains("bucket-nanos").contains("ten");
        }
        try (ProcessorInstance p = start(Map.of("bucket-nanos", "1000"), Engine.COMPILED)) {
            Emitted out = new Emitted();
            p.process("s", new long[] {1, 2, 3}, new double[] {1, 2, 3}, 0, 3, out);
            byte[] good = p.snapshot();
            for (byte[] bad : List.of(new byte[0], new byte[] {1, 2, 3}, java.util.Arrays.copyOf(good, good.length - 1),
                    java.util.Arrays.copyOf(good, good.length + 1))) {
                var e = org.assertj.core.api.Assertions.catchThrowableOfType(ComponentException.class, () -> p.restore(bad));
                assertThat(e.kind()).isEqualTo(ComponentException.Kind.GUEST_ERROR);
                assertThat(e.call()).isEqualTo("restore");
            }
            // Still the state from before the refused restores.
            assertThat(p.snapshot()).isEqualTo(good);
            p.flush("s", out);
            assertThat(out.size()).isEqualTo(3); // first, the middle candidate, last
        }
    }
}
