package io.spindle.codec;

/**
 * How a version-2 batch codes its times. The deltas (wrapping 64-bit differences) are counted in a quantum: the
 * greatest common divisor of their sizes (1 ns .. e.g. 100 µs or 1 ms for regular or coarse clocks). When that still
 * leaves large, irregular numbers, the encoder looks for a tick: a clock period near a decimal unit (1 µs .. 1 s) that
 * may run fast or slow by up to 2 % (a control's millisecond timer stamped by a drifting wall clock), held in quanta
 * as a fixed-point number with 20 fraction bits. A delta is then a whole number of ticks plus a small residual in
 * quanta. The units (ticks, or quanta without a tick) and the residuals are {@link ColumnCode} columns.
 */
final class TimeCode {
    static final int FRACTION_BITS = 20;
    private static final long[] DECIMAL_UNITS_NS = {1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L};
    private static final double MAX_DRIFT = 0.02;

    long quantum;
    boolean ticked;
    long tickFixed;
    final ColumnCode units = new ColumnCode(), residuals = new ColumnCode();

    // encoder scratch, reused
    private long[] u = new long[0], k = new long[0], r = new long[0], scratch = new long[0];
    private final int[] groupEnd = new int[65];

    /** round(x * tickFixed / 2^20) in wrapping 64-bit arithmetic: identical in the encoder and the decoder. */
    static long tickMul(long x, long tickFixed) {
        long lo = x * tickFixed;
        long hi = Math.multiplyHigh(x, tickFixed);
        long rounded = lo + (1L << (FRACTION_BITS - 1));
        if (Long.compareUnsigned(rounded, lo) < 0) hi++;
        return (hi << (64 - FRACTION_BITS)) | (rounded >>> FRACTION_BITS);
    }

    /** Plans the codes of the n-1 deltas of t[from, from+n) (n >= 2); returns about how many bits they take. */
    long plan(long[] t, int from, int n, Buckets buckets) {
        int m = n - 1;
        grow(m);
        long g = 0;
        for (int i = 0; i < m; i++) {
            long d = t[from + i + 1] - t[from + i];
            u[i] = d;
            long a = d < 0 ? -d : d; // -Long.MIN_VALUE is 2^63 read unsigned
            if (g != 1 && a != g) g = gcdUnsigned(g, a);
        }
        quantum = g == 0 || g < 0 ? 1 : g; // g < 0: 2^63 as a signed long; keep 1 ns
        if (quantum != 1) divideExactly(m, quantum);
        ticked = false;
        long plain = units.plan(u, m, scratch, buckets, null, 0);
        if (plain <= 8L * m) return plain;
        // irregular: try a tick near each decimal unit not finer than 4 quanta nor coarser than a typical delta;
        // a quick estimate of the codes' size picks one, which then has to beat the plain coding for real
        int evidence = collectEvidence(m);
        if (evidence == 0) return plain;
        double typicalNs = (double) units.median * quantum;
        int step = Math.max(1, m / 512); // the guesses look at up to 512 pairs of neighbouring deltas
        double plainGuess = 0;
        for (int i = 1; i < m; i += step) plainGuess += 2 + ColumnCode.bitLength(ColumnCode.zigzag(u[i] - u[i - 1]));
        double bestGuess = plainGuess;
        double bestP = 0;
        for (long unitNs : DECIMAL_UNITS_NS) {
            double p0 = (double) unitNs / quantum;
            if (p0 < 4 || unitNs > typicalNs) continue;
            double p = estimateTick(evidence, p0);
            if (Double.isNaN(p)) continue;
            double inv = 1 / p, guess = 0;
            for (int i = 1; i < m; i += step) {
                long k0 = Math.round(u[i - 1] * inv), k1 = Math.round(u[i] * inv);
                guess += 4 + ColumnCode.bitLength(ColumnCode.zigzag(k1 - k0))
                        + ColumnCode.bitLength(ColumnCode.zigzag(u[i] - Math.round(k1 * p)));
            }
            if (guess < bestGuess) {
                bestGuess = guess;
                bestP = p;
            }
        }
        if (bestP == 0) return plain;
        long fixed = Math.round(bestP * (1L << FRACTION_BITS));
        long ticks = splitByTick(m, bestP, fixed, buckets) + 8L * (residuals.headerBytes() + 5);
        if (ticks >= plain) {
            units.plan(u, m, scratch, buckets, null, 0);
            return plain;
        }
        ticked = true;
        tickFixed = fixed;
        return ticks;
    }

    /** Fills k and r for a tick and plans both columns; returns their bits. */
    private long splitByTick(int m, double p, long fixed, Buckets buckets) {
        double inv = 1 / p;
        for (int i = 0; i < m; i++) {
            long ki = Math.round(u[i] * inv);
            k[i] = ki;
            r[i] = u[i] - tickMul(ki, fixed);
        }
        return units.plan(k, m, scratch, buckets, null, 0) + residuals.plan(r, m, scratch, buckets, null, 0);
    }

