package io.spindle.downsample.stream;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Arrays;

/**
 * The candidates of one bucket, kept as the upper and lower convex chains of its samples (monotone chain over
 * time-ordered insertion). For a fixed previous point A and next-bucket mean C, the triangle area is the absolute
 * value of a linear function of the candidate, so its maximum lies on one of the chains: keeping them keeps LTTB's
 * choice exact in little memory. Ties are resolved towards the earliest sample, which the chains preserve: a point
 * leaves a chain only when it lies strictly inside, or between two chain points on a line, the earlier of which
 * scores at least as well.
 */
final class BucketHull {
    private final int cap;
    // Upper chain (maximises the value side) and lower chain; per vertex: time, value, release order in bucket.
    long[] ut, lt;
    double[] uv, lv;
    int[] us, ls;
    int nu, nl;
    long compactions;
    // The first candidate: when A, C and every candidate share one instant all areas are 0 and it wins the tie,
    // though a vertical run keeps only its extremes on the chains.
    private boolean hasFirst;
    private long firstT;
    private double firstV;
    private int firstSeq;
    private static final int FIRST = Integer.MAX_VALUE;

    BucketHull(int cap) {
        this.cap = cap;
        int initial = Math.min(cap, 16);
        ut = new long[initial];
        uv = new double[initial];
        us = new int[initial];
        lt = new long[initial];
        lv = new double[initial];
        ls = new int[initial];
    }

    void clear() {
        nu = 0;
        nl = 0;
        hasFirst = false;
    }

    private void noteFirst(long t, double v, int seq) {
        if (!hasFirst) {
            hasFirst = true;
            firstT = t;
            firstV = v;
            firstSeq = seq;
        }
    }

    boolean isEmpty() {
        return nu == 0;
    }

    // Scratch for addRun: indices surviving the pre-filter, per chain.
    private int[] upIdx = new int[0], loIdx = new int[0];
    private double[] sufMax = new double[0], sufMin = new double[0];
    private final double[] tailMax = new double[BLOCK], tailMin = new double[BLOCK];

    /**
     * Adds samples {@code [from, to)} of the arrays (time-ordered, finite), the first getting release order seq0.
     * A branch-free pre-filter drops samples that lie strictly inside a triangle of their neighbours first: they can
     * never be on a chain, and dropping them spares the chain's unpredictable branches on noisy data.
     */
    void addRun(long[] t, double[] v, int from, int to, int seq0) {
        // Pieces short enough that no chain can reach its cap within one, even one sample at a time: compaction
        // then happens only in per-sample insertion, so bulk and per-sample adds keep identical chains.
        for (int x = from; x < to; ) {
            int room = cap - 1 - Math.max(nu, nl);
            int piece = Math.min(to - x, room);
            if (piece < 8) {
                add(t[x], v[x], seq0 + x - from);
                x++;
            } else {
                addPiece(t, v, x, x + piece, seq0 + x - from);
                x += piece;
            }
        }
    }

