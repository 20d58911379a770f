package io.spindle.sources.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pull API: determinism, chunking invariance, plausible values, bearing-fault bursts, speed, allocation. */
class MachineSimulatorTest {
    private static final long T0 = 1_767_225_600_000_000_000L; // 2026-01-01T00:00:00Z

    private static MachineSimulator sim(long seed, int channels, int rate) {
        return new MachineSimulator(SimulatorConfig.defaults().withMachine("m1").withSeed(seed).withChannels(channels)
                .withRateHz(rate).withStartNs(T0).withPaced(false));
    }

    /** Pulls n samples of a channel in chunks of the given size. */
    private static long[][] pull(MachineSimulator s, int channel, int n, int chunk) {
        ChannelGenerator g = s.generator(channel);
        long[] t = new long[n];
        double[] v = new double[n];
        long[] bt = new long[chunk];
        double[] bv = new double[chunk];
        for (int done = 0; done < n; ) {
            int m = Math.min(chunk, n - done);
            assertThat(g.next(bt, bv, m)).isEqualTo(m);
            System.arraycopy(bt, 0, t, done, m);
            System.arraycopy(bv, 0, v, done, m);
            done += m;
        }
        assertThat(g.position()).isEqualTo(n);
        long[] bits = new long[n];
        for (int i = 0; i < n; i++) bits[i] = Double.doubleToRawLongBits(v[i]);
        return new long[][]{t, bits};
    }

    private static double[] values(long[][] pulled) {
        return Arrays.stream(pulled[1]).mapToDouble(Double::longBitsToDouble).toArray();
    }

    @Test
    void channelsAreNamedAndTimedAsConfigured() {
        MachineSimulator s = sim(1, 3, 12_000);
        assertThat(s.channelCount()).isEqualTo(10);
        assertThat(java.util.stream.IntStream.range(0, 10).mapToObj(s::series)).containsExactly("m1/spindle_speed", "m1/spindle_load",
                "m1/x", "m1/y", "m1/z", "m1/spindle_temp", "m1/coolant_temp", "m1/vib0", "m1/vib1", "m1/vib2");
        assertThat(s.rateHz(1)).isEqualTo(100);
        assertThat(s.rateHz(5)).isEqualTo(1);
        assertThat(s.rateHz(s.vibrationChannel(2))).isEqualTo(12_000);
        assertThat(s.executionSeries()).isEqualTo("m1/execution");
        assertThat(s.name()).isEqualTo("sim:m1");
        assertThatThrownBy(() -> s.series(10)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> s.vibrationChannel(3)).isInstanceOf(IndexOutOfBoundsException.class);
        // 12 kHz: 83,333.33 ns apart, exact from the start: sample 12,000 is 1 s in
        long[] t = pull(s, s.vibrationChannel(0), 24_001, 4096)[0];
        assertThat(t[0]).isEqualTo(T0);
        assertThat(t[1] - t[0]).isEqualTo(83_333);
        assertThat(t[3] - t[0]).isEqualTo(250_000);
        assertThat(t[12_000]).isEqualTo(T0 + 1_000_000_000L);
        assertThat(t[24_000]).isEqualTo(T0 + 2_000_000_000L);
        ChannelGenerator g = s.generator(s.vibrationChannel(0));
        assertThat(g.timeOf(24_000)).isEqualTo(t[24_000]);
        assertThat(SampleClock.samplesBefore(1_000_000_000L, 12_000)).isEqualTo(12_000);
        assertThat(SampleClock.samplesBefore(1_000_000_001L, 12_000)).isEqualTo(12_001);
    }

    @Test
    void sameSeedSameSignalsAndChunkingChangesNothing() {
        MachineSimulator a = sim(42, 2, 10_000), b = sim(42, 2, 10_000), other = sim(43, 2, 10_000);
        for (int c = 0; c < a.channelCount(); c++) {
            int n = a.rateHz(c) == 1 ? 300 : a.rateHz(c) == 100 ? 6_000 : 60_000; // 5-10 minutes of process, 6 s of vibration
            long[][] ref = pull(a, c, n, 4096);
            assertThat(pull(b, c, n, 4096)).as("channel %d, same seed", c).isEqualTo(ref);
            assertThat(pull(a, c, n, 1)).as("channel %d in chunks of 1", c).isEqualTo(ref);
            assertThat(pull(b, c, n, 7)).as("channel %d in chunks of 7", c).isEqualTo(ref);
            assertThat(pull(other, c, n, 4096)[1]).as("channel %d, another seed", c).isNotEqualTo(ref[1]);
        }
        // the vibration channels are not copies of each other
        assertThat(pull(a, a.vibrationChannel(0), 1000, 100)[1]).isNotEqualTo(pull(a, a.vibrationChannel(1), 1000, 100)[1]);
        // values do not depend on the start time
        assertThat(pull(sim(42, 2, 10_000), 1, 500, 64)[1]).isEqualTo(pull(new MachineSimulator(a.config().withStartNs(5)), 1, 500, 64)[1]);
    }

