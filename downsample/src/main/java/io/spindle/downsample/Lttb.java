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
 *   <li>x should be non-decreasing; if it is not the result is meaningless but the call still returns real,
 *       ascending sample indices.</li>
 * </ul>
 */
public final class Lttb {
    private Lttb() {
    }

    /** Writes the kept indices of x,y[0..n), ascending, into out (see Algorithm.maxOutput); returns how many. */
    public static int select(double[] x, double[] y, int n, int threshold, int[] out) {
        Inputs.series(x, y, n);
        Inputs.out(out, Inputs.maxOutput(n, threshold));
        int k = kernel(x, y, n, threshold, out);
        if (k >= 0) return k;
        FiniteView v = FiniteView.of(x, y, n);
        return v.toOriginal(out, kernel(v.x, v.y, v.n, threshold, out));
    }

    /** The kept indices of the whole series x,y, ascending. */
    public static int[] select(double[] x, double[] y, int threshold) {
        Inputs.sameLength(x, y);
        int[] out = new int[Inputs.maxOutput(x.length, threshold)];
        return Arrays.copyOf(out, select(x, y, x.length, threshold, out));
    }

    /** The reference algorithm; -1 when x or y holds a non-finite value in [0, n). */
    static int kernel(double[] x, double[] y, int n, int threshold, int[] out) {
        if (threshold >= n || threshold == 0) return FiniteView.allFinite(x, y, n) ? Inputs.all(n, out) : -1;
        if (threshold <= 2) return FiniteView.allFinite(x, y, n) ? Inputs.ends(n, out) : -1;
        int k = 0;
        out[k++] = 0;
        // Mirrors the reference: double division, floor of (i+1)*every in doubles, sums then one division.
        double every = (double) (n - 2) / (threshold - 2);
        // The averaged ranges tile [floor(every)+1, n); a sum is finite only if all its terms are, so checking the
        // sums and the points before the first range covers every point (a finite sum may still overflow: then the
        // exact scan below decides).
        if (!FiniteView.allFinite(x, y, (int) Math.floor(every) + 1)) return -1;
        boolean suspect = false;
        int a = 0;
        for (int i = 0; i < threshold - 2; i++) {
            int avgStart = (int) Math.floor((i + 1) * every) + 1;
            int avgEnd = (int) Math.floor((i + 2) * every) + 1;
            avgEnd = avgEnd < n ? avgEnd : n;
            int avgLength = avgEnd - avgStart;
            double avgX = 0, avgY = 0;
            for (int j = avgStart; j < avgEnd; j++) {
                avgX += x[j];
                avgY += y[j];
            }
            suspect |= !Double.isFinite(avgX) | !Double.isFinite(avgY);
            avgX /= avgLength;
            avgY /= avgLength;

            int from = (int) Math.floor(i * every) + 1;
            int to = (int) Math.floor((i + 1) * every) + 1;
            double ax = x[a], ay = y[a];
            double maxArea = -1;
            // The reference keeps a stale point when every area is NaN (overflowing finite values); the bucket's
            // first candidate keeps the output a set of real, ascending samples instead, and changes nothing else.
            int next = from;
            for (int j = from; j < to; j++) {
                double area = Math.abs((ax - avgX) * (y[j] - ay) - (ax - x[j]) * (avgY - ay)) * 0.5;
                if (area > maxArea) {
                    maxArea = area;
                    next = j;
                }
            }
            out[k++] = next;
            a = next;
        }
        out[k++] = n - 1;
        return suspect && !FiniteView.allFinite(x, y, n) ? -1 : k;
    }
}
