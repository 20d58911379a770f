package io.spindle.downsample;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Slow, obvious versions of the bucket selectors on FINITE input with x in any order, written from their definitions
 * (per-bucket lists), to check the one-pass implementations against.
 */
final class Oracles {
    private Oracles() {
    }

    static int bucket(double x, double x0, double xLast, int buckets) {
        double t = (x - x0) / (xLast - x0) * buckets;
        int b = (int) t;
        return Math.max(0, Math.min(buckets - 1, b));
    }

    /** Per bucket: indices in index order. */
    static List<List<Integer>> buckets(double[] x, int from, int to, double x0, double xLast, int buckets) {
        List<List<Integer>> bs = new ArrayList<>();
        for (int b = 0; b < buckets; b++) bs.add(new ArrayList<>());
        for (int i = from; i < to; i++) bs.get(bucket(x[i], x0, xLast, buckets)).add(i);
        return bs;
    }

    static int argMin(double[] y, List<Integer> idx) {
        int best = idx.get(0);
        for (int i : idx) if (y[i] < y[best]) best = i;
        return best;
    }

    static int argMax(double[] y, List<Integer> idx) {
        int best = idx.get(0);
        for (int i : idx) if (y[i] > y[best]) best = i;
        return best;
    }

    static int[] all(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }

    static int[] ends(int n) {
        return n == 1 ? new int[] {0} : new int[] {0, n - 1};
    }

    static int[] m4Buckets(double[] x, double[] y, int n, int buckets) {
        TreeSet<Integer> s = new TreeSet<>();
        if (n == 0) return new int[0];
        for (List<Integer> b : buckets(x, 0, n, x[0], x[n - 1], buckets)) {
            if (b.isEmpty()) continue;
            s.add(b.get(0));
            s.add(b.get(b.size() - 1));
            s.add(argMin(y, b));
            s.add(argMax(y, b));
        }
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    static int[] m4(double[] x, double[] y, int n, int threshold) {
        if (threshold == 0 || threshold >= n) return all(n);
        if (threshold < 4) return ends(n);
        return m4Buckets(x, y, n, threshold / 4);
    }

    static int[] minMax(double[] x, double[] y, int n, int threshold) {
        if (threshold == 0 || threshold >= n) return all(n);
        if (threshold < 4) return ends(n);
        TreeSet<Integer> s = new TreeSet<>(List.of(0, n - 1));
        for (List<Integer> b : buckets(x, 0, n, x[0], x[n - 1], (threshold - 2) / 2)) {
            if (b.isEmpty()) continue;
            s.add(argMin(y, b));
            s.add(argMax(y, b));
        }
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Preselection as in tsdownsample (interior, equal-width x bins with right-closed edges x1 + step·(b+1), min and
     * max in index order), then LTTB. x must be sorted.
     */
    static int[] minMaxLttb(double[] x, double[] y, int n, int threshold, int ratio) {
        if (threshold == 0 || threshold >= n || threshold <= 2 || n <= (long) threshold * ratio) {
            return Lttb.select(java.util.Arrays.copyOf(x, n), java.util.Arrays.copyOf(y, n), threshold);
        }
        int bins = threshold * ratio / 2;
        double step = x[n - 2] / bins - x[1] / bins;
        List<List<Integer>> bs = new ArrayList<>();
        for (int b = 0; b < bins; b++) bs.add(new ArrayList<>());
        for (int i = 1; i < n - 1; i++) {
            int b = 0;
            while (b < bins - 1 && !(x[i] <= x[1] + step * (b + 1))) b++;
            bs.get(b).add(i);
        }
        List<Integer> pre = new ArrayList<>(List.of(0));
        for (List<Integer> b : bs) {
            if (b.isEmpty()) continue;
            int lo = argMin(y, b), hi = argMax(y, b);
            pre.add(Math.min(lo, hi));
            if (lo != hi) pre.add(Math.max(lo, hi));
        }
        pre.add(n - 1);
        double[] px = new double[pre.size()], py = new double[pre.size()];
        for (int j = 0; j < pre.size(); j++) {
            px[j] = x[pre.get(j)];
            py[j] = y[pre.get(j)];
        }
        return java.util.Arrays.stream(Lttb.select(px, py, threshold)).map(pre::get).sorted().toArray();
    }
}
