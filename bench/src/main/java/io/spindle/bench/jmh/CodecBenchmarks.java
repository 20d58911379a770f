package io.spindle.bench.jmh;

import io.spindle.bench.BenchData;
import io.spindle.codec.SampleBatch;
import io.spindle.codec.SampleBatchCodec;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link SampleBatchCodec} versions 1, 2 and 3 on one 4,096-sample batch, in samples per second:
 * {@code vibration} (BenchData's 20 kHz accelerometer, full-precision doubles: XOR values), {@code adc} (the same
 * shape as a 16-bit ADC's codes / 3276.8, 50 µs ± 100 ns jitter) and {@code cnc} (a CNC control's axis position: 4
 * decimals, sampled every 300-400 ms of a millisecond clock that runs 0.071 % fast, stamped in 100 ns with sub-µs
 * jitter, as in the Okuma log: the tick and decimal modes). Each trial prints the bytes per sample of its version.
 * Run with {@code java -jar bench/target/benchmarks.jar CodecBenchmarks} (add {@code -p version=3} for one version).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmarks {
    static final int SAMPLES = 4096;

    @Param({"1", "2", "3"})
    public int version;

    @Param({"vibration", "adc", "cnc"})
    public String data;

    private final long[] t = new long[SAMPLES];
    private final double[] v = new double[SAMPLES];
    private byte[] encoded;
    private SampleBatchCodec codec;
    private final SampleBatch batch = new SampleBatch(SAMPLES);

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom r = new SplittableRandom(1);
        switch (data) {
            case "vibration" -> {
                BenchData d = BenchData.generate(SAMPLES);
                System.arraycopy(d.t(), 0, t, 0, SAMPLES);
                System.arraycopy(d.y(), 0, v, 0, SAMPLES);
            }
            case "adc" -> {
                long now = 1_767_000_000_000_000_000L;
                for (int i = 0; i < SAMPLES; i++) {
                    t[i] = now += 50_000 + r.nextInt(201) - 100;
                    v[i] = Math.round((2.4 * Math.sin(i * 0.07) + r.nextGaussian() * 0.01) * 3276.8) / 3276.8;
                }
            }
            case "cnc" -> {
                long ms = 0;
                double pos = 269.0133;
                for (int i = 0; i < SAMPLES; i++) {
                    ms += 300 + r.nextInt(101);
                    long jitter = r.nextInt(4) == 0 ? 400 : 0;
                    t[i] = 1_659_966_694_716_714_600L + Math.round(ms * 1_000_710.76 / 100) * 100 + jitter;
                    pos += Math.sin(i * 0.05) * 30 + r.nextInt(21) - 10;
                    v[i] = Math.round(pos * 10_000) / 10_000.0;
                }
            }
            default -> throw new IllegalArgumentException("unknown data " + data);
        }
        codec = new SampleBatchCodec(version);
        encoded = codec.encodeToArray("okuma-p229810/Z1actw", t, v, 0, SAMPLES);
        System.out.printf("%n%s, version %d: %.3f bytes/sample%n", data, version, (double) encoded.length / SAMPLES);
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public int encode() {
        return codec.encode("okuma-p229810/Z1actw", t, v, 0, SAMPLES);
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public int decode() {
        SampleBatchCodec.decode(encoded, batch);
        return batch.count();
    }
}
