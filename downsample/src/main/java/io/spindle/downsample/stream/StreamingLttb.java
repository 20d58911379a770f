package io.spindle.downsample.stream;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Streaming Largest-Triangle-Three-Buckets over one series of (epoch-ns time, value) samples, on the absolute time
 * grid {@code [k·Δ, (k+1)·Δ)}. Semantics (the module README states them in full):
 * <ul>
 *   <li>A watermark trails the newest accepted time by the allowed lateness; a sample older than the watermark is
 *       late: refused, counted, never silently lost from the counts. Accepted samples are processed in
 *       (time, arrival) order once the watermark passes them.</li>
 *   <li>A segment is a run of samples without a gap (gapBuckets empty buckets in a row). Its first and last samples
 *       are emitted, like batch LTTB's first and last points, and a gap is never bridged.</li>
 *   <li>Each non-empty bucket of a segment emits the candidate with the largest triangle (previous emitted point,
 *       candidate, mean of the next non-empty bucket), earliest on exact ties; the last bucket of a segment uses the
 *       segment's last sample as third vertex. Candidates exclude the segment's first and last samples.</li>
 *   <li>A bucket's point is emitted as soon as the next non-empty bucket closes (or its segment ends): emitted points
 *       are final.</li>
 * </ul>
 * Memory per series is bounded by {@link StreamConfig#reorderCap()} and {@link StreamConfig#hullCap()} whatever the
 * input rate. The whole state snapshots to bytes and restores: a stream cut anywhere and continued elsewhere emits
 * exactly what an uninterrupted run emits. Not thread-safe: one series, one thread at a time.
 */
public final class StreamingLttb {
    private static final int MAGIC = 0x534C5442; // "SLTB"
    private static final int VERSION = 1;

    private final StreamConfig cfg;
    private final long delta;
    private final long lateness;
    private final long gapSpan;
    private final PointSink sink;
    private PointSink released; // optional: sees every accepted sample once, in processing order

    // Acceptance: samples with t < floor are late. floor only grows.
    private long floor = Long.MIN_VALUE;
    private long maxT = Long.MIN_VALUE;
    // Reorder buffer, sorted by (time, arrival), live range [rHead, rTail).
    private long[] rt;
    private double[] rv;
    private int rHead, rTail;

    // The current segment: A is the last emitted point.
    private boolean inSegment;
    private long aT;
    private double aV;
    // The current bucket; its newest sample is held apart as "pending" because it may turn out to be the segment's
    // last sample, which is not a candidate.
    private long curStart, curEnd;
    private boolean curClosed;
    private BucketHull cur, wait;
    private boolean hasWait;
    private boolean hasPending;
    private long pT;
    private double pV;
    private int pSeq, seq;
    // The bucket's sums of time offsets and values in four lanes by position (k mod 4), so the adds of a run are
    // four independent chains instead of one latency-bound chain; lanes are combined pairwise at the mean.
    private final double[] sumDt = new double[4], sumV = new double[4];
    private long count;

    private long accepted, late, invalid, emitted, forced, compactions;
    private long lastLate = Long.MIN_VALUE;

    /** A fresh series with the given settings, emitting into sink. */
    public StreamingLttb(StreamConfig config, PointSink sink) {
        this.cfg = config;
        this.delta = config.bucketNanos();
        this.lateness = config.latenessNanos();
        this.gapSpan = config.gapBuckets() * config.bucketNanos();
        this.sink = sink;
        int initial = (int) Math.min(64L, config.reorderCap() + 1L);
        this.rt = new long[initial];
        this.rv = new double[initial];
        this.cur = new BucketHull(config.hullCap());
        this.wait = new BucketHull(config.hullCap());
    }

    /**
     * Also hands every accepted sample to listener once the watermark has passed it, in (time, arrival) order, with
     * {@link PointSink#segmentStart()} before each segment's first sample: the raw series as the selection saw it.
     */
    public void onReleased(PointSink listener) {
        this.released = listener;
    }

    /** The settings of this series. */
    public StreamConfig config() {
        return cfg;
    }

    /** Offers one sample; NaN/infinite values and samples behind the watermark are counted, not taken. */
    public void add(long t, double v) {
        if (!Double.isFinite(v)) {
            invalid++;
            return;
        }
        if (t < floor) {
            late++;
            lastLate = t;
            return;
        }
        accepted++;
        if (t > maxT) maxT = t;
        insert(t, v);
        long f = maxT - lateness;
        if (f > maxT) f = Long.MIN_VALUE; // underflow
        if (f > floor) advance(f);
        if (rTail - rHead > cfg.reorderCap()) forceOldest();
    }

    /** Offers samples {@code [from, to)} of the arrays, in array order; the same result as adding them one by one. */
    public void add(long[] t, double[] v, int from, int to) {
        if (from < 0 || to > t.length || to > v.length || from > to)
            throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") of arrays of length " + t.length + "/" + v.length);
        if (to - from >= 16 && inOrderAndFinite(t, v, from, to)) addInOrder(t, v, from, to);
        else for (int i = from; i < to; i++) add(t[i], v[i]);
    }

    /** Whether the run can skip per-sample checks: ordered, after everything seen, finite, no forced release. */
    private boolean inOrderAndFinite(long[] t, double[] v, int from, int to) {
        if (t[from] < maxT || (long) (rTail - rHead) + (to - from) > cfg.reorderCap()) return false;
        boolean ok = true;
        long prev = t[from];
        for (int i = from; i < to; i++) {
            long ti = t[i];
            double vi = v[i];
            ok &= ti >= prev & vi - vi == 0.0; // false for NaN and infinities
            prev = ti;
        }
        return ok;
    }

    /**
     * The in-order run: the watermark moves once to where per-sample adds would leave it. Releases and events are
     * ordered by time alone, so the state and the emitted points are exactly those of per-sample adds.
     */
    private void addInOrder(long[] t, double[] v, int from, int to) {
        long newMax = t[to - 1];
        long f = newMax - lateness;
        if (f > newMax) f = Long.MIN_VALUE;
        if (f < floor) f = floor;
        if (f > floor) {
            int h = rHead;
            while (h < rTail && rt[h] < f) h++;
            int first = rHead;
            rHead = h;
            releaseRun(rt, rv, first, h);
        }
        int k = from;
        if (rHead == rTail) { // nothing held is newer than f, so the run's prefix below f is released in order
            int lo = from, hi = to;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (t[mid] < f) lo = mid + 1;
                else hi = mid;
            }
            k = lo;
            releaseRun(t, v, from, k);
        }
        appendInOrder(t, v, k, to);
        accepted += to - from;
        maxT = newMax;
        if (f > floor) {
            advance(f);
        }
    }

    /** Releases time-ordered samples [i, k), handling whole runs inside the current bucket at once. */
    private void releaseRun(long[] t, double[] v, int i, int k) {
        while (i < k) {
            long ti = t[i];
            if (!inSegment || curClosed || ti >= curEnd) {
                release(ti, v[i]);
                i++;
                continue;
            }
            int j = i + 1;
            while (j < k && t[j] < curEnd) j++;
            bucketRun(t, v, i, j);
            i = j;
        }
    }

    /** Samples [i, j) all fall in the open current bucket: no event can fire in between. */
    private void bucketRun(long[] t, double[] v, int i, int j) {
        if (released != null) for (int x = i; x < j; x++) released.accept(t[x], v[x]);
        double[] sd = sumDt, sw = sumV;
        long cs = curStart;
        int x = i;
        // Rotate the lanes so that lane 0 takes the next sample, then four at a time.
        int phase = (int) (count & 3);
        for (; x < j && phase != 0; x++, phase = (phase + 1) & 3) {
            sd[phase] += (double) (t[x] - cs);
            sw[phase] += v[x];
        }
        double d0 = sd[0], d1 = sd[1], d2 = sd[2], d3 = sd[3];
        double w0 = sw[0], w1 = sw[1], w2 = sw[2], w3 = sw[3];
        for (; x + 3 < j; x += 4) {
            d0 += (double) (t[x] - cs);
            d1 += (double) (t[x + 1] - cs);
            d2 += (double) (t[x + 2] - cs);
            d3 += (double) (t[x + 3] - cs);
            w0 += v[x];
            w1 += v[x + 1];
            w2 += v[x + 2];
            w3 += v[x + 3];
        }
        for (int lane = 0; x < j; x++, lane++) {
            if (lane == 0) { d0 += (double) (t[x] - cs); w0 += v[x]; }
            else if (lane == 1) { d1 += (double) (t[x] - cs); w1 += v[x]; }
            else { d2 += (double) (t[x] - cs); w2 += v[x]; }
        }
        sd[0] = d0; sd[1] = d1; sd[2] = d2; sd[3] = d3;
        sw[0] = w0; sw[1] = w1; sw[2] = w2; sw[3] = w3;
        count += j - i;
        if (hasPending) cur.add(pT, pV, pSeq);
        cur.addRun(t, v, i, j - 1, seq);
        seq += j - 1 - i;
        hasPending = true;
        pT = t[j - 1];
        pV = v[j - 1];
        pSeq = seq++;
    }

    /**
     * Ends the stream: releases every held sample, closes every bucket and ends the segment, emitting what remains.
     * Later samples start a new segment; samples before the newest time seen so far are then late.
     */
    public void flush() {
        while (rHead < rTail) {
            release(rt[rHead], rv[rHead]);
            rHead++;
        }
        rHead = rTail = 0;
        if (inSegment) {
            if (!curClosed) closeCurrent();
            endSegment();
        }
        if (maxT > floor) floor = maxT;
    }

    /** The watermark: samples older than this are late. */
    public long watermark() {
        return floor;
    }

    /** Counters so far. */
    public StreamStats stats() {
        return new StreamStats(accepted, late, invalid, emitted, forced,
                compactions + cur.compactions + wait.compactions, lastLate);
    }

    private void insert(long t, double v) {
        if (rHead == rTail) rHead = rTail = 0;
        if (rTail == rt.length) makeRoom(1);
        if (rTail == rHead || rt[rTail - 1] <= t) {
            rt[rTail] = t;
            rv[rTail] = v;
            rTail++;
            return;
        }
        // Out of order: after every held sample with time <= t, so equal times keep arrival order.
        int lo = rHead, hi = rTail;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (rt[mid] <= t) lo = mid + 1;
            else hi = mid;
        }
        System.arraycopy(rt, lo, rt, lo + 1, rTail - lo);
        System.arraycopy(rv, lo, rv, lo + 1, rTail - lo);
        rt[lo] = t;
        rv[lo] = v;
        rTail++;
    }

    /** Appends samples no older than anything held, in one copy. */
    private void appendInOrder(long[] t, double[] v, int from, int to) {
        int n = to - from;
        if (n == 0) return;
        if (rHead == rTail) rHead = rTail = 0;
        if (rTail + n > rt.length) makeRoom(n);
        System.arraycopy(t, from, rt, rTail, n);
        System.arraycopy(v, from, rv, rTail, n);
        rTail += n;
    }

    /**
     * Room for n more at the tail. The array may grow to twice the cap, so sliding the live part down happens only
     * when at least as much is dead as alive: amortised O(1) per sample even when every sample forces a release.
     */
    private void makeRoom(int n) {
        int held = rTail - rHead;
        long limit = 2L * (cfg.reorderCap() + 1L);
        if (held + n > rt.length || (rHead < held && rt.length < limit)) {
            int len = (int) Math.min(Math.min(limit, Integer.MAX_VALUE - 8L), Math.max(rt.length * 2L, held + (long) n));
            if (len > rt.length) {
                rt = Arrays.copyOf(rt, len);
                rv = Arrays.copyOf(rv, len);
                if (rTail + n <= rt.length) return;
            }
        }
        System.arraycopy(rt, rHead, rt, 0, held);
        System.arraycopy(rv, rHead, rv, 0, held);
        rHead = 0;
        rTail = held;
    }

    private void advance(long f) {
        int k = rHead;
        while (k < rTail && rt[k] < f) k++;
        int from = rHead;
        rHead = k; // releasing never touches the buffer
        releaseRun(rt, rv, from, k);
        floor = f;
        fireEventsUpTo(f);
    }

    private void forceOldest() {
        long t = rt[rHead];
        release(t, rv[rHead]);
        rHead++;
        forced++;
        if (t > floor) floor = t;
        fireEventsUpTo(floor);
    }

    /** Fires bucket closes and gap confirmations whose deadline is at or before time x, in order. */
    private void fireEventsUpTo(long x) {
        while (inSegment) {
            if (!curClosed) {
                if (curEnd > x) return;
                closeCurrent();
            } else {
                long deadline = curEnd + gapSpan;
                if (deadline < curEnd) deadline = Long.MAX_VALUE;
                if (deadline > x) return;
                endSegment();
            }
        }
    }

    private void release(long t, double v) {
        fireEventsUpTo(t);
        if (!inSegment) {
            if (released != null) {
                released.segmentStart();
                released.accept(t, v);
            }
            startSegment(t, v);
            return;
        }
        if (released != null) released.accept(t, v);
        if (t < curEnd) {
            if (hasPending) cur.add(pT, pV, pSeq);
            hasPending = true;
            pT = t;
            pV = v;
            pSeq = seq++;
            int lane = (int) (count & 3);
            sumDt[lane] += (double) (t - curStart);
            sumV[lane] += v;
            count++;
            return;
        }
        // A later bucket within the segment: the current one is closed, and its pending sample is a candidate.
        if (hasPending) cur.add(pT, pV, pSeq);
        if (!cur.isEmpty()) {
            BucketHull h = wait;
            wait = cur;
            cur = h;
            hasWait = true;
        }
        openBucket(t, v);
        hasPending = true;
        pT = t;
        pV = v;
        pSeq = seq++;
    }

    private void startSegment(long t, double v) {
        inSegment = true;
        hasWait = false;
        sink.segmentStart();
        emit(t, v);
        openBucket(t, v);
        hasPending = false;
    }

    private void openBucket(long t, double v) {
        curStart = Math.floorDiv(t, delta) * delta;
        curEnd = curStart + delta;
        if (curEnd < curStart) curEnd = Long.MAX_VALUE;
        curClosed = false;
        compactions += cur.compactions;
        cur.compactions = 0;
        cur.clear();
        seq = 0;
        sumDt[0] = (double) (t - curStart);
        sumV[0] = v;
        sumDt[1] = sumDt[2] = sumDt[3] = 0;
        sumV[1] = sumV[2] = sumV[3] = 0;
        count = 1;
    }

    /** The current bucket can take no more samples: its mean is final, so the waiting bucket is decided. */
    private void closeCurrent() {
        curClosed = true;
        if (hasWait) {
            double cxr = (double) (curStart - aT) + ((sumDt[0] + sumDt[1]) + (sumDt[2] + sumDt[3])) / count;
            double cyr = ((sumV[0] + sumV[1]) + (sumV[2] + sumV[3])) / count - aV;
            choose(wait, cxr, cyr);
            hasWait = false;
        }
    }

    /** A gap (or the end of the stream) follows: the pending sample is the segment's last. */
    private void endSegment() {
        if (hasPending) {
            if (!cur.isEmpty()) choose(cur, (double) (pT - aT), pV - aV);
            emit(pT, pV);
            hasPending = false;
        }
        inSegment = false;
    }

    private void choose(BucketHull h, double cxr, double cyr) {
        int code = h.choose(aT, aV, cxr, cyr);
        long t = h.tOf(code);
        double v = h.vOf(code);
        emit(t, v);
    }

    private void emit(long t, double v) {
        aT = t;
        aV = v;
        emitted++;
        sink.accept(t, v);
    }

    /** The whole state of this series as bytes (versioned), to restore with {@link #restore}. */
    public byte[] snapshot() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + (rTail - rHead) * 16);
            DataOutputStream out = new DataOutputStream(bytes);
            Snapshots.writeHeader(out, MAGIC, VERSION);
            out.writeLong(cfg.bucketNanos());
            out.writeLong(cfg.latenessNanos());
            out.writeInt(cfg.gapBuckets());
            out.writeInt(cfg.reorderCap());
            out.writeInt(cfg.hullCap());
            for (long c : new long[] {accepted, late, invalid, emitted, forced, compactions, lastLate, floor, maxT})
                out.writeLong(c);
            out.writeInt(rTail - rHead);
            for (int i = rHead; i < rTail; i++) {
                out.writeLong(rt[i]);
                out.writeDouble(rv[i]);
            }
            out.writeBoolean(inSegment);
            out.writeLong(aT);
            out.writeDouble(aV);
            out.writeLong(curStart);
            out.writeLong(curEnd);
            out.writeBoolean(curClosed);
            out.writeBoolean(hasWait);
            out.writeBoolean(hasPending);
            out.writeLong(pT);
            out.writeDouble(pV);
            out.writeInt(pSeq);
            out.writeInt(seq);
            for (int lane = 0; lane < 4; lane++) {
                out.writeDouble(sumDt[lane]);
                out.writeDouble(sumV[lane]);
            }
            out.writeLong(count);
            cur.write(out);
            wait.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array stream does not fail
        }
    }

    /**
     * A series continuing exactly where the snapshot was taken, emitting into sink.
     *
     * @throws IllegalArgumentException if the bytes are not a valid snapshot (truncated, wrong version, corrupt)
     */
    public static StreamingLttb restore(byte[] snapshot, PointSink sink) {
        try {
            DataInputStream in = Snapshots.open(snapshot, MAGIC, VERSION, "streaming LTTB");
            StreamConfig cfg = new StreamConfig(in.readLong(), in.readLong(), in.readInt(), in.readInt(), in.readInt());
            StreamingLttb s = new StreamingLttb(cfg, sink);
            s.accepted = in.readLong();
            s.late = in.readLong();
            s.invalid = in.readLong();
            s.emitted = in.readLong();
            s.forced = in.readLong();
            s.compactions = in.readLong();
            s.lastLate = in.readLong();
            s.floor = in.readLong();
            s.maxT = in.readLong();
            int held = in.readInt();
            if (held < 0 || held > cfg.reorderCap() + 1L)
                throw new IllegalArgumentException("snapshot holds " + held + " samples, more than the reorder cap " + cfg.reorderCap());
            s.rt = new long[Math.max(held, s.rt.length)];
            s.rv = new double[s.rt.length];
            for (int i = 0; i < held; i++) {
                s.rt[i] = in.readLong();
                s.rv[i] = in.readDouble();
            }
            s.rHead = 0;
            s.rTail = held;
            s.inSegment = in.readBoolean();
            s.aT = in.readLong();
            s.aV = in.readDouble();
            s.curStart = in.readLong();
            s.curEnd = in.readLong();
            s.curClosed = in.readBoolean();
            s.hasWait = in.readBoolean();
            s.hasPending = in.readBoolean();
            s.pT = in.readLong();
            s.pV = in.readDouble();
            s.pSeq = in.readInt();
            s.seq = in.readInt();
            for (int lane = 0; lane < 4; lane++) {
                s.sumDt[lane] = in.readDouble();
                s.sumV[lane] = in.readDouble();
            }
            s.count = in.readLong();
            s.cur.read(in);
            s.wait.read(in);
            if (in.read() != -1) throw new IllegalArgumentException("streaming LTTB snapshot has trailing bytes");
            return s;
        } catch (IOException e) {
            throw new IllegalArgumentException("streaming LTTB snapshot is truncated or corrupt: " + e.getMessage(), e);
        }
    }
}