    private void addPiece(long[] t, double[] v, int from, int to, int seq0) {
        noteFirst(t[from], v[from], seq0);
        int n = to - from;
        if (upIdx.length < n) {
            upIdx = new int[n];
            loIdx = new int[n];
            sufMax = new double[(n >>> BLOCK_SHIFT) + 2];
            sufMin = new double[(n >>> BLOCK_SHIFT) + 2];
        }
        int[] up = upIdx, lo = loIdx;
        double[] smaxs = sufMax, smins = sufMin;
        // Records filter, comparisons only (exact): a sample lower than both the highest one before it and the
        // highest one in a later block lies strictly below the segment joining those two, so it is off the upper
        // chain; symmetrically for the lower chain. On noisy or oscillating data few samples are such records.
        int blocks = (n + BLOCK - 1) >>> BLOCK_SHIFT;
        smaxs[blocks] = Double.NEGATIVE_INFINITY;
        smins[blocks] = Double.POSITIVE_INFINITY;
        for (int b = blocks - 1; b >= 0; b--) {
            double bmax = smaxs[b + 1], bmin = smins[b + 1];
            for (int k = from + (b << BLOCK_SHIFT), end = Math.min(to, k + BLOCK); k < end; k++) {
                bmax = Math.max(bmax, v[k]);
                bmin = Math.min(bmin, v[k]);
            }
            smaxs[b] = bmax; // max of block b and every later one
            smins[b] = bmin;
        }
        double pmax = Double.NEGATIVE_INFINITY, pmin = Double.POSITIVE_INFINITY;
        int nu1 = 0, nl1 = 0;
        for (int b = 0; b < blocks - 1; b++) {
            double laterMax = smaxs[b + 1], laterMin = smins[b + 1];
            for (int k = from + (b << BLOCK_SHIFT), end = k + BLOCK; k < end; k++) {
                double x = v[k];
                up[nu1] = k;
                nu1 += 1 - (signBit(x - pmax) & signBit(x - laterMax));
                lo[nl1] = k;
                nl1 += 1 - (signBit(pmin - x) & signBit(laterMin - x));
                pmax = x > pmax ? x : pmax;
                pmin = x < pmin ? x : pmin;
            }
        }
        // The last block has no later block: compare with the exact extremes after each sample within it.
        int last = from + ((blocks - 1) << BLOCK_SHIFT);
        double[] tmax = tailMax, tmin = tailMin;
        double sm = Double.NEGATIVE_INFINITY, sn = Double.POSITIVE_INFINITY;
        for (int k = to - 1; k >= last; k--) {
            tmax[k - last] = sm;
            tmin[k - last] = sn;
            sm = Math.max(sm, v[k]);
            sn = Math.min(sn, v[k]);
        }
        for (int k = last; k < to; k++) {
            double x = v[k];
            up[nu1] = k;
            nu1 += 1 - (signBit(x - pmax) & signBit(x - tmax[k - last]));
            lo[nl1] = k;
            nl1 += 1 - (signBit(pmin - x) & signBit(tmin[k - last] - x));
            pmax = x > pmax ? x : pmax;
            pmin = x < pmin ? x : pmin;
        }
        // Then the neighbour-chord test among the survivors, and the exact chains.
        nu1 = refine(up, nu1, t, v, 1);
        nl1 = refine(lo, nl1, t, v, -1);
        for (int k = 0; k < nu1; k++) addUpper(t[up[k]], v[up[k]], seq0 + up[k] - from);
        for (int k = 0; k < nl1; k++) addLower(t[lo[k]], v[lo[k]], seq0 + lo[k] - from);
    }

    private static final int BLOCK_SHIFT = 6, BLOCK = 1 << BLOCK_SHIFT;
    private static final double TINY_BOUND = 0x1p-960;

    /** 1 when x is negative (or -0.0), else 0. */
    private static int signBit(double x) {
        return (int) (Double.doubleToRawLongBits(x) >>> 63);
    }

    /** Repeats the neighbour test among survivors (still candidates) while it keeps removing a good share. */
    private static int refine(int[] idx, int n, long[] t, double[] v, int side) {
        while (n > 8) {
            int w = 1;
            for (int k = 1; k < n - 1; k++) {
                int a = idx[k - 1], m = idx[k], b = idx[k + 1];
                double dx1 = (double) (t[m] - t[a]), dx2 = (double) (t[b] - t[a]);
                double l = dx1 * (v[b] - v[a]), r = (v[m] - v[a]) * dx2;
                double det = (l - r) * side, bound = Robust.ERR * (Math.abs(l) + Math.abs(r));
                if (!(bound > TINY_BOUND)) bound = Double.POSITIVE_INFINITY;
                idx[w] = m;
                w += 1 - signBit(bound - det);
            }
            idx[w++] = idx[n - 1];
            boolean worthAnother = w < n - (n >> 2);
            n = w;
            if (!worthAnother) break;
        }
        return n;
    }

