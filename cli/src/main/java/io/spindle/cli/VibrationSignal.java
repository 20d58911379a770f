package io.spindle.cli;

import java.util.SplittableRandom;

/**
 * A seeded synthetic accelerometer signal of a machine-tool spindle: running-speed fundamental and harmonics whose
 * amplitude follows the cutting load (with a heavy cut in the middle), a gear-mesh tone, bearing-fault bursts (a
 * 3.1 kHz resonance struck at the outer-race defect frequency, in stretches that grow stronger with time) and noise.
 */
final class VibrationSignal {
    private static final double SHAFT_HZ = 24.5;
    private static final double GEAR_MESH_HZ = SHAFT_HZ * 31;
    private static final double DEFECT_HZ = SHAFT_HZ * 3.05;
    private static final double RESONANCE_HZ = 3_100;
    private static final double RESONANCE_DECAY_S = 0.0008;
    private static final double FAULT_START_S = 4, FAULT_EVERY_S = 2.5, FAULT_LENGTH_S = 0.45;
    private static final double NOISE_SIGMA = 0.1;

    private VibrationSignal() {
    }

    /** Fills y[0..y.length) with the signal sampled at rateHz, drawn with seed. */
    static void generate(long seed, double rateHz, double[] y) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = y.length;
        double seconds = n / rateHz;
        double w1 = 2 * Math.PI * SHAFT_HZ / rateHz, wg = 2 * Math.PI * GEAR_MESH_HZ / rateHz;
        double defectPeriod = rateHz / DEFECT_HZ, nextStrike = defectPeriod / 2;
        // The resonance is a two-pole recursion rung by impulses, not an exp and a sin per sample.
        double rho = Math.exp(-1 / (RESONANCE_DECAY_S * rateHz));
        double c1 = 2 * rho * Math.cos(2 * Math.PI * RESONANCE_HZ / rateHz), c2 = -rho * rho;
        double r1 = 0, r2 = 0;
        double cutFrom = seconds * 0.55, cutTo = seconds * 0.7;
        for (int i = 0; i < n; i++) {
            double s = i / rateHz;
            double load = 0.6 + 0.2 * Math.sin(2 * Math.PI * s / 9.0) + (s >= cutFrom && s < cutTo ? 0.7 : 0);
            double v = load * (Math.sin(w1 * i) + 0.4 * Math.sin(2 * w1 * i + 0.6) + 0.15 * Math.sin(3 * w1 * i + 2.1))
                    + 0.15 * Math.sin(wg * i + 0.3);
            double strike = 0;
            if (i >= nextStrike) {
                nextStrike += defectPeriod * (1 + 0.02 * (rnd.nextDouble() - 0.5)); // rolling elements slip a little
                double sinceStart = s - FAULT_START_S;
                if (sinceStart >= 0 && sinceStart % FAULT_EVERY_S < FAULT_LENGTH_S)
                    strike = (0.6 + 0.1 * sinceStart) * (0.7 + 0.6 * rnd.nextDouble());
            }
            double r = c1 * r1 + c2 * r2 + strike;
            r2 = r1;
            r1 = r;
            y[i] = v + r + NOISE_SIGMA * rnd.nextGaussian();
        }
    }
}
