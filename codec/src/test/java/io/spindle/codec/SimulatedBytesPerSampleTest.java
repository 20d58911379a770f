package io.spindle.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.spindle.sources.sim.ChannelGenerator;
import io.spindle.sources.sim.MachineSimulator;
import io.spindle.sources.sim.SimulatorConfig;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Bytes per sample of every version on the machine simulator's channels: 10 kHz vibration (full-precision doubles:
 * noise does not compress much) and the control's quantised channels. Prints the rows codec/README.md quotes.
 */
class SimulatedBytesPerSampleTest {
    /** Bytes per sample of versions 1, 2 and 3. */
    private static double[] measure(MachineSimulator sim, int channel, int samples, int batch) {
        ChannelGenerator g = sim.generator(channel, 1_767_225_600_000_000_000L);
        long[] t = new long[samples];
        double[] v = new double[samples];
        g.next(t, v, samples);
        SampleBatchCodec[] codecs = {new SampleBatchCodec(1), new SampleBatchCodec(2), new SampleBatchCodec(3)};
        long[] bytes = new long[3];
        String s = sim.series(channel);
        for (int from = 0; from < samples; from += batch) {
            int to = Math.min(samples, from + batch);
            for (int c = 0; c < 3; c++) bytes[c] += codecs[c].encode(s, t, v, from, to);
            SampleBatchCodecTest.assertRoundTrip(codecs[1], s, t, v, from, to);
            SampleBatchCodecTest.assertRoundTrip(codecs[2], s, t, v, from, to);
        }
        return new double[]{(double) bytes[0] / samples, (double) bytes[1] / samples, (double) bytes[2] / samples};
    }

    private static String row(String series, String batches, double[] b) {
        return String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f | %.2f |%n", series, batches, b[0], b[1], b[2]);
    }

    @Test
    void vibrationIsNoiseAndTheControlChannelsAreNot() {
        MachineSimulator sim = new MachineSimulator(SimulatorConfig.defaults().withMachine("sim").withRateHz(10_000).withChannels(1));
        int vib = sim.vibrationChannel(0);
        double[] at4096 = measure(sim, vib, 600_000, 4096), at256 = measure(sim, vib, 600_000, 256);
        StringBuilder out = new StringBuilder("simulator, bytes per sample (v1, v2, v3):\n");
        out.append(row("sim/vib0, 10 kHz, 60 s", "4,096 samples", at4096));
        out.append(row("sim/vib0, 10 kHz, 60 s", "256 samples", at256));
        double[][] process = new double[7][];
        for (int c = 0; c < 7; c++) {
            int n = sim.rateHz(c) == 1 ? 3_600 : 60_000; // 1 hour of temperatures, 10 minutes of the rest
            process[c] = measure(sim, c, n, 256);
            out.append(row(sim.series(c) + ", " + sim.rateHz(c) + " Hz", "256", process[c]));
        }
        System.out.print(out);
        // float noise: about 7-8 bytes whatever the coding; version 2 drops the time to a bit, version 3 to nothing
        assertThat(at4096[1]).isBetween(6.0, 8.5).isLessThan(at4096[0]);
        assertThat(at4096[2]).isLessThanOrEqualTo(at4096[1]);
        assertThat(at256[1]).isLessThan(at256[0]);
        assertThat(at256[2]).isLessThanOrEqualTo(at256[1]);
        // quantised control channels: a few bytes or less
        for (double[] p : process) {
            assertThat(p[1]).isLessThan(p[0]).isLessThan(4.0);
            assertThat(p[2]).isLessThanOrEqualTo(p[1]);
        }
    }
}