    /** Adds a sample; samples arrive in (time, release) order. */
    void add(long t, double v, int seq) {
        noteFirst(t, v, seq);
        addUpper(t, v, seq);
        addLower(t, v, seq);
    }

    private void addUpper(long t, double v, int seq) {
        int n = nu;
        if (n > 0 && ut[n - 1] == t) {
            // Same instant: on a vertical line only the highest matters, and on a tie the earlier one.
            if (v <= uv[n - 1]) return;
            n--;
        }
        while (n >= 2 && Robust.orient(ut[n - 2], uv[n - 2], ut[n - 1], uv[n - 1], t, v) >= 0) n--;
        if (n == ut.length) n = growUpper(n);
        ut[n] = t;
        uv[n] = v;
        us[n] = seq;
        nu = n + 1;
    }

    private void addLower(long t, double v, int seq) {
        int n = nl;
        if (n > 0 && lt[n - 1] == t) {
            if (v >= lv[n - 1]) return;
            n--;
        }
        while (n >= 2 && Robust.orient(lt[n - 2], lv[n - 2], lt[n - 1], lv[n - 1], t, v) <= 0) n--;
        if (n == lt.length) n = growLower(n);
        lt[n] = t;
        lv[n] = v;
        ls[n] = seq;
        nl = n + 1;
    }

    private int growUpper(int n) {
        if (n < cap) {
            int len = Math.min(cap, n * 2);
            ut = Arrays.copyOf(ut, len);
            uv = Arrays.copyOf(uv, len);
            us = Arrays.copyOf(us, len);
            return n;
        }
        compactions++;
        return compact(ut, uv, us, n, true);
    }

    private int growLower(int n) {
        if (n < cap) {
            int len = Math.min(cap, n * 2);
            lt = Arrays.copyOf(lt, len);
            lv = Arrays.copyOf(lv, len);
            ls = Arrays.copyOf(ls, len);
            return n;
        }
        compactions++;
        return compact(lt, lv, ls, n, false);
    }

    /** MinMax fallback at the cap: of each pair keep the higher (upper) or lower (lower) one; always keep the first. */
    private static int compact(long[] t, double[] v, int[] s, int n, boolean upper) {
        int w = 1;
        for (int i = 1; i < n; i += 2) {
            int k = i;
            if (i + 1 < n && (upper ? v[i + 1] > v[i] : v[i + 1] < v[i])) k = i + 1;
            t[w] = t[k];
            v[w] = v[k];
            s[w] = s[k];
            w++;
        }
        return w;
    }

    /**
     * Index of the chosen candidate (encoded: upper chain i as i, lower chain i as -1-i) maximising the area with
     * A=(at,av) and C at (at + cxr, av + cyr); the earliest sample wins ties. Requires a non-empty hull.
     */
    int choose(long at, double av, double cxr, double cyr) {
        if (cxr == 0.0) return FIRST; // C at A's instant: every candidate is there too, every area is 0
        int best = 0;
        double bestArea = -1, bestLow = -1;
        for (int i = 0; i < nu; i++) {
            double a = Robust.area2(ut[i], uv[i], at, av, cxr, cyr);
            double b = Robust.area2Bound(ut[i], uv[i], at, av, cxr, cyr);
            if (a > bestArea) { bestArea = a; best = i; }
            bestLow = Math.max(bestLow, a - b);
        }
        for (int i = 0; i < nl; i++) {
            double a = Robust.area2(lt[i], lv[i], at, av, cxr, cyr);
            double b = Robust.area2Bound(lt[i], lv[i], at, av, cxr, cyr);
            if (a > bestArea || (a == bestArea && earlier(lt[i], ls[i], tOf(best), seqOf(best)))) {
                bestArea = a;
                best = -1 - i;
            }
            bestLow = Math.max(bestLow, a - b);
        }
        // Anything else whose error interval reaches the best one's makes it too close to call in doubles.
        long bt = tOf(best);
        int bs = seqOf(best);
        boolean close = false;
        for (int i = 0; i < nu && !close; i++)
            close = (ut[i] != bt || us[i] != bs)
                    && Robust.area2(ut[i], uv[i], at, av, cxr, cyr) + Robust.area2Bound(ut[i], uv[i], at, av, cxr, cyr) >= bestLow;
        for (int i = 0; i < nl && !close; i++)
            close = (lt[i] != bt || ls[i] != bs)
                    && Robust.area2(lt[i], lv[i], at, av, cxr, cyr) + Robust.area2Bound(lt[i], lv[i], at, av, cxr, cyr) >= bestLow;
        if (!close) return best;
        return chooseExact(at, av, cxr, cyr, bestLow);
    }

