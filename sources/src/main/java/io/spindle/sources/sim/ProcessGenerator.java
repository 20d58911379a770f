package io.spindle.sources.sim;

/**
 * The control's own channels at a slow rate, quantised as a control reports them: spindle speed (rpm, whole), spindle
 * load (%, 0.1; lags the cut by 0.15 s, with noise while cutting), X/Y/Z positions (mm, 0.001; an encoder's last
 * digit flickers now and then), and two temperatures (°C, 0.01) that drift to a target set by speed and load
 * (spindle bearing: time constant 15 min; coolant: 40 min).
 */
final class ProcessGenerator extends ChannelGenerator {
    enum Kind { SPEED, LOAD, X, Y, Z, SPINDLE_TEMP, COOLANT_TEMP }

    private final Kind kind;
    private final MachineProgram program;
    private final Mix rnd = new Mix();
    private final double dt;
    private double level;

    ProcessGenerator(Kind kind, long seed, long startNs, int rateHz) {
        super(startNs, rateHz);
        this.kind = kind;
        program = new MachineProgram(seed);
        rnd.reseed(seed, 0x50_52_43L /* "PRC" */, kind.ordinal());
        dt = 1.0 / rateHz;
        level = switch (kind) {
            case SPINDLE_TEMP -> 22 + rnd.nextDouble();
            case COOLANT_TEMP -> 20 + rnd.nextDouble();
            case LOAD -> 1.5;
            default -> 0;
        };
    }

    @Override
    public int next(long[] t, double[] v, int n) {
        checkRange(t, v, n);
        for (int k = 0; k < n; k++) {
            long rel = clock.next();
            program.seek(rel);
            t[k] = startNs + rel;
            v[k] = sample(rel);
        }
        return n;
    }

    private double sample(long rel) {
        return switch (kind) {
            case SPEED -> {
                double rpm = program.rpm(rel);
                yield rpm <= 0 ? 0 : Math.round(rpm + 2 * rnd.gaussian());
            }
            case LOAD -> {
                level += (program.load(rel) - level) * Math.min(1, dt / 0.15);
                double noisy = level + (program.cutting() ? 0.8 : 0.15) * rnd.gaussian();
                yield Math.round(Math.max(0, noisy) * 10) / 10.0;
            }
            case X, Y, Z -> {
                double p = program.position(kind.ordinal() - Kind.X.ordinal(), rel);
                long microns = Math.round(p * 1000) + (rnd.nextInt(10) == 0 ? rnd.nextInt(3) - 1 : 0);
                yield microns / 1000.0;
            }
            case SPINDLE_TEMP -> drift(22 + 0.0025 * program.rpm(rel) * (0.3 + program.load(rel) / 100), 900);
            case COOLANT_TEMP -> drift(20 + 0.08 * program.load(rel), 2_400);
        };
    }

    private double drift(double target, double tauSeconds) {
        level += (target - level) * Math.min(1, dt / tauSeconds);
        return Math.round((level + 0.02 * rnd.gaussian()) * 100) / 100.0;
    }
}
