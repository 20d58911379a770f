package io.spindle.bench.jmh;

import io.spindle.bench.BenchData;
import io.spindle.bench.DownsampleBench;
import io.spindle.downsample.Algorithm;
import io.spindle.downsample.stream.StreamConfig;
import io.spindle.downsample.stream.StreamingLttb;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One pass of each downsampler over {@link BenchData} (default 1,000,000 samples to 2,000 points); run with
 * {@code java -jar bench/target/benchmarks.jar DownsampleBenchmarks}. Scores are ms per pass.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class DownsampleBenchmarks {

    @Param("1000000")
    public int points;

    @Param("2000")
    public int threshold;

    private long[] t;
    private double[] x;
    private double[] y;
    private int[] out;
    private StreamConfig streamConfig;

    @Setup(Level.Trial)
    public void setUp() {
        BenchData data = BenchData.generate(points);
        t = data.t();
        x = data.x();
        y = data.y();
        out = new int[Algorithm.maxOutput(points, threshold)];
        long span = (long) points * BenchData.STEP_NANOS;
        streamConfig = StreamConfig.of(Math.max(1, (span + threshold - 1) / threshold));
    }

    @Benchmark
    public int lttb() {
        return Algorithm.LTTB.select(x, y, points, threshold, out);
    }

    @Benchmark
    public int minmaxlttb() {
        return Algorithm.MINMAXLTTB.select(x, y, points, threshold, out);
    }

    @Benchmark
    public int m4() {
        return Algorithm.M4.select(x, y, points, threshold, out);
    }

    @Benchmark
    public int minmax() {
        return Algorithm.MINMAX.select(x, y, points, threshold, out);
    }

    @Benchmark
    public void streaming_lttb(Blackhole bh) {
        StreamingLttb engine = new StreamingLttb(streamConfig, (tn, v) -> bh.consume(tn));
        int chunk = DownsampleBench.STREAM_CHUNK;
        for (int from = 0; from < points; from += chunk) engine.add(t, y, from, Math.min(points, from + chunk));
        engine.flush();
    }

    @Benchmark
    public double sum_pass() {
        // Four accumulators, as in the harness: a single dependent chain would time add latency, not memory.
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < points; i += 4) {
            s0 += y[i];
            s1 += y[i + 1];
            s2 += y[i + 2];
            s3 += y[i + 3];
        }
        for (; i < points; i++) s0 += y[i];
        return (s0 + s1) + (s2 + s3);
    }
}
