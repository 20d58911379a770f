package io.spindle.downsample;

import java.util.Arrays;

/**
 * Largest-Triangle-Three-Buckets (Steinarsson 2013), point for point the reference implementation flot-downsample
 * (commit af872e0): same bucket bounds, same floating-point operations in the same order, so the kept points are
 * bit-identical on the same doubles.
 * <ul>
 *   <li>threshold 0 or threshold &gt;= n keeps every point; threshold 1 or 2 keeps the first and the last.</li>
 *   <li>Otherwise {@code every = (n-2)/(threshold-2)}; bucket i offers {@code [floor(i*every)+1,
 *       floor((i+1)*every)+1)} and keeps the candidate with the largest triangle (previously kept point, candidate,
 *       mean x and mean y of the next bucket {@code [floor((i+1)*every)+1, min(floor((i+2)*every)+1, n))}),
 *       area {@code |(ax-cx)*(by-ay) - (ax-bx)*(cy-ay)| * 0.5} in absolute coordinates; strict {@code >} so the
 *       first maximum wins. First and last points are always kept.</li>
 *   <li>Non-finite values (Spindle's rule; the reference crashes on NaN): a point whose x or y is NaN or infinite is
 *       skipped, never kept and never averaged; the algorithm runs on the finite subsequence (so "n" above is the
 *       number of finite points) and the returned indices still refer to the original arrays. All-finite input
 *       costs no extra pass and no allocation (the check rides on the bucket sums); otherwise the finite points are
 *       copied once and the algorithm runs on the copy.</li>
 *   <li>Speed without changing a bit: bucket sums are interleaved four buckets at a time, and most candidates are
 *       ruled out by a vectorised bound before the exact comparison (see {@code kernel} and {@code largest}).</li>
 *   <li>x should be non-decreasing; if it is not the result is meaningless but the call still returns real,
 *       ascending sample indices.</li>
 * </ul>
 */
public final class Lttb {
    private Lttb() {
    }

    /** Writes the kept indices of x,y[0..n), ascending, into out (see Algorithm.maxOutput); returns how many. */
    public static int select(double[] x, double[] y, int n, int threshold, int[] out) {
        return FiniteView.select(x, y, n, threshold, out, Lttb::kernel);
    }

    /** The kept indices of the whole series x,y, ascending. */
    public static int[] select(double[] x, double[] y, int threshold) {
        Inputs.sameLength(x, y);
        int[] out = new int[Inputs.maxOutput(x.length, threshold)];
        return Arrays.copyOf(out, select(x, y, x.length, threshold, out));
    }

    /** Candidates per block of the area scan: a block is skipped, or compared exactly, as a whole. */
    private static final int BLOCK = 256;
    /** The bound of the best area so far is about 2^40: resolution 2^-40 of it, headroom 2^22 before saturating. */
    private static final double SCALE = 0x1p40;

