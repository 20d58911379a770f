package io.spindle.codec;

/**
 * The time section of a version-3 batch. The encoder plans as version 2 does ({@link TimeCode}: the quantum, and a
 * drifting clock's tick when there is one) and then codes with adaptive models instead of fixed buckets: constant
 * (nothing per sample), plain (each delta in quanta minus the median or minus the previous delta), ticked (the whole
 * ticks minus their median, then the residual in quanta, its model chosen by the sign of the previous residual: a
 * stamp that jumped one way tends to jump back), or raw (64 uniform bits per delta, the fallback that bounds the size).
 */
final class V3Times {
    static final int CONSTANT = 0, PLAIN = 1, TICKED = 2, RAW = 3;
    /** Mode byte bit: plain deltas predicted by the previous delta (else by the median). */
    static final int PLAIN_PREVIOUS = 1 << 2;

    int mode;
    boolean previous;
    long quantum, tickFixed, base;

    private final AdaptiveInt units = new AdaptiveInt(1, 2);
    private final AdaptiveInt ticks = new AdaptiveInt(1, 1);
    private final AdaptiveInt residuals = new AdaptiveInt(3, 2);

    // encoder: the planned columns (TimeCode's arrays)
    private long[] u, k, r;

    /** Plans the n-1 deltas of t[from, from+n) (n >= 2) with plan, a version-2 planner. */
    void plan(TimeCode plan, long[] t, int from, int n, Buckets buckets) {
        plan.plan(t, from, n, buckets);
        int m = n - 1;
        quantum = plan.quantum;
        u = plan.unitColumn();
        k = plan.tickColumn();
        r = plan.residualColumn();
        previous = false;
        if (plan.ticked) {
            mode = TICKED;
            tickFixed = plan.tickFixed;
            base = plan.units.median;
        } else if (plan.constant()) {
            mode = CONSTANT;
            base = u[0];
        } else {
            mode = PLAIN;
            base = plan.units.median;
            long againstBase = 0, againstPrevious = 0;
            long prev = base;
            for (int i = 0; i < m; i++) {
                againstBase += ColumnCode.bitLength(ColumnCode.zigzag(u[i] - base));
                againstPrevious += ColumnCode.bitLength(ColumnCode.zigzag(u[i] - prev));
                prev = u[i];
            }
            previous = againstPrevious < againstBase;
        }
    }

    /** Switches to raw deltas (when the adaptive codes came out longer). */
    void useRaw() {
        mode = RAW;
        previous = false;
    }

    /** The mode bits of the batch's mode byte. */
    int modeBits() {
        return mode | (previous ? PLAIN_PREVIOUS : 0);
    }

    /** Writes the time header that follows the first time (n >= 2). */
    int writeHeader(byte[] b, int p) {
        p = ByteCursor.writeVarint(b, p, quantum);
        switch (mode) {
            case CONSTANT, PLAIN -> p = ByteCursor.writeZigzag(b, p, base);
            case TICKED -> {
                p = ByteCursor.writeVarint(b, p, tickFixed);
                p = ByteCursor.writeZigzag(b, p, base);
            }
            default -> {
            }
        }
        return p;
    }

    /** Reads the time header for mode bits (n >= 2). */
    void readHeader(ByteCursor in, int bits) {
        mode = bits & 3;
        previous = (bits & PLAIN_PREVIOUS) != 0;
        if (previous && mode != PLAIN) throw new IllegalArgumentException("bad mode byte: a previous-delta predictor for time mode " + mode);
        quantum = in.varint("time quantum");
        if (quantum < 1) throw new IllegalArgumentException("bad time quantum " + Long.toUnsignedString(quantum) + " ns (must be 1 .. 2^63-1)");
        switch (mode) {
            case CONSTANT, PLAIN -> base = in.zigzag("time base");
            case TICKED -> {
                tickFixed = in.varint("time tick");
                if (tickFixed < (1L << TimeCode.FRACTION_BITS))
                    throw new IllegalArgumentException("bad time tick " + Long.toUnsignedString(tickFixed) + "/2^20 quanta (must be at least one quantum)");
                base = in.zigzag("tick base");
            }
            default -> {
            }
        }
    }

    /** Codes the m deltas; false when the stream passed limit (then the caller goes raw). */
    boolean encode(RangeEncoder rc, int m, int limit) {
        switch (mode) {
            case CONSTANT -> {
            }
            case PLAIN -> {
                units.reset();
                long prev = base;
                for (int i = 0; i < m; i++) {
                    units.encode(rc, u[i] - (previous ? prev : base), 0);
                    prev = u[i];
                    if (rc.position() > limit) return false;
                }
            }
            case TICKED -> {
                ticks.reset();
                residuals.reset();
                long prevR = 0;
                for (int i = 0; i < m; i++) {
                    ticks.encode(rc, k[i] - base, 0);
                    residuals.encode(rc, r[i], context(prevR));
                    prevR = r[i];
                    if (rc.position() > limit) return false;
                }
            }
            default -> {
                for (int i = 0; i < m; i++) rc.direct(u[i], 64);
            }
        }
        return true;
    }

    /** Decodes the times t[1, n) after t[0]. */
    void decode(RangeDecoder rc, long[] t, int n) {
        long now = t[0];
        switch (mode) {
            case CONSTANT -> {
                long d = base * quantum;
                for (int i = 1; i < n; i++) t[i] = now += d;
            }
            case PLAIN -> {
                units.reset();
                long prev = base;
                for (int i = 1; i < n; i++) {
                    long x = units.decode(rc, 0) + (previous ? prev : base);
                    prev = x;
                    t[i] = now += x * quantum;
                }
            }
            case TICKED -> {
                ticks.reset();
                residuals.reset();
                long prevR = 0;
                for (int i = 1; i < n; i++) {
                    long ki = ticks.decode(rc, 0) + base;
                    long ri = residuals.decode(rc, context(prevR));
                    prevR = ri;
                    t[i] = now += (TimeCode.tickMul(ki, tickFixed) + ri) * quantum;
                }
            }
            default -> {
                for (int i = 1; i < n; i++) t[i] = now += rc.direct(64) * quantum;
            }
        }
    }

    private static int context(long prevR) {
        return prevR < -2 ? 1 : prevR > 2 ? 2 : 0;
    }
}
