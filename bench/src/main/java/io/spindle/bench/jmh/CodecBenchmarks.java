package io.spindle.bench.jmh;

import io.spindle.codec.SampleBatch;
import io.spindle.codec.SampleBatchCodec;
import java.util.Random;
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

/**
 * {@link SampleBatchCodec} on one 4,096-sample batch of a 20 kHz series: {@code quantised} values (a 16-bit ADC's
 * codes scaled, the XOR encoding wins) or {@code full} precision doubles (raw values). Scores are µs per batch; run with
 * {@code java -jar bench/target/benchmarks.jar CodecBenchmarks}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmarks {
    @Param("4096")
    public int samples;

    @Param({"quantised", "full"})
    public String values;

    private long[] t;
    private double[] v;
    private byte[] encoded;
    private final SampleBatchCodec codec = new SampleBatchCodec();
    private final SampleBatch batch = new SampleBatch();

    @Setup(Level.Trial)
    public void setUp() {
        Random r = new Random(1);
        t = new long[samples];
        v = new double[samples];
        long now = 1_767_000_000_000_000_000L;
        for (int i = 0; i < samples; i++) {
            t[i] = now += 50_000 + r.nextInt(201) - 100;
            double x = 2.4 * Math.sin(i * 0.07) + r.nextGaussian() * 0.01;
            v[i] = values.equals("quantised") ? Math.round(x * 3276.8) / 3276.8 : x;
        }
        encoded = codec.encodeToArray("spindle.vib.x", t, v, 0, samples);
    }

    @Benchmark
    public int encode() {
        return codec.encode("spindle.vib.x", t, v, 0, samples);
    }

    @Benchmark
    public int decode() {
        SampleBatchCodec.decode(encoded, batch);
        return batch.count();
    }
}
