package io.spindle.downsample;

/**
 * Runs of consecutive samples that share a bucket, and their extremes, for the bucket selectors. Run ends are found by
 * galloping search over sorted x, so the per-sample work is only the reductions below. {@link #scan} (M4, MinMax)
 * takes the four Math.min/max extremes, from which callers verify that a run really is one bucket, which catches
 * unsorted x, and that it holds no NaN or infinity (Math.min/max propagate NaN). {@link #extremes} (MinMaxLTTB) finds
 * the first minimum and maximum of y with long and int reductions only, which C2 vectorises.
 */
final class Runs {
    /** |t| from 2^52 up: there t = y * h is an exact integer, so (long) t is y itself, scaled. */
    private static final long EXACT = 1L << 52;
    /** Samples per piece of pass A (see extremes): pass B reads one piece per extreme; a piece costs a few ns. */
    private static final int PIECE = 512;

    double xMin, xMax, yMin, yMax;
    /** Set by {@link #extremes}: the first index of the smallest and of the largest y of the run. */
    int minAt, maxAt;
    /** A power of two taking the previous run's largest |y| to [2^60, 2^61); 0 before the first run. */
    private double scale;
    /** The extremes of (long) (y * h) over the last piece read by passA. */
    private long pieceLo, pieceHi;

    /** Sets the four extremes of x and y over [from, to), from &lt; to. */
    void scan(double[] x, double[] y, int from, int to) {
        double xl = x[from], xh = xl, yl = y[from], yh = yl;
        for (int k = from + 1; k < to; k++) {
            xl = Math.min(xl, x[k]);
            xh = Math.max(xh, x[k]);
            yl = Math.min(yl, y[k]);
            yh = Math.max(yh, y[k]);
        }
        xMin = xl;
        xMax = xh;
        yMin = yl;
        yMax = yh;
    }

    /**
     * Sets {@link #minAt} and {@link #maxAt} for [from, to), from &lt; to: the first index whose y equals the run's
     * minimum, and maximum (by ==, as a strict scan finds them); false, leaving them unset, when x or y holds a NaN
     * or infinity there.
     * <p>C2 turns double min/max reductions and early-exit searches into slow scalar code, but vectorises long and
     * int min/max reductions, so the run is read in those terms. Pass A, in pieces of PIECE samples: the extremes of
     * t = (long) (y * h), h a power of two near 2^60 / |y| (from the previous run: neighbouring runs have similar
     * values), and a count of finite points. Where 2^52 &lt;= |t| &lt; 2^63, y * h is exact and integral, so t is y
     * itself and an extreme t names the extreme y exactly; it first occurs in the first piece that reached it. Pass
     * B, on that piece only, while it is in L1: the smallest index whose t equals the extreme, as an int min
     * reduction. An extreme outside that range (0, say, or tiny next to the run's other values) falls back to a
     * strict scalar scan.
     */
    boolean extremes(double[] x, double[] y, int from, int to) {
        double h = scale > 0 ? scale : scaleFor(Math.abs(y[from]));
        long lo = Long.MAX_VALUE, hi = Long.MIN_VALUE;
        int loPiece = from, hiPiece = from;
        for (int s = from, e; s < to; s = e) {
            e = pieceEnd(s, to);
            if (!passA(x, y, s, e, h)) return false;
            if (pieceLo < lo) {
                lo = pieceLo;
                loPiece = s;
            }
            if (pieceHi > hi) {
                hi = pieceHi;
                hiPiece = s;
            }
        }
        minAt = exact(lo) ? firstWith(y, loPiece, pieceEnd(loPiece, to), h, lo) : firstMin(y, from, to);
        maxAt = exact(hi) ? firstWith(y, hiPiece, pieceEnd(hiPiece, to), h, hi) : firstMax(y, from, to);
        scale = scaleFor(Math.max(Math.abs(y[minAt]), Math.abs(y[maxAt])));
        return true;
    }