    @Test
    void valuesArePlausible() {
        MachineSimulator s = sim(7, 1, 10_000);
        double[] speed = values(pull(s, 0, 60_000, 4096)); // 10 minutes
        double[] load = values(pull(s, 1, 60_000, 4096));
        double[] x = values(pull(s, 2, 60_000, 4096)), y = values(pull(s, 3, 60_000, 4096)), z = values(pull(s, 4, 60_000, 4096));
        double[] temp = values(pull(s, 5, 600, 600)), coolant = values(pull(s, 6, 600, 600));
        double[] vib = values(pull(s, s.vibrationChannel(0), 600_000, 4096)); // 1 minute
        assertRange("speed", speed, 0.0, 12_100.0);
        assertThat(Arrays.stream(speed).max().orElseThrow()).isGreaterThan(2_000);
        assertThat(Arrays.stream(speed).filter(v -> v == 0).count()).isGreaterThan(1_000); // idle and tool changes
        assertRange("load", load, 0.0, 150.0);
        assertThat(Arrays.stream(load).max().orElseThrow()).isGreaterThan(30);
        assertRange("x", x, -250.0, 250.0);
        assertRange("y", y, -200.0, 200.0);
        assertRange("z", z, -10.0, 50.01);
        assertThat(Arrays.stream(z).min().orElseThrow()).isLessThan(0); // it cuts
        assertRange("temp", temp, 15.0, 80.0);
        assertRange("coolant", coolant, 15.0, 40.0);
        assertThat(temp[599]).isGreaterThan(temp[0]); // a running spindle warms up
        assertRange("vib", vib, -30.0, 30.0);
        // quantised as a control reports: whole rpm, 0.1 %, 1 µm, 0.01 °C
        assertQuantised("speed", speed, 1);
        assertQuantised("load", load, 10);
        assertQuantised("x", x, 1000);
        assertQuantised("temp", temp, 100);
    }

    private static void assertRange(String what, double[] a, double lo, double hi) {
        assertThat(Arrays.stream(a).min().orElseThrow()).as(what + " min").isGreaterThanOrEqualTo(lo);
        assertThat(Arrays.stream(a).max().orElseThrow()).as(what + " max").isLessThanOrEqualTo(hi);
    }

    private static void assertQuantised(String what, double[] a, double scale) {
        for (int i = 0; i < a.length; i++) assertThat(Math.round(a[i] * scale) / scale).as("%s[%d]", what, i).isEqualTo(a[i]);
    }

    /** A fault episode makes the vibration impulsive: the kurtosis of running-spindle windows rises. */
    @Test
    void bearingFaultEpisodesRaiseKurtosisAndPeaks() {
        int rate = 10_000;
        MachineSimulator s = sim(3, 2, rate);
        int seconds = 120, window = rate / 4; // 0.25 s windows
        double[] vib = values(pull(s, s.vibrationChannel(0), seconds * rate, 4096));
        double[] far = values(pull(s, s.vibrationChannel(1), seconds * rate, 4096));
        MachineProgram program = new MachineProgram(3);
        BearingFault fault = new BearingFault(3);
        double kIn = 0, kOut = 0, peakIn = 0, peakOut = 0, kFarIn = 0;
        int nIn = 0, nOut = 0;
        for (int w = 0; w < seconds * 4; w++) {
            long from = w * 250_000_000L, to = from + 250_000_000L;
            boolean running = true, faulty = true, healthy = true;
            for (long t = from; t < to; t += 10_000_000L) { // classify the window by the ground truth, every 10 ms
                program.seek(t);
                running &= program.rpm(t) > 2_000;
                boolean f = fault.severityAt(t) > 0;
                faulty &= f;
                healthy &= !f;
            }
            if (!running || faulty == healthy) continue;
            double k = kurtosis(vib, w * window, window);
            double peak = peak(vib, w * window, window);
            if (faulty) {
                kIn += k;
                peakIn = Math.max(peakIn, peak);
                kFarIn += kurtosis(far, w * window, window);
                nIn++;
            } else {
                kOut += k;
                peakOut = Math.max(peakOut, peak);
                nOut++;
            }
        }
        assertThat(nIn).as("windows in a fault episode with the spindle running").isGreaterThan(10);
        assertThat(nOut).as("healthy windows with the spindle running").isGreaterThan(10);
        kIn /= nIn;
        kOut /= nOut;
        kFarIn /= nIn;
        System.out.printf("vib0 kurtosis: %.2f in fault episodes, %.2f outside (vib1 in episodes %.2f); peak %.2f g vs %.2f g%n",
                kIn, kOut, kFarIn, peakIn, peakOut);
        assertThat(kIn).isGreaterThan(kOut + 1.5);
        assertThat(peakIn).isGreaterThan(1.5 * peakOut);
        assertThat(kFarIn).as("a channel farther from the bearing sees less").isLessThan(kIn);
    }