    /** The reference algorithm; -1 when x or y holds a non-finite value in [0, n). */
    static int kernel(double[] x, double[] y, int n, int threshold, int[] out) {
        if (threshold >= n || threshold == 0) return FiniteView.allFinite(x, y, n) ? Inputs.all(n, out) : -1;
        if (threshold <= 2) return FiniteView.allFinite(x, y, n) ? Inputs.ends(n, out) : -1;
        int buckets = threshold - 2;
        // Mirrors the reference: double division, floor of (i+1)*every in doubles, sums then one division.
        double every = (double) (n - 2) / buckets;
        // The averaged ranges tile [floor(every)+1, n); a sum is finite only if all its terms are, so checking the
        // sums and the points before the first range covers every point (a finite sum may still overflow: then the
        // full check at the end decides).
        if (!FiniteView.allFinite(x, y, bound(1, every, n))) return -1;
        boolean suspect = false;
        int k = 0;
        out[k++] = 0;
        int a = 0;
        // A bucket's sum is one chain of dependent adds in the reference's order, so it runs at add latency; the sums
        // of four buckets are independent chains, and interleaved in one loop they run at memory speed instead. The
        // four buckets then stay in L2 for their area scans. Bucket i's sums and count sit in x0, y0, c0.
        double x0 = 0, y0 = 0, x1 = 0, y1 = 0, x2 = 0, y2 = 0, x3 = 0, y3 = 0;
        int c0 = 0, c1 = 0, c2 = 0, c3 = 0, ready = 0;
        for (int i = 0; i < buckets; i++) {
            if (ready == 0 && buckets - i >= 4) {
                int s0 = bound(i + 1, every, n), s1 = bound(i + 2, every, n), s2 = bound(i + 3, every, n);
                int s3 = bound(i + 4, every, n), s4 = bound(i + 5, every, n);
                c0 = s1 - s0;
                c1 = s2 - s1;
                c2 = s3 - s2;
                c3 = s4 - s3;
                int common = Math.min(Math.min(c0, c1), Math.min(c2, c3));
                x0 = y0 = x1 = y1 = x2 = y2 = x3 = y3 = 0;
                for (int j = 0; j < common; j++) {
                    x0 += x[s0 + j];
                    y0 += y[s0 + j];
                    x1 += x[s1 + j];
                    y1 += y[s1 + j];
                    x2 += x[s2 + j];
                    y2 += y[s2 + j];
                    x3 += x[s3 + j];
                    y3 += y[s3 + j];
                }
                for (int j = s0 + common; j < s1; j++) {
                    x0 += x[j];
                    y0 += y[j];
                }
                for (int j = s1 + common; j < s2; j++) {
                    x1 += x[j];
                    y1 += y[j];
                }
                for (int j = s2 + common; j < s3; j++) {
                    x2 += x[j];
                    y2 += y[j];
                }
                for (int j = s3 + common; j < s4; j++) {
                    x3 += x[j];
                    y3 += y[j];
                }
                suspect |= !Double.isFinite(x0 + y0 + x1 + y1 + x2 + y2 + x3 + y3);
                ready = 4;
            } else if (ready == 0) {
                int avgStart = bound(i + 1, every, n), avgEnd = bound(i + 2, every, n);
                x0 = y0 = 0;
                for (int j = avgStart; j < avgEnd; j++) {
                    x0 += x[j];
                    y0 += y[j];
                }
                c0 = avgEnd - avgStart;
                suspect |= !Double.isFinite(x0 + y0);
                ready = 1;
            }
            a = out[k++] = largest(x, y, bound(i, every, n), bound(i + 1, every, n), x[a], y[a], x0 / c0, y0 / c0);
            x0 = x1;
            y0 = y1;
            c0 = c1;
            x1 = x2;
            y1 = y2;
            c1 = c2;
            x2 = x3;
            y2 = y3;
            c2 = c3;
            ready--;
        }
        out[k++] = n - 1;
        return suspect && !FiniteView.allFinite(x, y, n) ? -1 : k;
    }

    /** floor(m*every)+1 as the reference computes it, capped at n (only the last averaged range reaches the cap). */
    private static int bound(int m, double every, int n) {
        int b = (int) Math.floor(m * every) + 1;
        return b < n ? b : n;
    }

    /**
     * The first candidate in [from, to) with the largest area {@code |(ax-cx)*(y-ay) - (ax-x)*(cy-ay)| * 0.5}, as the
     * reference's strict-&gt; scan finds it: a NaN area never wins, and when all are NaN (finite values whose products
     * overflow, where the reference would keep a stale point) the first candidate is kept.
     * <p>That scan costs a compare-and-branch per candidate, and C2 does not vectorise a double max reduction; it
     * does vectorise a long one. So each block first gets the bound {@code max (long)(u * h)} over its candidates,
     * u = |...| computed exactly as for the area. {@code u -> (long)(u * h)} is monotone, so a block whose bound is
     * below the best candidate's holds no larger area and is skipped; the rest are compared exactly, in order. h is
     * rescaled to the best so far after each exact pass, so bounds resolve areas to 2^-40 of it.
     */
    private static int largest(double[] x, double[] y, int from, int to, double ax, double ay, double cx, double cy) {
        double dx = ax - cx, dy = cy - ay;
        double best = -1, h = 0;
        int at = from;
        long bar = -1; // the best candidate's bound; none yet
        for (int s = from, e; s < to; s = e) {
            e = to - s > BLOCK ? s + BLOCK : to;
            if (bar >= 0) {
                long m = 0;
                for (int j = s; j < e; j++) m = Math.max(m, (long) (Math.abs(dx * (y[j] - ay) - (ax - x[j]) * dy) * h));
                // Bound 0 with best 0 means h is infinite: every u in the block is 0 or NaN and cannot beat it.
                if (m < bar || m == 0 && best == 0) continue;
            }
            for (int j = s; j < e; j++) {
                double area = Math.abs(dx * (y[j] - ay) - (ax - x[j]) * dy) * 0.5;
                if (area > best) {
                    best = area;
                    at = j;
                }
            }
            if (best >= 0) {
                double u = Math.abs(dx * (y[at] - ay) - (ax - x[at]) * dy);
                h = SCALE / u; // u = 0 gives h = infinity, u = infinity gives 0: still monotone, only coarse
                bar = (long) (u * h);
            }
        }
        return at;
    }
}