    private static int pieceEnd(int s, int to) {
        return to - s > PIECE ? s + PIECE : to;
    }

    /** Pass A over [from, to): sets pieceLo and pieceHi; false when x or y holds a non-finite value there. */
    private boolean passA(double[] x, double[] y, int from, int to, double h) {
        long l = Long.MAX_VALUE, u = Long.MIN_VALUE, finite = 0;
        for (int j = from; j < to; j++) {
            long t = (long) (y[j] * h);
            l = Math.min(l, t);
            u = Math.max(u, t);
            finite += (long) ((x[j] - x[j]) + (y[j] - y[j]) + 1.0); // 1 when both are finite, else (long) NaN = 0
        }
        pieceLo = l;
        pieceHi = u;
        return finite == to - from;
    }

    /** Pass B: the first index in [from, to) with (long) (y * h) == t, which one of them has. */
    private static int firstWith(double[] y, int from, int to, double h, long t) {
        int at = Integer.MAX_VALUE;
        for (int q = from; q < to; q++) {
            long d = (long) (y[q] * h) ^ t;
            at = Math.min(at, q | -(int) ((d | -d) >>> 63) & Integer.MAX_VALUE); // (d | -d) >>> 63 is 0 iff d == 0
        }
        return at;
    }

    private static boolean exact(long t) {
        return t >= EXACT ? t != Long.MAX_VALUE : t <= -EXACT && t != Long.MIN_VALUE;
    }

    /** 2^(60 - exponent of m): m maps into [2^60, 2^61), values up to 4m stay below 2^63, down to m/512 exact. */
    private static double scaleFor(double m) {
        return Math.scalb(1.0, 60 - Math.getExponent(m)); // m = 0 or subnormal gives infinity: nothing is exact
    }

    private static int firstMin(double[] y, int from, int to) {
        int at = from;
        for (int k = from + 1; k < to; k++) if (y[k] < y[at]) at = k;
        return at;
    }

    private static int firstMax(double[] y, int from, int to) {
        int at = from;
        for (int k = from + 1; k < to; k++) if (y[k] > y[at]) at = k;
        return at;
    }

    /** Whether the last scanned run held only finite values. */
    boolean finite() {
        return Double.isFinite(xMin) & Double.isFinite(xMax) & Double.isFinite(yMin) & Double.isFinite(yMax);
    }

    /**
     * The first index in [from, to) whose y equals v (by ==, so -0.0 meets 0.0 as a strict {@code <} scan would):
     * with v a scanned extreme, the earliest sample that attains it.
     */
    static int first(double[] y, int from, int to, double v) {
        for (int k = from; k < to; k++) if (y[k] == v) return k;
        return from;
    }

    /** First j in (from, to] with x[j] in a bucket above {@code bucket} (j = to when none), x sorted. */
    static int endOfBucket(double[] x, int from, int to, double x0, double xLast, int buckets, int bucket,
                           int guess) {
        int lo = from, hi, step = Math.max(1, guess);
        while (true) {
            hi = to - lo <= step ? to : lo + step;
            if (hi == to || M4.bucketOf(x[hi], x0, xLast, buckets) > bucket) break;
            lo = hi;
            if (step < (1 << 29)) step <<= 1;
        }
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (M4.bucketOf(x[mid], x0, xLast, buckets) > bucket) hi = mid;
            else lo = mid;
        }
        return hi;
    }

    /** First j in (from, to] with x[j] &gt; edge (j = to when none), x sorted. */
    static int endAtEdge(double[] x, int from, int to, double edge, int guess) {
        int lo = from, hi, step = Math.max(1, guess);
        while (true) {
            hi = to - lo <= step ? to : lo + step;
            if (hi == to || x[hi] > edge) break;
            lo = hi;
            if (step < (1 << 29)) step <<= 1;
        }
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (x[mid] > edge) hi = mid;
            else lo = mid;
        }
        return hi;
    }
}
