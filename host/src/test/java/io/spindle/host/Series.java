package io.spindle.host;

import io.spindle.downsample.stream.PointSink;
import io.spindle.downsample.stream.StreamConfig;
import io.spindle.downsample.stream.StreamingLttb;
import io.spindle.codec.SampleBatch;
import io.spindle.codec.SampleBatchCodec;
import io.spindle.lattice.transport.DurableStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Test data for the data path: machine series in batches, what the Java streaming engine makes of them, and the
 * de-duplication rule for what a component published (first occurrence of each (series, t) wins; a repeat must
 * carry the same value). Public: the deploy module's tests use it through this module's test-jar.
 */
public final class Series {
    private Series() {
    }

    /** One batch of one series, as published on subject. */
    public record Batch(String subject, String series, long[] t, double[] v) {
    }

    /** A point of a series. */
    public record Point(long t, double v) {
    }

    /**
     * count batches of n samples for each series, interleaved: a random walk sampled every ~100 µs with jitter, a few
     * samples slightly out of order, and an outage (a gap of 20 ms) now and then.
     */
    public static List<Batch> batches(long seed, String subjectPrefix, List<String> series, int count, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, long[]> clock = new LinkedHashMap<>();
        Map<String, double[]> level = new LinkedHashMap<>();
        for (String s : series) {
            clock.put(s, new long[] {1_700_000_000_000_000_000L});
            level.put(s, new double[] {r.nextDouble() * 100});
        }
        List<Batch> out = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            for (String s : series) {
                long[] t = new long[n];
                double[] v = new double[n];
                long now = clock.get(s)[0];
                double x = level.get(s)[0];
                for (int i = 0; i < n; i++) {
                    now += 90_000 + r.nextLong(20_000);
                    if (r.nextInt(5000) == 0) now += 20_000_000;
                    x += r.nextGaussian();
                    t[i] = now;
                    v[i] = Math.rint(x * 100) / 100;
                    if (i > 0 && r.nextInt(200) == 0) { // a little reordering, within the lateness
                        long tmp = t[i];
                        t[i] = t[i - 1];
                        t[i - 1] = tmp;
                    }
                }
                clock.get(s)[0] = now;
                level.get(s)[0] = x;
                out.add(new Batch(subjectPrefix + "." + s.replace('/', '-'), s, t, v));
            }
        }
        return out;
    }

    /** What the Java streaming engine emits (no flush) for each series given these batches in order. */
    public static Map<String, List<Point>> javaEngine(List<Batch> batches, long bucketNanos) {
        Map<String, List<Point>> out = new LinkedHashMap<>();
        Map<String, StreamingLttb> engines = new LinkedHashMap<>();
        for (Batch b : batches) {
            List<Point> pts = out.computeIfAbsent(b.series(), k -> new ArrayList<>());
            StreamingLttb e = engines.computeIfAbsent(b.series(), k -> new StreamingLttb(StreamConfig.of(bucketNanos), new PointSink() {
                @Override
                public void accept(long t, double v) {
                    pts.add(new Point(t, v));
                }
            }));
            e.add(b.t(), b.v(), 0, b.t().length);
        }
        return out;
    }

    /** Publishes batches into the stream; returns the last sequence. */
    public static long publish(DurableStream ds, List<Batch> batches) {
        SampleBatchCodec codec = new SampleBatchCodec();
        long seq = 0;
        for (Batch b : batches) seq = ds.publish(b.subject(), codec.encodeToArray(b.series(), b.t(), b.v(), 0, b.t().length));
        return seq;
    }

    /** Everything in the stream (subjects: all) up to its last sequence whose subject starts with prefix, decoded, in order. */
    public static List<Map.Entry<String, List<Point>>> read(DurableStream ds, String all, String prefix) throws Exception {
        long last = ds.lastSequence();
        List<Map.Entry<String, List<Point>>> got = new ArrayList<>();
        if (last == 0) return got;
        CountDownLatch done = new CountDownLatch(1);
        SampleBatch sb = new SampleBatch();
        AutoCloseable c = ds.consume(all, 1, (seq, subject, data) -> {
            if (seq > last) return;
            if (subject.startsWith(prefix)) {
                SampleBatchCodec.decode(data, sb);
                List<Point> pts = new ArrayList<>();
                for (int i = 0; i < sb.count(); i++) pts.add(new Point(sb.time(i), sb.value(i)));
                got.add(Map.entry(sb.series(), pts));
            }
            if (seq == last) done.countDown();
        });
        try {
            if (!done.await(20, TimeUnit.SECONDS)) throw new AssertionError("stream not read up to " + last + " within 20 s");
        } finally {
            c.close();
        }
        return got;
    }

    /** Dedupe rule: per series, the first occurrence of each t is kept; a repeat with another value is an error. */
    public static Map<String, List<Point>> dedupe(List<Map.Entry<String, List<Point>>> published, int[] duplicates) {
        Map<String, List<Point>> out = new LinkedHashMap<>();
        Map<String, Map<Long, Double>> seen = new LinkedHashMap<>();
        for (Map.Entry<String, List<Point>> e : published) {
            Map<Long, Double> s = seen.computeIfAbsent(e.getKey(), k -> new java.util.HashMap<>());
            List<Point> pts = out.computeIfAbsent(e.getKey(), k -> new ArrayList<>());
            for (Point p : e.getValue()) {
                Double prev = s.putIfAbsent(p.t(), p.v());
                if (prev == null) {
                    pts.add(p);
                } else {
                    duplicates[0]++;
                    if (Double.doubleToRawLongBits(prev) != Double.doubleToRawLongBits(p.v()))
                        throw new AssertionError("series " + e.getKey() + " t=" + p.t() + " was emitted with " + prev + " and again with " + p.v());
                }
            }
        }
        return out;
    }
}
