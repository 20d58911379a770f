package io.spindle.downsample.stream;

import java.math.BigDecimal;

/**
 * Exact geometric predicates on (long time, double value) points, filtered so the common case is plain doubles.
 * Time offsets are exact longs (below 2^53, so exact as doubles); value differences are taken exactly when the
 * floating-point result is too close to call (Shewchuk's error bound for a 2x2 determinant).
 */
final class Robust {
    /** (3 + 16ε)ε with ε = 2^-53: bounds the rounding error of dx1*dy2 - dy1*dx2 with rounded differences. */
    static final double ERR = (3.0 + 16.0 * 0x1p-53) * 0x1p-53;
    /** Below this magnitude products may be subnormal and the relative bound no longer holds. */
    private static final double TINY = 0x1p-960;

    private Robust() {
    }

    /**
     * Sign of the turn o→m→p: +1 left (counter-clockwise), -1 right, 0 collinear.
     * Requires all time differences to be below 2^53.
     */
    static int orient(long ot, double ov, long mt, double mv, long pt, double pv) {
        double dx1 = (double) (mt - ot), dx2 = (double) (pt - ot);
        double l = dx1 * (pv - ov), r = (mv - ov) * dx2;
        double det = l - r, bound = ERR * (Math.abs(l) + Math.abs(r));
        if (det > bound && bound > TINY) return 1;
        if (det < -bound && bound > TINY) return -1;
        return orientExact(ot, ov, mt, mv, pt, pv);
    }

    static int orientExact(long ot, double ov, long mt, double mv, long pt, double pv) {
        BigDecimal dy1 = new BigDecimal(mv).subtract(new BigDecimal(ov));
        BigDecimal dy2 = new BigDecimal(pv).subtract(new BigDecimal(ov));
        BigDecimal l = BigDecimal.valueOf(mt - ot).multiply(dy2);
        BigDecimal r = dy1.multiply(BigDecimal.valueOf(pt - ot));
        return l.compareTo(r);
    }

    /** Twice the triangle area, in doubles: |pxr*cyr - cxr*(pv - av)| with pxr = pt - at exact. */
    static double area2(long pt, double pv, long at, double av, double cxr, double cyr) {
        return Math.abs((double) (pt - at) * cyr - cxr * (pv - av));
    }

    /** A bound on the rounding error of {@link #area2}. */
    static double area2Bound(long pt, double pv, long at, double av, double cxr, double cyr) {
        double l = (double) (pt - at) * cyr, r = cxr * (pv - av);
        return ERR * (Math.abs(l) + Math.abs(r)) + Double.MIN_NORMAL;
    }

    /** Twice the triangle area, exactly, for the same given cxr and cyr. */
    static BigDecimal area2Exact(long pt, double pv, long at, double av, double cxr, double cyr) {
        BigDecimal l = BigDecimal.valueOf(pt - at).multiply(new BigDecimal(cyr));
        BigDecimal r = new BigDecimal(cxr).multiply(new BigDecimal(pv).subtract(new BigDecimal(av)));
        return l.subtract(r).abs();
    }
}
