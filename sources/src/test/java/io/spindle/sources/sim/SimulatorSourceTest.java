package io.spindle.sources.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spindle.sources.SourceSink;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The simulator as a Source: paced and unpaced delivery, events, counters, close. */
class SimulatorSourceTest {
    /** Counts what arrives, checks each series' times step forward, keeps the events. */
    static class Recorder implements SourceSink {
        final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
        final Map<String, Long> firstTime = new ConcurrentHashMap<>(), lastTime = new ConcurrentHashMap<>();
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<String> problems = new CopyOnWriteArrayList<>();
        volatile long eventTimeLast = Long.MIN_VALUE;

        @Override
        public void sample(String series, long tNanos, double value) {
            samples(series, new long[]{tNanos}, new double[]{value}, 1);
        }

        @Override
        public void samples(String series, long[] t, double[] v, int count) {
            long last = lastTime.getOrDefault(series, Long.MIN_VALUE);
            for (int i = 0; i < count; i++) {
                if (t[i] <= last) problems.add(series + " time " + t[i] + " after " + last);
                if (!Double.isFinite(v[i])) problems.add(series + " value " + v[i]);
                last = t[i];
            }
            if (count > 0) {
                firstTime.putIfAbsent(series, t[0]);
                lastTime.put(series, last);
            }
            counts.computeIfAbsent(series, k -> new AtomicLong()).addAndGet(count);
        }

        @Override
        public void event(String series, long tNanos, String value) {
            if (tNanos < eventTimeLast) problems.add("event at " + tNanos + " before " + eventTimeLast);
            eventTimeLast = tNanos;
            events.add(series + "=" + value);
        }

        @Override
        public void rejected(String source, String input, String reason) {
            problems.add("rejected " + input + ": " + reason);
        }

        long count(String series) {
            AtomicLong n = counts.get(series);
            return n == null ? 0 : n.get();
        }
    }

    private static void await(BooleanSupplier condition, long timeoutMs, String what) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    @Test
    void pacedDeliversAboutRateTimesElapsedTime() {
        MachineSimulator sim = MachineSimulator.fromConfig(Map.of("machine", "p", "channels", "2", "rate_hz", "10000", "seed", "5"));
        Recorder r = new Recorder();
        long before = System.currentTimeMillis() * 1_000_000L;
        long wallStart = System.nanoTime();
        sim.start(r);
        await(() -> System.nanoTime() - wallStart >= 600_000_000L, 5_000, "600 ms to pass");
        long elapsedNs = System.nanoTime() - wallStart;
        long vib = r.count("p/vib0"), load = r.count("p/spindle_load");
        sim.close();
        double expected = 10_000 * elapsedNs / 1e9;
        System.out.printf("paced: %d vibration samples in %.0f ms (%.0f expected), %d load samples%n", vib, elapsedNs / 1e6, expected, load);
        // never ahead of the wall clock (one chunk of slack), not far behind it on a busy machine
        assertThat((double) vib).isLessThanOrEqualTo(expected + 10_000 * 0.010 + 1).isGreaterThan(0.5 * expected);
        assertThat(load).isBetween((long) (0.5 * expected / 100), (long) (expected / 100) + 2);
        // timestamps: start time + i/rate, anchored at the wall clock when started
        long first = r.firstTime.get("p/vib0");
        assertThat(first).isBetween(before - 50_000_000L, before + 1_000_000_000L);
        assertThat(r.lastTime.get("p/vib0") - first).isEqualTo((vib - 1) * 100_000L);
        assertThat(r.firstTime.get("p/vib1")).isEqualTo(first);
        assertThat(r.events).first().isEqualTo("p/execution=READY");
        assertThat(r.problems).isEmpty();
        assertThat(sim.counters().samples.get()).isEqualTo(r.counts.values().stream().mapToLong(AtomicLong::get).sum());
        assertThat(sim.counters().events.get()).isEqualTo(r.events.size());
        assertThat(sim.counters().connected()).isFalse();
    }

