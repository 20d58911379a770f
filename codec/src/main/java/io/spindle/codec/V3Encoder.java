package io.spindle.codec;

/**
 * Writes version-3 batches (see {@link SampleBatchCodec} and codec/README.md): a byte header, then the codes in two
 * lanes, a range-coded stream of adaptive bits and a raw lane of uniform bits. The encoder codes the times once, then
 * the values in each mode worth trying (decimal; rational when the decimals have many digits; XOR when neither applies
 * or both come out costly), keeps the shortest, and falls back to raw bits wherever an adaptive coding would come out
 * longer. Keeps its buffers between calls.
 */
final class V3Encoder {
    /** Each sample needs at least 1/8 bit of stream: the encoder pads short streams with zeros to this. */
    static final int SAMPLES_PER_STREAM_BYTE = 64;
    // a coding above this many bits a value is worth comparing with the next mode
    private static final int WORTH_TRYING_BITS = 20;
    // decimals with more fraction digits than this may be ratios
    private static final int MANY_DIGITS = 6;
    // most bytes one sample can add to an adaptive coding before the per-sample limit check sees it
    private static final int SAMPLE_SLACK = 1024;
    private static final int[] MODES = {V3Values.DECIMAL, V3Values.RATIONAL, V3Values.XOR};

    private final Buckets buckets = new Buckets();
    private final TimeCode plan = new TimeCode();
    private final V3Times times = new V3Times();
    private final V3Values values = new V3Values();
    private final IntegerPlan decimal = new IntegerPlan(), rational = new IntegerPlan();
    private final RangeEncoder rc = new RangeEncoder();
    private final long[] afterTimes = new long[8];
    // two scratch pairs (range stream, raw lane): the best coding so far and the next try
    private byte[] a = new byte[0], b = new byte[0], rawA = new byte[0], rawB = new byte[0];
    /** Of the last batch: bytes before the stream, and the stream bytes up to the end of the times (diagnostics). */
    int lastHeaderBytes, lastTimeBytes;

    /** The most bytes a batch of n samples with a name of nameLength bytes can take. */
    static long worstCase(int nameLength, int n) {
        return 3 + 3 + nameLength + 5 + 8 + 30 + 40 + 5 + streamWorstCase(n);
    }

    private static long streamWorstCase(int n) {
        return 16L * n + 17 + SAMPLE_SLACK;
    }

    /** Encodes t/v[from, to) of a series (name: its UTF-8) into out, which holds worstCase bytes; returns the length. */
    int encode(byte[] out, byte[] name, long[] t, double[] v, int from, int to) {
        int n = to - from;
        out[0] = SampleBatchCodec.MAGIC;
        out[1] = 3;
        out[2] = 0;
        int p = ByteCursor.writeVarint(out, 3, name.length);
        System.arraycopy(name, 0, out, p, name.length);
        p = ByteCursor.writeVarint(out, p + name.length, n);
        if (n == 0) return p;
        p = ByteCursor.writeI64(out, p, t[from]);
        grow(n);
        int m = n - 1;
        rc.reset(a, 1, rawA); // range streams start at 1 in the scratch buffers (see RangeEncoder.reset)
        if (m > 0) {
            times.plan(plan, t, from, n, buckets);
            if (!times.encode(rc, m, 1 + 8 * m + 16)) {
                times.useRaw();
                rc.reset(a, 1, rawA);
                times.encode(rc, m, Integer.MAX_VALUE);
            }
        }
        rc.save(afterTimes);
        int timeEnd = rc.position(), rangeTimeEnd = (int) afterTimes[0], rawTimeEnd = (int) afterTimes[5];
        int rawLimit = timeEnd + 8 * n + 16;
        // the best coding so far sits in 'best'; the next one is written into the other buffer
        byte[] best = null, bestRaw = null;
        int bestEnd = 0, bestRawLength = 0, bestSize = Integer.MAX_VALUE, bestMode = V3Values.RAW;
        boolean copied = false; // whether b holds the time codes too
        for (int mode : MODES) {
            boolean costly = best == null || 8L * (bestSize - timeEnd) >= (long) WORTH_TRYING_BITS * n;
            // ratios printed to 15 digits look like decimals with many fraction digits, cheap only when they repeat
            boolean manyDigits = best != null && bestMode == V3Values.DECIMAL && decimal.digits > MANY_DIGITS;
            if (!costly && !(mode == V3Values.RATIONAL && manyDigits)) continue;
            IntegerPlan ints = mode == V3Values.DECIMAL ? decimal : rational;
            if (mode == V3Values.DECIMAL && !decimal.planDecimal(t, v, from, to)) continue;
            if (mode == V3Values.RATIONAL && !rational.planRational(t, v, from, to)) continue;
            byte[] into = best == a ? b : a, rawInto = best == a ? rawB : rawA;
            if (into == b && !copied) {
                System.arraycopy(a, 0, b, 0, rangeTimeEnd);
                System.arraycopy(rawA, 0, rawB, 0, rawTimeEnd);
                copied = true;
            }
            rc.restore(afterTimes, into, rawInto);
            if (!values.encode(rc, mode, ints, t, v, from, to, Math.min(rawLimit, bestSize))) continue;
            int end = rc.finish(1), rawLength = rc.finishRaw();
            int size = end - 1 + rawLength + ByteCursor.varintBytes(end - 1);
            if (size < bestSize) {
                best = into;
                bestRaw = rawInto;
                bestEnd = end;
                bestRawLength = rawLength;
                bestSize = size;
                bestMode = mode;
            }
        }
        if (best == null) {
            rc.restore(afterTimes, a, rawA);
            values.encode(rc, V3Values.RAW, null, t, v, from, to, Integer.MAX_VALUE);
            best = a;
            bestRaw = rawA;
            bestEnd = rc.finish(1);
            bestRawLength = rc.finishRaw();
            bestMode = V3Values.RAW;
        }
        out[2] = (byte) ((m > 0 ? times.modeBits() : 0) | bestMode << 3);
        if (m > 0) p = times.writeHeader(out, p);
        if (bestMode == V3Values.DECIMAL) p = decimal.writeHeader(out, p);
        else if (bestMode == V3Values.RATIONAL) p = rational.writeHeader(out, p);
        lastHeaderBytes = p;
        lastTimeBytes = timeEnd - 1;
        // the range stream, padded with zeros so that both lanes hold at least a byte per 64 samples
        int length = Math.max(bestEnd - 1, m / SAMPLES_PER_STREAM_BYTE - bestRawLength);
        p = ByteCursor.writeVarint(out, p, length);
        System.arraycopy(best, 1, out, p, bestEnd - 1);
        for (int i = p + bestEnd - 1; i < p + length; i++) out[i] = 0;
        p += length;
        System.arraycopy(bestRaw, 0, out, p, bestRawLength);
        return p + bestRawLength;
    }

    private void grow(int n) {
        long need = streamWorstCase(n);
        if (a.length < need) {
            int cap = (int) Math.min(Integer.MAX_VALUE - 16, Math.max(need, a.length * 3L / 2));
            a = new byte[cap];
            b = new byte[cap];
            rawA = new byte[cap];
            rawB = new byte[cap];
        }
    }
}
