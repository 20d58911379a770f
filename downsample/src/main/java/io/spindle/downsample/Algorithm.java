package io.spindle.downsample;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The batch point selectors by name. All keep real samples only (indices, ascending, each once), skip non-finite
 * points, keep everything for threshold 0 or threshold &gt;= n, and keep the first and last point otherwise.
 */
public enum Algorithm {
    LTTB("lttb") {
        @Override
        public int select(double[] x, double[] y, int n, int threshold, int[] out) {
            return Lttb.select(x, y, n, threshold, out);
        }
    },
    MINMAXLTTB("minmaxlttb") {
        @Override
        public int select(double[] x, double[] y, int n, int threshold, int[] out) {
            return MinMaxLttb.select(x, y, n, threshold, out);
        }
    },
    M4("m4") {
        @Override
        public int select(double[] x, double[] y, int n, int threshold, int[] out) {
            return io.spindle.downsample.M4.select(x, y, n, threshold, out);
        }
    },
    MINMAX("minmax") {
        @Override
        public int select(double[] x, double[] y, int n, int threshold, int[] out) {
            return MinMax.select(x, y, n, threshold, out);
        }
    };

    private final String id;

    Algorithm(String id) {
        this.id = id;
    }

    /** Writes the kept indices of x,y[0..n), ascending, into out (see {@link #maxOutput}); returns how many. */
    public abstract int select(double[] x, double[] y, int n, int threshold, int[] out);

    /** The name used on the command line and in queries. */
    public String id() {
        return id;
    }

    /** The algorithm with this id (case-insensitive). */
    public static Algorithm byId(String id) {
        if (id != null) {
            String key = id.trim().toLowerCase(Locale.ROOT);
            for (Algorithm a : values()) if (a.id.equals(key)) return a;
        }
        throw new IllegalArgumentException("unknown downsampling algorithm '" + id + "'; valid: "
                + Arrays.stream(values()).map(Algorithm::id).collect(Collectors.joining(", ")));
    }

    /** How many indices any algorithm may write for n points and this threshold: size out with it. */
    public static int maxOutput(int n, int threshold) {
        return Inputs.maxOutput(n, threshold);
    }
}
