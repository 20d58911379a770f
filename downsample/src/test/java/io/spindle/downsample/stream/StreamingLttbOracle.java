package io.spindle.downsample.stream;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The streaming LTTB semantics written the slow, obvious way: keep every sample, sort, and compute the selection
 * from scratch with exact (BigDecimal) areas over every candidate. Used only to check {@link StreamingLttb}.
 */
final class StreamingLttbOracle {
    record Sample(long t, double v, long arrival) {
    }

    record Point(long t, double v) {
    }

    private final StreamConfig cfg;
    private final List<Sample> buffer = new ArrayList<>();
    private final List<Sample> released = new ArrayList<>();
    private final List<Point> flushedOutput = new ArrayList<>();
    private long floor = Long.MIN_VALUE, maxT = Long.MIN_VALUE, arrivals;
    long late, invalid, accepted, forced;

    StreamingLttbOracle(StreamConfig cfg) {
        this.cfg = cfg;
    }

    void add(long t, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            invalid++;
            return;
        }
        if (t < floor) {
            late++;
            return;
        }
        accepted++;
        maxT = Math.max(maxT, t);
        buffer.add(new Sample(t, v, arrivals++));
        buffer.sort(Comparator.comparingLong(Sample::t).thenComparingLong(Sample::arrival));
        long f = maxT - cfg.latenessNanos() > maxT ? Long.MIN_VALUE : maxT - cfg.latenessNanos();
        if (f > floor) {
            while (!buffer.isEmpty() && buffer.get(0).t() < f) released.add(buffer.remove(0));
            floor = f;
        }
        if (buffer.size() > cfg.reorderCap()) {
            Sample s = buffer.remove(0);
            released.add(s);
            forced++;
            floor = Math.max(floor, s.t());
        }
    }

    void flush() {
        released.addAll(buffer);
        buffer.clear();
        flushedOutput.addAll(select(released, Long.MAX_VALUE, true));
        released.clear();
        floor = Math.max(floor, maxT);
    }

    /** Every point decided so far: what the streaming engine must have emitted by now, no more, no less. */
    List<Point> decided() {
        List<Point> out = new ArrayList<>(flushedOutput);
        out.addAll(select(released, floor, false));
        return out;
    }

    private long bucket(long t) {
        return Math.floorDiv(t, cfg.bucketNanos());
    }

    private long end(long bucket) {
        return (bucket + 1) * cfg.bucketNanos();
    }

    private List<Point> select(List<Sample> r, long f, boolean fin) {
        List<List<Sample>> segments = new ArrayList<>();
        for (Sample s : r) {
            if (segments.isEmpty()) segments.add(new ArrayList<>());
            List<Sample> seg = segments.get(segments.size() - 1);
            if (!seg.isEmpty() && bucket(s.t()) - bucket(seg.get(seg.size() - 1).t()) - 1 >= cfg.gapBuckets()) {
                seg = new ArrayList<>();
                segments.add(seg);
            }
            seg.add(s);
        }
        List<Point> out = new ArrayList<>();
        for (int si = 0; si < segments.size(); si++) {
            List<Sample> seg = segments.get(si);
            Sample first = seg.get(0), last = seg.get(seg.size() - 1);
            boolean ended = fin || si < segments.size() - 1
                    || f >= end(bucket(last.t())) + cfg.gapBuckets() * cfg.bucketNanos();
            out.add(new Point(first.t(), first.v()));
            Point a = out.get(out.size() - 1);
            List<List<Sample>> groups = new ArrayList<>();
            for (Sample s : seg) {
                if (groups.isEmpty() || bucket(groups.get(groups.size() - 1).get(0).t()) != bucket(s.t()))
                    groups.add(new ArrayList<>());
                groups.get(groups.size() - 1).add(s);
            }
            for (int j = 0; j < groups.size(); j++) {
                boolean lastGroup = j == groups.size() - 1;
                boolean decided = lastGroup ? ended : (fin || f >= end(bucket(groups.get(j + 1).get(0).t())));
                if (!decided) return out;
                List<Sample> candidates = new ArrayList<>(groups.get(j));
                candidates.remove(first);
                if (ended) candidates.remove(last);
                if (candidates.isEmpty()) continue;
                double cxr, cyr;
                if (lastGroup) {
                    cxr = (double) (last.t() - a.t());
                    cyr = last.v() - a.v();
                } else {
                    List<Sample> next = groups.get(j + 1);
                    long start = bucket(next.get(0).t()) * cfg.bucketNanos();
                    // four lanes by position in the bucket, combined pairwise (the engine's definition of the sum)
                    double[] sumDt = new double[4], sumV = new double[4];
                    for (int k = 0; k < next.size(); k++) {
                        sumDt[k & 3] += (double) (next.get(k).t() - start);
                        sumV[k & 3] += next.get(k).v();
                    }
                    long n = next.size();
                    cxr = (double) (start - a.t()) + ((sumDt[0] + sumDt[1]) + (sumDt[2] + sumDt[3])) / n;
                    cyr = ((sumV[0] + sumV[1]) + (sumV[2] + sumV[3])) / n - a.v();
                }
                Sample best = null;
                BigDecimal bestArea = null;
                for (Sample c : candidates) { // in (time, arrival) order, so strict > keeps the earliest
                    BigDecimal area = BigDecimal.valueOf(c.t() - a.t()).multiply(new BigDecimal(cyr))
                            .subtract(new BigDecimal(cxr).multiply(new BigDecimal(c.v()).subtract(new BigDecimal(a.v()))))
                            .abs();
                    if (bestArea == null || area.compareTo(bestArea) > 0) {
                        bestArea = area;
                        best = c;
                    }
                }
                a = new Point(best.t(), best.v());
                out.add(a);
            }
            if (ended && seg.size() > 1) out.add(new Point(last.t(), last.v()));
        }
        return out;
    }
}