    /** Too close to call in doubles: decide among the near-best candidates exactly. */
    private int chooseExact(long at, double av, double cxr, double cyr, double bestLow) {
        int best = Integer.MIN_VALUE;
        BigDecimal bestArea = null;
        for (int e = 0; e < nu + nl; e++) {
            int code = e < nu ? e : -1 - (e - nu);
            long t = tOf(code);
            double v = vOf(code);
            if (Robust.area2(t, v, at, av, cxr, cyr) + Robust.area2Bound(t, v, at, av, cxr, cyr) < bestLow) continue;
            BigDecimal a = Robust.area2Exact(t, v, at, av, cxr, cyr);
            int c = bestArea == null ? 1 : a.compareTo(bestArea);
            if (c > 0 || (c == 0 && earlier(t, seqOf(code), tOf(best), seqOf(best)))) {
                bestArea = a;
                best = code;
            }
        }
        return best;
    }

    private static boolean earlier(long t1, int s1, long t2, int s2) {
        return t1 < t2 || (t1 == t2 && s1 < s2);
    }

    long tOf(int code) {
        return code == FIRST ? firstT : code >= 0 ? ut[code] : lt[-1 - code];
    }

    double vOf(int code) {
        return code == FIRST ? firstV : code >= 0 ? uv[code] : lv[-1 - code];
    }

    int seqOf(int code) {
        return code == FIRST ? firstSeq : code >= 0 ? us[code] : ls[-1 - code];
    }

    void write(DataOutput out) throws IOException {
        out.writeLong(compactions);
        out.writeBoolean(hasFirst);
        out.writeLong(firstT);
        out.writeDouble(firstV);
        out.writeInt(firstSeq);
        writeChain(out, ut, uv, us, nu);
        writeChain(out, lt, lv, ls, nl);
    }

    void read(DataInput in) throws IOException {
        compactions = in.readLong();
        hasFirst = in.readBoolean();
        firstT = in.readLong();
        firstV = in.readDouble();
        firstSeq = in.readInt();
        nu = in.readInt();
        checkSize(nu);
        if (ut.length < nu) { ut = new long[nu]; uv = new double[nu]; us = new int[nu]; }
        for (int i = 0; i < nu; i++) { ut[i] = in.readLong(); uv[i] = in.readDouble(); us[i] = in.readInt(); }
        nl = in.readInt();
        checkSize(nl);
        if (lt.length < nl) { lt = new long[nl]; lv = new double[nl]; ls = new int[nl]; }
        for (int i = 0; i < nl; i++) { lt[i] = in.readLong(); lv[i] = in.readDouble(); ls[i] = in.readInt(); }
    }

    private void checkSize(int n) throws IOException {
        if (n < 0 || n > cap) throw new IOException("snapshot hull chain of " + n + " vertices exceeds cap " + cap);
    }

    private static void writeChain(DataOutput out, long[] t, double[] v, int[] s, int n) throws IOException {
        out.writeInt(n);
        for (int i = 0; i < n; i++) { out.writeLong(t[i]); out.writeDouble(v[i]); out.writeInt(s[i]); }
    }
}
