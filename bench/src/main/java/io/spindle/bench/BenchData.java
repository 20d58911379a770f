package io.spindle.bench;

import java.util.SplittableRandom;

/**
 * The deterministic synthetic series every contestant sees: an accelerometer on a machine-tool spindle sampled at
 * 20 kHz. Times are epoch nanoseconds from {@link #START_NANOS} in steps of {@link #STEP_NANOS}; values are a
 * running-speed fundamental with harmonics, a gear-mesh tone, a slowly varying machining load, bearing-fault bursts
 * (decaying resonances struck at the outer-race defect frequency, present only in some stretches) and gaussian noise
 * from a seeded {@link SplittableRandom}. The batch algorithms get {@code x[i] = (double) i}, the sample index, so
 * that their output indices can be read straight off the x of any peer's output points.
 *
 * @param t epoch nanoseconds of each sample (for the streaming engine)
 * @param x the sample index as a double (for the batch algorithms and the peers)
 * @param y the signal
 */
public record BenchData(long[] t, double[] x, double[] y) {

    /** Time of the first sample: 2023-11-14T22:13:20Z in epoch nanoseconds. */
    public static final long START_NANOS = 1_700_000_000_000_000_000L;
    /** 50 µs between samples: 20 kHz. */
    public static final long STEP_NANOS = 50_000L;
    /** The seed behind {@link #generate(int)}. */
    public static final long SEED = 0x5EED591DL;

    private static final double RATE_HZ = 1e9 / STEP_NANOS;
    private static final double SHAFT_HZ = 49.7;          // ~2,980 rpm
    private static final double GEAR_MESH_HZ = SHAFT_HZ * 23; // 23-tooth pinion
    private static final double DEFECT_HZ = SHAFT_HZ * 3.58;  // outer-race ball-pass frequency
    private static final double RESONANCE_HZ = 3_150;
    private static final double RESONANCE_DECAY_S = 0.0006;
    private static final double FAULT_PERIOD_S = 1.3;     // faults show up in stretches, not everywhere
    private static final double NOISE_SIGMA = 0.08;

    /** Number of samples. */
    public int n() {
        return y.length;
    }

    /** The series of n samples with the standard seed: the same numbers on every machine and JVM. */
    public static BenchData generate(int n) {
        return generate(n, SEED);
    }

    /** The series of n samples drawn with this seed. */
    public static BenchData generate(int n, long seed) {
        if (n < 0) throw new IllegalArgumentException("sample count must be >= 0, got " + n);
        long[] t = new long[n];
        double[] x = new double[n];
        double[] y = new double[n];
        SplittableRandom rnd = new SplittableRandom(seed);
        double w1 = 2 * Math.PI * SHAFT_HZ / RATE_HZ;
        double wg = 2 * Math.PI * GEAR_MESH_HZ / RATE_HZ;
        double defectPeriod = RATE_HZ / DEFECT_HZ;
        double nextStrike = defectPeriod * 0.5;
        // The bursts are a damped resonator rung by impulses: a two-pole recursion instead of exp/sin per sample.
        double rho = Math.exp(-1.0 / (RESONANCE_DECAY_S * RATE_HZ));
        double c1 = 2 * rho * Math.cos(2 * Math.PI * RESONANCE_HZ / RATE_HZ);
        double c2 = -rho * rho;
        double r1 = 0, r2 = 0;
        int faultSamples = (int) (FAULT_PERIOD_S * RATE_HZ);
        for (int i = 0; i < n; i++) {
            double load = 0.4 + 0.25 * Math.sin(2 * Math.PI * i / (RATE_HZ * 7.3)); // cutting load, 7.3 s cycle
            double v = load * (Math.sin(w1 * i) + 0.35 * Math.sin(2 * w1 * i + 0.7) + 0.12 * Math.sin(3 * w1 * i + 1.9))
                    + 0.18 * Math.sin(wg * i + 0.3);
            double strike = 0;
            if (i >= nextStrike) {
                nextStrike += defectPeriod * (1 + 0.01 * (rnd.nextDouble() - 0.5)); // slip jitter
                int phase = i % faultSamples;
                if (phase < faultSamples * 0.35) strike = 1.5 + 0.8 * rnd.nextDouble();
            }
            double r = c1 * r1 + c2 * r2 + strike;
            r2 = r1;
            r1 = r;
            t[i] = START_NANOS + i * STEP_NANOS;
            x[i] = i;
            y[i] = v + r + NOISE_SIGMA * rnd.nextGaussian();
        }
        return new BenchData(t, x, y);
    }
}