    /**
     * Puts into scratch what a tick must divide, grouped by bit length, shortest first: the positive deltas and the
     * changes between consecutive deltas (a few ticks when the sampling jitters around a period, which pins the tick
     * down even when every delta is hundreds of ticks long); returns how many.
     */
    private int collectEvidence(int m) {
        java.util.Arrays.fill(groupEnd, 0);
        for (int pass = 0; pass < 2; pass++) {
            if (pass == 1) { // counts to start offsets
                int at = 0;
                for (int b = 0; b <= 64; b++) {
                    int count = groupEnd[b];
                    groupEnd[b] = at;
                    at += count;
                }
            }
            for (int i = 0; i < m; i++) {
                long x = u[i];
                if (x > 0) place(pass, x);
                long d = i == 0 ? 0 : x - u[i - 1];
                if (d != 0 && d != Long.MIN_VALUE) place(pass, Math.abs(d));
            }
        }
        return groupEnd[64];
    }

    private void place(int pass, long x) {
        int b = ColumnCode.bitLength(x);
        if (pass == 0) groupEnd[b]++;
        else scratch[groupEnd[b]++] = x;
    }

    /**
     * The tick (in quanta) near p0 that the evidence is made of, estimated on ever longer evidence so that each whole
     * number of ticks is counted with a tick already known well enough for it; NaN when the evidence does not fit a
     * tick within MAX_DRIFT of p0.
     */
    private double estimateTick(int evidence, double p0) {
        double p = p0, inv = 1 / p0, sumX = 0, sumK = 0;
        int stride = Math.max(1, evidence / 1024);
        int i = 0;
        for (int b = 0; b <= 64; b++) {
            // one group of evidence (one bit length) with the tick as the shorter groups left it
            for (int end = groupEnd[b]; i < end; i += stride) {
                long x = scratch[i];
                double q = x * inv;
                double kk = Math.rint(q);
                if (kk < 1 || Math.abs(q - kk) > 0.25) continue; // not near a whole number of ticks: an outlier
                sumX += x;
                sumK += kk;
            }
            if (sumK > 0) {
                p = sumX / sumK;
                inv = 1 / p;
                if (Math.abs(p / p0 - 1) > MAX_DRIFT) return Double.NaN;
            }
        }
        return sumK == 0 ? Double.NaN : p;
    }

    /** Writes the time header (n >= 2). */
    int writeHeader(byte[] b, int p) {
        p = ByteCursor.writeVarint(b, p, quantum);
        b[p++] = (byte) (ticked ? 1 : 0);
        if (ticked) p = ByteCursor.writeVarint(b, p, tickFixed);
        p = units.writeHeader(b, p);
        if (ticked) p = residuals.writeHeader(b, p);
        return p;
    }

    void readHeader(ByteCursor in) {
        quantum = in.varint("time quantum");
        if (quantum < 1) throw new IllegalArgumentException("bad time quantum " + Long.toUnsignedString(quantum) + " ns (must be 1 .. 2^63-1)");
        int flags = in.u8("time flags");
        if (flags > 1) throw new IllegalArgumentException("bad time flags " + flags);
        ticked = flags == 1;
        if (ticked) {
            tickFixed = in.varint("time tick");
            if (tickFixed < (1L << FRACTION_BITS))
                throw new IllegalArgumentException("bad time tick " + Long.toUnsignedString(tickFixed) + "/2^20 quanta (must be at least one quantum)");
        }
        units.readHeader(in, ticked ? "time tick column" : "time unit column");
        if (ticked) residuals.readHeader(in, "time residual column");
    }

    /** After {@link #plan}: the deltas in quanta (valid when not ticked). */
    long[] unitColumn() {
        return u;
    }

    /** After a ticked {@link #plan}: the whole ticks of each delta. */
    long[] tickColumn() {
        return k;
    }

    /** After a ticked {@link #plan}: what each delta has beyond its whole ticks, in quanta. */
    long[] residualColumn() {
        return r;
    }

    /** Whether every delta is the same, base quanta: one bit each, written and skipped in bulk. */
    boolean constant() {
        return !ticked && units.constant();
    }

    /** The delta of a {@link #constant} time column (ns, wrapping). */
    long constantDelta() {
        return units.base * quantum;
    }

    /** Restarts the predictors at the first delta. */
    void start() {
        units.start();
        residuals.start();
    }

    /** Writes the codes of delta i (0-based). */
    void encode(BitWriter out, int i) {
        if (ticked) {
            units.encode(out, k[i], 0, 0);
            residuals.encode(out, r[i], 0, 0);
        } else {
            units.encode(out, u[i], 0, 0);
        }
    }

    /** Reads the next delta in nanoseconds (wrapping). */
    long decode(BitReader in) {
        long x = units.decode(in, 0, 0);
        if (ticked) x = tickMul(x, tickFixed) + residuals.decode(in, 0, 0);
        return x * quantum;
    }

    /** u /= q for deltas that q divides: a shift and a multiplication by the inverse of q's odd part mod 2^64. */
    private void divideExactly(int m, long q) {
        int shift = Long.numberOfTrailingZeros(q);
        long odd = q >>> shift, inverse = odd; // Newton's iteration doubles the correct low bits: 3, 6, ..., 96
        for (int k = 0; k < 5; k++) inverse *= 2 - odd * inverse;
        for (int i = 0; i < m; i++) u[i] = (u[i] >> shift) * inverse;
    }

    private static long gcdUnsigned(long a, long b) {
        while (b != 0) {
            long t = Long.remainderUnsigned(a, b);
            a = b;
            b = t;
        }
        return a;
    }

    private void grow(int m) {
        if (u.length < m) {
            int cap = Math.max(m, u.length * 3 / 2);
            u = new long[cap];
            k = new long[cap];
            r = new long[cap];
            scratch = new long[2 * cap];
        }
    }
}
