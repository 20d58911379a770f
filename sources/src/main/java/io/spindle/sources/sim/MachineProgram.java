package io.spindle.sources.sim;

/**
 * The part program the simulated machine runs, over and over: a cursor that walks it forward in time. Cycle k is
 * drawn from (seed, k) alone: load the part (READY), start the spindle, two to four operations (plunge, three to six
 * feed moves at a cutting load, retract; a tool change with the spindle stopped between operations), stop and go
 * home; one cycle in five has a feed hold (STOPPED) during a cut. Each segment interpolates spindle speed, load and the
 * X/Y/Z position linearly from its start to its end. Every channel walks its own cursor, so a channel's samples depend
 * on (seed, channel) and time only.
 */
final class MachineProgram {
    static final byte READY = 0, ACTIVE = 1, STOPPED = 2;
    static final String[] STATE_NAMES = {"READY", "ACTIVE", "STOPPED"};
    private static final int MAX_SEGMENTS = 96;
    private static final double HOME_X = 0, HOME_Y = 0, HOME_Z = 50;

    private final long seed;
    private final Mix rnd = new Mix();
    // the current cycle's segments, rebuilt in place when the cursor enters the next cycle
    private final long[] end = new long[MAX_SEGMENTS]; // end of each segment, ns from the cycle's start
    private final double[] rpm0 = new double[MAX_SEGMENTS], rpm1 = new double[MAX_SEGMENTS];
    private final double[] load0 = new double[MAX_SEGMENTS], load1 = new double[MAX_SEGMENTS];
    private final double[][] pos0 = new double[3][MAX_SEGMENTS], pos1 = new double[3][MAX_SEGMENTS];
    private final byte[] state = new byte[MAX_SEGMENTS];
    private final boolean[] cutting = new boolean[MAX_SEGMENTS];
    private int segments;
    private long cycle = -1, cycleStart;
    private int seg;
    // where the spindle and axes are while building a cycle
    private double bRpm, bLoad, bx, by, bz;
    private long bAt;

    MachineProgram(long seed) {
        this.seed = seed;
        nextCycle();
    }

    /** Moves the cursor to t (ns since the start; never backwards). */
    void seek(long t) {
        while (t >= cycleStart + end[seg]) {
            if (++seg == segments) {
                cycleStart += end[segments - 1];
                nextCycle();
            }
        }
    }

    /** The start of the current segment (ns since the start). */
    long segmentStart() {
        return cycleStart + (seg == 0 ? 0 : end[seg - 1]);
    }

    /** The end of the current segment (ns since the start). */
    long segmentEnd() {
        return cycleStart + end[seg];
    }

    private double fraction(long t) {
        long s = segmentStart();
        return Math.min(1, Math.max(0, (double) (t - s) / (segmentEnd() - s)));
    }

    /** Spindle speed (rpm) at t, after seek(t). */
    double rpm(long t) {
        return rpm0[seg] + (rpm1[seg] - rpm0[seg]) * fraction(t);
    }

    /** The load the cut demands at t (% of rated spindle power), after seek(t). */
    double load(long t) {
        return load0[seg] + (load1[seg] - load0[seg]) * fraction(t);
    }

    /** Axis 0-2 (X, Y, Z) position (mm) at t, after seek(t). */
    double position(int axis, long t) {
        return pos0[axis][seg] + (pos1[axis][seg] - pos0[axis][seg]) * fraction(t);
    }

    /** Execution state of the current segment. */
    byte state() {
        return state[seg];
    }

    /** Whether the tool is in the material in the current segment. */
    boolean cutting() {
        return cutting[seg];
    }

    private void nextCycle() {
        cycle++;
        seg = 0;
        segments = 0;
        rnd.reseed(seed, 0x50_52_4F_47L /* "PROG" */, cycle);
        bRpm = 0;
        bLoad = 1.5;
        bx = HOME_X;
        by = HOME_Y;
        bz = HOME_Z;
        bAt = 0;
        add(rnd.between(4, 8), 0, 1.5, HOME_X, HOME_Y, HOME_Z, READY, false); // unload, load the part
        boolean hold = rnd.nextInt(5) == 0;
        int operations = 2 + rnd.nextInt(3);
        int holdIn = rnd.nextInt(operations);
        for (int op = 0; op < operations; op++) {
            double speed = 1_000 * Math.round(rnd.between(3, 12)); // rpm
            double cutLoad = rnd.between(35, 85);
            double depth = rnd.between(0.5, 6);
            double x = rnd.between(-200, 200), y = rnd.between(-150, 150);
            add(rnd.between(0.8, 1.6), speed, rnd.between(20, 35), bx, by, bz, ACTIVE, false); // spindle up to speed
            add(0.1, speed, 4, bx, by, bz, ACTIVE, false);
            add(rnd.between(0.6, 1.2), speed, 4, x, y, 5, ACTIVE, false); // rapid over the start
            add(rnd.between(0.4, 0.8), speed, cutLoad * 0.7, x, y, -depth, ACTIVE, true); // plunge
            int moves = 3 + rnd.nextInt(4);
            for (int m = 0; m < moves; m++) {
                double load = cutLoad * rnd.between(0.8, 1.2);
                double nx = clamp(bx + rnd.between(-80, 80), -240, 240), ny = clamp(by + rnd.between(-60, 60), -190, 190);
                double seconds = Math.hypot(nx - bx, ny - by) / rnd.between(15, 40); // feed 15-40 mm/s
                if (hold && op == holdIn && m == moves / 2) {
                    double hx = (bx + nx) / 2, hy = (by + ny) / 2;
                    add(seconds / 2, speed, load, hx, hy, bz, ACTIVE, true);
                    add(rnd.between(3, 10), speed, 3, hx, hy, bz, STOPPED, false); // feed hold: axes stop
                    add(0.2, speed, load, hx, hy, bz, ACTIVE, true);
                    add(seconds / 2, speed, load, nx, ny, bz, ACTIVE, true);
                } else {
                    add(Math.max(0.3, seconds), speed, load, nx, ny, bz, ACTIVE, true);
                }
            }
            add(rnd.between(0.3, 0.5), speed, 6, bx, by, 5, ACTIVE, false); // retract
            add(rnd.between(0.6, 1.0), 0, 10, bx, by, 5, ACTIVE, false); // spindle stop
            if (op < operations - 1) add(rnd.between(2, 4), 0, 1.5, bx, by, HOME_Z, ACTIVE, false); // tool change
        }
        add(rnd.between(1, 2), 0, 1.5, HOME_X, HOME_Y, HOME_Z, ACTIVE, false); // home
    }

    private static double clamp(double x, double lo, double hi) {
        return Math.max(lo, Math.min(hi, x));
    }

    /** Appends a segment of the given seconds that moves everything from where it is to the given values. */
    private void add(double seconds, double rpm, double load, double x, double y, double z, byte st, boolean cut) {
        int s = segments++;
        bAt += Math.max(1_000_000L, Math.round(seconds * 1e9));
        end[s] = bAt;
        rpm0[s] = bRpm;
        rpm1[s] = bRpm = rpm;
        load0[s] = bLoad;
        load1[s] = bLoad = load;
        pos0[0][s] = bx;
        pos1[0][s] = bx = x;
        pos0[1][s] = by;
        pos1[1][s] = by = y;
        pos0[2][s] = bz;
        pos1[2][s] = bz = z;
        state[s] = st;
        cutting[s] = cut;
    }
}