    static double kurtosis(double[] x, int from, int n) {
        double mean = 0;
        for (int i = from; i < from + n; i++) mean += x[i];
        mean /= n;
        double m2 = 0, m4 = 0;
        for (int i = from; i < from + n; i++) {
            double d = x[i] - mean, d2 = d * d;
            m2 += d2;
            m4 += d2 * d2;
        }
        m2 /= n;
        m4 /= n;
        return m4 / (m2 * m2);
    }

    static double peak(double[] x, int from, int n) {
        double p = 0;
        for (int i = from; i < from + n; i++) p = Math.max(p, Math.abs(x[i]));
        return p;
    }

    /** Far above the 2 M samples/s a pipeline benchmark needs, on one core, and allocation-free once warm. */
    @Test
    void pullingIsFastAndAllocationFree() {
        MachineSimulator s = sim(1, 1, 20_000);
        ChannelGenerator vib = s.generator(s.vibrationChannel(0)), load = s.generator(1);
        long[] t = new long[4096];
        double[] v = new double[4096];
        for (int k = 0; k < 500; k++) {
            vib.next(t, v, 4096);
            load.next(t, v, 4096);
        }
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long bytes = threads.getCurrentThreadAllocatedBytes();
        long start = System.nanoTime();
        int chunks = 2_500; // 10 M samples = 500 s of one 20 kHz channel
        for (int k = 0; k < chunks; k++) vib.next(t, v, 4096);
        double vibRate = 4096.0 * chunks / ((System.nanoTime() - start) / 1e9);
        start = System.nanoTime();
        for (int k = 0; k < 250; k++) load.next(t, v, 4096);
        double loadRate = 4096.0 * 250 / ((System.nanoTime() - start) / 1e9);
        long allocated = threads.getCurrentThreadAllocatedBytes() - bytes;
        System.out.printf("simulator pull, one core: vibration %.1f M samples/s, spindle load %.1f M samples/s; allocated %d bytes%n",
                vibRate / 1e6, loadRate / 1e6, allocated);
        assertThat(vibRate).isGreaterThan(2e6);
        assertThat(loadRate).isGreaterThan(2e6);
        assertThat(allocated).isLessThan(4096);
    }

    @Test
    void configIsCheckedByKey() {
        assertThat(MachineSimulator.fromConfig(Map.of()).config()).isEqualTo(SimulatorConfig.defaults());
        SimulatorConfig c = SimulatorConfig.fromMap(Map.of("machine", "okuma-2", "seed", "-9", "channels", "4", "rate_hz", "20000",
                "paced", "FALSE", "start_ns", "1000", "chunk_ms", "5"));
        assertThat(c).isEqualTo(new SimulatorConfig("okuma-2", -9, 4, 20_000, false, 1000, 5));
        assertBad(Map.of("rate", "1"), "unknown key 'rate'");
        assertBad(Map.of("seed", "x1"), "'seed': 'x1' is not a whole number");
        assertBad(Map.of("channels", "0"), "'channels': 0 must be 1 to 1024");
        assertBad(Map.of("channels", "1025"), "'channels': 1025 must be 1 to 1024");
        assertThat(MachineSimulator.fromConfig(Map.of("channels", "1024")).channelCount()).isEqualTo(7 + 1024);
        assertBad(Map.of("rate_hz", "999"), "'rate_hz': 999 must be 1000 to 50000");
        assertBad(Map.of("rate_hz", "50001"), "'rate_hz': 50001 must be 1000 to 50000");
        assertBad(Map.of("rate_hz", "1e4"), "'rate_hz': '1e4' is not a whole number");
        assertBad(Map.of("paced", "yes"), "'paced': 'yes' is not true or false");
        assertBad(Map.of("start_ns", "-5"), "'start_ns': -5 must be 0 to");
        assertBad(Map.of("chunk_ms", "0"), "'chunk_ms': 0 must be 1 to 1000");
        assertBad(Map.of("machine", "a/b"), "'machine': a/b must be 1-64 letters");
        assertBad(Map.of("machine", ""), "'machine':");
        assertThatThrownBy(() -> new MachineSimulator(null)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertBad(Map<String, String> settings, String message) {
        assertThatThrownBy(() -> MachineSimulator.fromConfig(settings)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
