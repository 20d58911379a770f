package io.spindle.bench.jmh;

import io.spindle.bench.BenchData;
import io.spindle.downsample.stream.StreamConfig;
import io.spindle.downsample.stream.StreamingLttb;
import io.spindle.wasm.Component;
import io.spindle.wasm.ComponentRuntime;
import io.spindle.wasm.ConfigCapability;
import io.spindle.wasm.Emitted;
import io.spindle.wasm.Grants;
import io.spindle.wasm.ProcessorInstance;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One 4,096-sample batch through the streaming LTTB: the Java engine, the LTTB component, and the passthrough
 * component (which measures the canonical ABI alone: lowering two columns, lifting them back). The stream continues
 * across invocations (times keep growing), as in a host. Scores are microseconds per batch. Run from the repository
 * root (the components are read from {@code components/}) with
 * {@code java -jar bench/target/benchmarks.jar ComponentBenchmarks}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class ComponentBenchmarks {

    @Param("4096")
    public int batch;

    /** Samples per bucket, so that a batch closes a few buckets. */
    @Param("1000")
    public int perBucket;

    private long[] t;
    private double[] v;
    private long step;
    private StreamingLttb java;
    private ProcessorInstance lttb, passthrough;
    private final Emitted out = new Emitted();

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        BenchData data = BenchData.generate(batch);
        t = data.t();
        v = data.y();
        step = (long) batch * BenchData.STEP_NANOS;
        long bucket = (long) perBucket * BenchData.STEP_NANOS;
        java = new StreamingLttb(StreamConfig.of(bucket), (time, value) -> { });
        ComponentRuntime rt = new ComponentRuntime();
        Grants grants = Grants.of(new ConfigCapability(Map.of("bucket-nanos", Long.toString(bucket))));
        Path root = Path.of(System.getProperty("spindle.root", "."));
        Component l = rt.load(root.resolve("components/lttb/lttb.wasm"));
        Component p = rt.load(root.resolve("components/passthrough/passthrough.wasm"));
        lttb = rt.instantiate(l, grants);
        passthrough = rt.instantiate(p, grants);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        lttb.close();
        passthrough.close();
    }

    private void advance() {
        for (int i = 0; i < batch; i++) t[i] += step;
    }

    @Benchmark
    public long javaEngine() {
        advance();
        java.add(t, v, 0, batch);
        return java.watermark();
    }

    @Benchmark
    public int wasmLttb() {
        advance();
        lttb.process("s", t, v, 0, batch, out);
        return out.size();
    }

    @Benchmark
    public int wasmPassthroughAbiOnly() {
        advance();
        passthrough.process("s", t, v, 0, batch, out);
        return out.size();
    }
}
