package io.spindle.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.spindle.sources.sim.ChannelGenerator;
import io.spindle.sources.sim.MachineSimulator;
import io.spindle.sources.sim.SimulatorConfig;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Bytes per sample of both versions on the machine simulator's channels: 10 kHz vibration (full-precision doubles:
 * noise does not compress much) and the control's quantised channels. Prints the rows codec/README.md quotes.
 */
class SimulatedBytesPerSampleTest {
    private static double[] measure(MachineSimulator sim, int channel, int samples, int batch) {
        ChannelGenerator g = sim.generator(channel, 1_767_225_600_000_000_000L);
        long[] t = new long[samples];
        double[] v = new double[samples];
        g.next(t, v, samples);
        SampleBatchCodec v1 = new SampleBatchCodec(1), v2 = new SampleBatchCodec();
        long a = 0, b = 0;
        String s = sim.series(channel);
        for (int from = 0; from < samples; from += batch) {
            int to = Math.min(samples, from + batch);
            a += v1.encode(s, t, v, from, to);
            b += v2.encode(s, t, v, from, to);
            SampleBatchCodecTest.assertRoundTrip(v2, s, t, v, from, to);
        }
        return new double[]{(double) a / samples, (double) b / samples};
    }

    @Test
    void vibrationIsNoiseAndTheControlChannelsAreNot() {
        MachineSimulator sim = new MachineSimulator(SimulatorConfig.defaults().withMachine("sim").withRateHz(10_000).withChannels(1));
        int vib = sim.vibrationChannel(0);
        double[] at4096 = measure(sim, vib, 600_000, 4096), at256 = measure(sim, vib, 600_000, 256);
        StringBuilder out = new StringBuilder("simulator, bytes per sample (v1 -> v2):\n");
        out.append(String.format(Locale.ROOT, "| sim/vib0, 10 kHz, 60 s | batches of 4,096 | %.2f | %.2f |%n", at4096[0], at4096[1]));
        out.append(String.format(Locale.ROOT, "| sim/vib0, 10 kHz, 60 s | batches of 256 | %.2f | %.2f |%n", at256[0], at256[1]));
        double[][] process = new double[7][];
        for (int c = 0; c < 7; c++) {
            int n = sim.rateHz(c) == 1 ? 3_600 : 60_000; // 1 hour of temperatures, 10 minutes of the rest
            process[c] = measure(sim, c, n, 256);
            out.append(String.format(Locale.ROOT, "| %s, %d Hz | batches of 256 | %.2f | %.2f |%n", sim.series(c), sim.rateHz(c), process[c][0], process[c][1]));
        }
        System.out.print(out);
        // float noise: about 7-8 bytes whatever the coding; version 2 still drops the time to a bit
        assertThat(at4096[1]).isBetween(6.0, 8.5).isLessThan(at4096[0]);
        assertThat(at256[1]).isLessThan(at256[0]);
        // quantised control channels: a few bytes or less
        for (double[] p : process) assertThat(p[1]).isLessThan(p[0]).isLessThan(4.0);
    }
}