    @Test
    void unpacedRunsAheadOfTheClockWithTheSameSignals() {
        SimulatorConfig c = SimulatorConfig.defaults().withMachine("u").withChannels(1).withRateHz(20_000).withPaced(false)
                .withStartNs(1_000_000_000_000L).withChunkMs(50);
        MachineSimulator sim = new MachineSimulator(c);
        Recorder r = new Recorder();
        long wallStart = System.nanoTime();
        sim.start(r);
        // 200 s of signal: far faster than real time
        await(() -> r.count("u/vib0") >= 4_000_000, 60_000, "200 s of 20 kHz vibration");
        double wallSeconds = (System.nanoTime() - wallStart) / 1e9;
        sim.close();
        long delivered = sim.counters().samples.get();
        System.out.printf("unpaced: %d samples of %d channels in %.2f s wall clock (%.1f M samples/s)%n", delivered, sim.channelCount(), wallSeconds,
                delivered / wallSeconds / 1e6);
        assertThat(wallSeconds).isLessThan(200.0 / 5);
        assertThat(r.firstTime.get("u/vib0")).isEqualTo(1_000_000_000_000L);
        // the execution state changes over 200 s of the program: READY, ACTIVE, ..., maybe STOPPED
        assertThat(r.events).hasSizeGreaterThan(4).allSatisfy(e -> assertThat(e).matches("u/execution=(READY|ACTIVE|STOPPED)"));
        for (int i = 1; i < r.events.size(); i++) assertThat(r.events.get(i)).isNotEqualTo(r.events.get(i - 1));
        assertThat(r.problems).isEmpty();
        // what came through the source equals what the pull API gives
        ChannelGenerator g = sim.generator(sim.vibrationChannel(0));
        long[] t = new long[1000];
        double[] v = new double[1000];
        g.next(t, v, 1000);
        assertThat(t[0]).isEqualTo(1_000_000_000_000L);
        MachineSimulator again = new MachineSimulator(c);
        double[] seen = new double[1000];
        AtomicLong n = new AtomicLong();
        Recorder r2 = new Recorder() {
            @Override
            public void samples(String series, long[] tt, double[] vv, int count) {
                super.samples(series, tt, vv, count);
                if (series.equals("u/vib0")) for (int i = 0; i < count && n.get() < 1000; i++) seen[(int) n.getAndIncrement()] = vv[i];
            }
        };
        again.start(r2);
        await(() -> n.get() >= 1000, 10_000, "the first vibration chunks");
        again.close();
        assertThat(seen).containsExactly(v);
        assertThat(r2.problems).isEmpty();
    }

    @Test
    void closeIsIdempotentAndFinal() {
        MachineSimulator sim = MachineSimulator.fromConfig(Map.of("paced", "false", "channels", "1", "start_ns", "0"));
        Recorder r = new Recorder();
        sim.close(); // before start: nothing to stop
        assertThatThrownBy(() -> sim.start(r)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        MachineSimulator s2 = MachineSimulator.fromConfig(Map.of("paced", "false", "channels", "1", "start_ns", "0"));
        s2.start(r);
        assertThatThrownBy(() -> s2.start(r)).isInstanceOf(IllegalStateException.class).hasMessageContaining("already started");
        await(() -> r.count("sim/vib0") > 0, 10_000, "samples");
        s2.close();
        long after = s2.counters().samples.get();
        s2.close();
        assertThat(s2.counters().samples.get()).isEqualTo(after);
        assertThat(r.counts.values().stream().mapToLong(AtomicLong::get).sum()).isEqualTo(after);
        assertThat(s2.counters().connected()).isFalse();
        // a sink that fails is reported, and the source goes on
        MachineSimulator s3 = MachineSimulator.fromConfig(Map.of("paced", "false", "channels", "1", "start_ns", "0"));
        AtomicLong calls = new AtomicLong();
        s3.start(new Recorder() {
            @Override
            public void samples(String series, long[] t, double[] v, int count) {
                if (calls.incrementAndGet() == 3) throw new IllegalStateException("disk full");
            }
        });
        await(() -> calls.get() > 10, 10_000, "deliveries after the failure");
        s3.close();
        assertThat(s3.counters().lastError()).contains("sink failed on").contains("disk full");
    }
}
