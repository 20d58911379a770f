package io.spindle.sources.sim;

/**
 * An accelerometer on the spindle housing (in g): the shaft's first three orders, whose amplitude follows speed and
 * cutting load; a gear-mesh tone at 23 orders; noise (near-gaussian); and, during {@link BearingFault} episodes, impulses at
 * the outer-race defect frequency (3.58 orders, with slip jitter) ringing a housing resonance near 3.15 kHz (kept
 * below 0.3 of the sample rate) with a 0.6 ms decay. Channels differ in their coupling to shaft and bearing and in
 * their noise. Sines are rotating phasors and the resonance a two-pole recursion: a few multiplications a sample.
 */
final class VibrationGenerator extends ChannelGenerator {
    private static final int BLOCK = 32; // samples between updates of speed, load and fault state
    private static final double NOISE = 0.08;
    private static final double GEAR_ORDER = 23, DEFECT_ORDER = 3.58;
    private static final double H2 = 0.35, H3 = 0.12, GEAR = 0.18;
    private static final double H2C = H2 * Math.cos(0.7), H2S = H2 * Math.sin(0.7), H3C = H3 * Math.cos(1.9), H3S = H3 * Math.sin(1.9);

    private final MachineProgram program;
    private final BearingFault fault;
    private final Mix rnd = new Mix();
    private final double shaftCoupling, bearingCoupling;
    private final double c1, c2; // resonator
    // state
    private double zc = 1, zs = 0, gc = 1, gs = 0; // shaft and gear-mesh phasors
    private double wc = 1, ws = 0, vc = 1, vs = 0; // their rotation per sample
    private double amp, strike, defectStep, defectPhase = 0.5;
    private double r1, r2;
    private int left; // samples until the next block update

    VibrationGenerator(long seed, int channel, long startNs, int rateHz) {
        super(startNs, rateHz);
        program = new MachineProgram(seed);
        fault = new BearingFault(seed);
        rnd.reseed(seed, 0x56_49_42L /* "VIB" */, channel);
        shaftCoupling = 1.0 / (1 + 0.25 * channel);
        bearingCoupling = 1.0 / (1 + 0.6 * channel);
        double resonanceHz = Math.min(3_150 * (1 + 0.04 * channel), 0.3 * rateHz);
        double rho = Math.exp(-1 / (0.0006 * rateHz));
        c1 = 2 * rho * Math.cos(2 * Math.PI * resonanceHz / rateHz);
        c2 = -rho * rho;
    }

    private void update(long t) {
        program.seek(t);
        double rpm = program.rpm(t), load = program.load(t);
        double shaftHz = rpm / 60;
        double w = 2 * Math.PI * shaftHz / rateHz;
        wc = Math.cos(w);
        ws = Math.sin(w);
        vc = Math.cos(GEAR_ORDER * w);
        vs = Math.sin(GEAR_ORDER * w);
        amp = (rpm / 6_000) * (0.3 + load / 100);
        strike = rpm > 300 ? fault.severityAt(t) : 0;
        defectStep = DEFECT_ORDER * shaftHz / rateHz;
        // keep the phasors on the unit circle against rounding drift
        double a = 1 / Math.sqrt(zc * zc + zs * zs), b = 1 / Math.sqrt(gc * gc + gs * gs);
        zc *= a;
        zs *= a;
        gc *= b;
        gs *= b;
        left = BLOCK;
    }

    @Override
    public int next(long[] t, double[] v, int n) {
        checkRange(t, v, n);
        for (int k = 0; k < n; k++) {
            long rel = clock.next();
            if (left == 0) update(rel);
            left--;
            double c2z = zc * zc - zs * zs, s2z = 2 * zc * zs;
            double c3z = c2z * zc - s2z * zs, s3z = s2z * zc + c2z * zs;
            double harmonics = amp * (zs + H2C * s2z + H2S * c2z + H3C * s3z + H3S * c3z) + GEAR * amp * gs;
            double nc = zc * wc - zs * ws;
            zs = zs * wc + zc * ws;
            zc = nc;
            double ng = gc * vc - gs * vs;
            gs = gs * vc + gc * vs;
            gc = ng;
            double hit = 0;
            if (strike > 0) {
                defectPhase += defectStep * (1 + 0.02 * (rnd.nextDouble() - 0.5)); // rolling elements slip a little
                if (defectPhase >= 1) {
                    defectPhase -= 1;
                    hit = strike * (0.7 + 0.6 * rnd.nextDouble());
                }
            }
            double r = c1 * r1 + c2 * r2 + hit;
            if (Math.abs(r) < 1e-12) r = 0; // a rung-out resonance would decay into subnormals, which are slow
            r2 = r1;
            r1 = r;
            t[k] = startNs + rel;
            v[k] = shaftCoupling * harmonics + bearingCoupling * r + NOISE * rnd.gaussian();
        }
        return n;
    }
}
