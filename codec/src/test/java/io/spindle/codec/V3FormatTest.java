package io.spindle.codec;

import static io.spindle.codec.SampleBatchCodecTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The version-3 layout: what the encoder chooses, what it costs, and how the decoder refuses what is wrong. */
class V3FormatTest {
    private final SampleBatchCodec codec = new SampleBatchCodec();
    private final SampleBatch batch = new SampleBatch();

    /** The mode byte's time mode (0 constant, 1 plain, 2 ticked, 3 raw). */
    private static int timeMode(byte[] b) {
        return b[2] & 3;
    }

    /** The mode byte's value encoding (0 raw, 1 XOR, 2 decimal, 3 rational). */
    private static int valueMode(byte[] b) {
        return (b[2] & 0xFF) >>> 3;
    }

    @Test
    void regularTimesAndAConstantValueCostAlmostNothing() {
        int n = 4096;
        long[] t = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = 1_700_000_000_000_000_000L + i * 100_000L; // 10 kHz
            v[i] = 42.5;
        }
        byte[] b = codec.encodeToArray("s", t, v, 0, n);
        assertThat(timeMode(b)).isZero();
        assertThat(valueMode(b)).isEqualTo(2);
        // the header and the minimum of a byte of codes per 64 samples (what bounds a decoder's allocation)
        assertThat(b.length).isLessThan(30 + n / 64 + 8);
        SampleBatchCodecTest.assertRoundTrip(codec, "s", t, v, 0, n);
    }

    @Test
    void aDriftingMillisecondClockIsCodedAsTicks() {
        Random r = new Random(7);
        int n = 256;
        long[] t = new long[n];
        double[] v = new double[n];
        long ms = 0;
        for (int i = 0; i < n; i++) {
            ms += 300 + r.nextInt(100);
            t[i] = 1_659_966_694_716_714_600L + 100 * Math.round(ms * 10_007.1) + 100L * (r.nextInt(3) - 1);
            v[i] = i;
        }
        byte[] b = codec.encodeToArray("s", t, v, 0, n);
        assertThat(timeMode(b)).isEqualTo(2);
        ByteCursor c = new ByteCursor();
        c.reset(b, 5, b.length);
        c.varint("count");
        c.i64("t0");
        assertThat(c.varint("quantum")).isEqualTo(100);
        assertThat(c.varint("tick") / (double) (1 << 20)).isCloseTo(10_007.1, org.assertj.core.data.Offset.offset(0.05));
        SampleBatchCodecTest.assertRoundTrip(codec, "s", t, v, 0, n);
        // ~7 bits of whole ticks and ~1.6 of residual a sample; a counter's values cost next to nothing
        assertThat(b.length).isLessThan(n * 11 / 8).isLessThan(new SampleBatchCodec(2).encode("s", t, v, 0, n));
    }

    @Test
    void eachKindOfValueGetsItsMode() {
        int n = 300;
        long[] t = new long[n];
        for (int i = 0; i < n; i++) t[i] = i * 1_000_000L;
        double[] decimal = new double[n], ratio = new double[n], noise = new double[n], bits = new double[n];
        Random r = new Random(3);
        for (int i = 0; i < n; i++) {
            decimal[i] = Math.round(Math.sin(i * 0.1) * 5_000_000) / 10_000.0;
            ratio[i] = Double.parseDouble(String.format(Locale.ROOT, "%.15g", (290_000 + 50 * r.nextInt(40)) / 60.0)); // rpm / 60
            noise[i] = Math.sin(i * 0.3) + r.nextGaussian() * 0.05;
            bits[i] = Double.longBitsToDouble(r.nextLong());
        }
        assertThat(valueMode(codec.encodeToArray("s", t, decimal, 0, n))).isEqualTo(2);
        byte[] rational = codec.encodeToArray("s", t, ratio, 0, n);
        assertThat(valueMode(rational)).isEqualTo(3);
        assertThat(rational.length).as("ratios cost their numerators, not their 15 digits").isLessThan(n * 2);
        assertThat(valueMode(codec.encodeToArray("s", t, noise, 0, n))).isEqualTo(1);
        byte[] raw = codec.encodeToArray("s", t, bits, 0, n);
        assertThat(valueMode(raw)).as("random bits: XOR or raw").isLessThanOrEqualTo(1);
        assertThat(raw.length).isLessThanOrEqualTo(30 + 8 * n + 8);
        for (double odd : new double[]{-0.0, Double.NaN, 1e-30, Double.POSITIVE_INFINITY}) {
            double[] w = decimal.clone();
            w[n / 2] = odd;
            assertThat(valueMode(codec.encodeToArray("s", t, w, 0, n))).as("decimals with %s", odd).isEqualTo(1);
            SampleBatchCodecTest.assertRoundTrip(codec, "s", t, w, 0, n);
        }
        for (double[] v : new double[][]{decimal, ratio, noise, bits}) SampleBatchCodecTest.assertRoundTrip(codec, "s", t, v, 0, n);
    }

    @Test
    void recentValuesCostAnIndex() {
        int n = 1000;
        long[] t = new long[n];
        double[] v = new double[n];
        int[] levels = {9, 10, 9, 10, 11, 10, 9, 48, 9, 10};
        for (int i = 0; i < n; i++) {
            t[i] = i * 1_000_000L;
            v[i] = levels[i % levels.length];
        }
        byte[] b = codec.encodeToArray("s", t, v, 0, n);
        assertThat(b.length).isLessThan(30 + n * 3 / 8); // under 3 bits a value
        SampleBatchCodecTest.assertRoundTrip(codec, "s", t, v, 0, n);
    }

    @Test
    void noiseIsNeverLongerThanVersion2() {
        Random r = new Random(11);
        int n = 4096;
        long[] t = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = i * 50_000L;
            v[i] = 2.4 * Math.sin(i * 0.07) + r.nextGaussian() * 0.08;
        }
        assertThat(codec.encode("s", t, v, 0, n)).isLessThan(new SampleBatchCodec(2).encode("s", t, v, 0, n));
    }

    /** RationalValues.value rounds the exact ratio half up to the digits, as BigDecimal does. */
    @Test
    void ratiosRoundLikeBigDecimal() {
        Random r = new Random(5);
        for (int k = 0; k < 20_000; k++) {
            long m = switch (k % 3) {
                case 0 -> r.nextInt(2_000_000) - 1_000_000;
                case 1 -> r.nextLong() >> (2 + r.nextInt(60));
                default -> r.nextInt(100);
            };
            int d = 1 + r.nextInt(RationalValues.MAX_DENOMINATOR), sig = 1 + r.nextInt(RationalValues.MAX_SIGNIFICANT);
            double expected = new BigDecimal(m).divide(new BigDecimal(d), new MathContext(sig, RoundingMode.HALF_UP)).doubleValue();
            assertThat(RationalValues.value(m, d, sig)).as("%d/%d to %d digits", m, d, sig).isEqualTo(expected);
        }
        assertThat(RationalValues.value(5000, 60, 15)).isEqualTo(83.3333333333333);
        assertThat(RationalValues.value(-301000, 60, 15)).isEqualTo(-5016.66666666667);
    }

    @Test
    void malformedInputsNameTheReason() {
        byte[] good = codec.encodeToArray("s", new long[]{1, 2, 3}, new double[]{1.5, 2.5, 3.5}, 0, 3);
        assertThat(good[1]).isEqualTo((byte) 3);
        assertThatThrownBy(() -> SampleBatchCodec.decode(with(good, 1, 4), batch)).hasMessageContaining("unsupported version 4");
        assertThatThrownBy(() -> SampleBatchCodec.decode(with(good, 2, 0x20), batch)).hasMessageContaining("bad mode byte 0x20");
        assertThatThrownBy(() -> SampleBatchCodec.decode(with(good, 3, 0x7f), batch)).hasMessageContaining("series name length 127");
        assertThatThrownBy(() -> SampleBatchCodec.decode(bytes(0x53, 3, 0, 1, 0xC3, 0), batch)).hasMessageContaining("UTF-8");
        assertThatThrownBy(() -> SampleBatchCodec.decode(bytes(0x53, 3, 8, 1, 's', 0), batch)).hasMessageContaining("bad mode byte 0x08 for an empty batch");
        assertThatThrownBy(() -> SampleBatchCodec.decode(bytes(0x53, 3, 1, 1, 's', 0), batch)).hasMessageContaining("bad mode byte 0x01: time mode 1 for 0 samples");
        assertThatThrownBy(() -> SampleBatchCodec.decode(bytes(0x53, 3, 0, 1, 's', 0, 0), batch)).hasMessageContaining("1 trailing bytes after an empty batch");
        assertThatThrownBy(() -> SampleBatchCodec.decode(bytes(0x53, 3, 1, 1, 's', 1, 0, 0, 0, 0, 0, 0, 0, 0, 0), batch))
                .hasMessageContaining("time mode 1 for 1 samples");
        assertThatThrownBy(() -> SampleBatchCodec.decode(bytes(0x53, 3, 0, 1, 's', 0xff, 0xff, 0xff, 0xff, 0x7f), batch)).hasMessageContaining("is too large");
        // a million samples claimed, a few bytes of codes: refused before any allocation
        byte[] absurd = bytes(0x53, 3, 0x10, 1, 's', 0x80, 0x80, 0x40, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0);
        assertThatThrownBy(() -> SampleBatchCodec.decode(absurd, batch)).hasMessageContaining("count 1048576 needs at least 16383 bytes");
        // header fields after t0 (bytes 6..13): quantum, constant time base, decimal byte, first value, stream length
        byte[] constant = bytes(0x53, 3, 0x10, 1, 's', 2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 0);
        SampleBatchCodec.decode(constant, batch);
        assertThat(batch.count()).isEqualTo(2);
        assertThat(batch.time(1)).isEqualTo(1);
        assertThatThrownBy(() -> SampleBatchCodec.decode(with(constant, 14, 0), batch)).hasMessageContaining("bad time quantum 0");
        assertThatThrownBy(() -> SampleBatchCodec.decode(with(constant, 16, 19), batch)).hasMessageContaining("bad decimal digits 19");
        assertThatThrownBy(() -> SampleBatchCodec.decode(with(with(constant, 2, 0x18), 16, 0), batch)).hasMessageContaining("bad significant digits 0");
        assertThatThrownBy(() -> SampleBatchCodec.decode(with(with(constant, 2, 0x18), 16, 16), batch)).hasMessageContaining("bad significant digits 16");
        assertThatThrownBy(() -> SampleBatchCodec.decode(with(with(with(constant, 2, 0x18), 16, 15), 17, 0), batch)).hasMessageContaining("bad denominator 0");
        assertThatThrownBy(() -> SampleBatchCodec.decode(with(constant, 16, 0x80), batch)).hasMessageContaining("bad value step 0");
        assertThatThrownBy(() -> SampleBatchCodec.decode(with(constant, 18, 5), batch)).hasMessageContaining("range stream length 5");
        assertThatThrownBy(() -> SampleBatchCodec.decode(with(constant, 2, 0x14), batch)).hasMessageContaining("previous-delta predictor for time mode 0");
        byte[] ticked = codec.encodeToArray("s", tickedTimes(64), new double[64], 0, 64);
        assertThat(timeMode(ticked)).isEqualTo(2);
        assertThatThrownBy(() -> SampleBatchCodec.decode(with(with(with(ticked, 15, 1), 16, 0), 17, 0), batch)).hasMessageContaining("bad time tick 1/2^20");
        assertThatThrownBy(() -> SampleBatchCodec.decode(Arrays.copyOf(good, good.length + 1), batch)).hasMessageContaining("1 trailing bytes after the raw bits");
        byte[] longer = Arrays.copyOf(good, good.length + 1);
        longer[good.length] = 7;
        assertThatThrownBy(() -> SampleBatchCodec.decode(longer, batch)).isInstanceOf(IllegalArgumentException.class);
        for (int len = 0; len < good.length; len++) {
            byte[] cut = Arrays.copyOf(good, len);
            assertThatThrownBy(() -> SampleBatchCodec.decode(cut, batch)).as("cut at %d", len).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** Streams written by hand with the coder: codes that no encoder writes are refused by name. */
    @Test
    void impossibleCodesAreRefused() {
        // XOR values, 2 samples at constant times: a miss, then a changed-bit run from bit 3 (60 leading equal bits:
        // byte 7 in unary, bit 4 in it) down to a lowest changed byte starting at bit 8 (not the last byte, byte 1)
        byte[] upsideDown = stream(bytes(0x53, 3, 0x08, 1, 's', 2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2),
                new int[]{0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0, 1}, Double.doubleToRawLongBits(1.0), 64);
        assertThatThrownBy(() -> SampleBatchCodec.decode(upsideDown, batch)).hasMessageContaining("value 1 has a changed-bit run from bit 3 down to bit 8");
        // decimal values: a hit on recent value 1 when only value 0 exists
        byte[] recent = stream(bytes(0x53, 3, 0x10, 1, 's', 2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0),
                new int[]{1, 1, 0, 0}, 0, 0);
        assertThatThrownBy(() -> SampleBatchCodec.decode(recent, batch)).hasMessageContaining("recent value 1 of only 1");
        // rational values out of range
        // a miss, a positive difference of 63 bits (length class 6 in unary, 63 = 0b111111, the top mantissa bit 0)
        byte[] huge = stream(bytes(0x53, 3, 0x18, 1, 's', 2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 15, 3, 0),
                new int[]{0, 0, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 0}, 0, 61);
        assertThatThrownBy(() -> SampleBatchCodec.decode(huge, batch)).hasMessageContaining("scaled value").hasMessageContaining("out of range");
        // raw values: one sample, its 64 bits in the raw lane
        byte[] raw = stream(bytes(0x53, 3, 0, 1, 's', 1, 0, 0, 0, 0, 0, 0, 0, 0), new int[0], Double.doubleToRawLongBits(-2.5), 64);
        SampleBatchCodec.decode(raw, batch);
        assertThat(batch.value(0)).isEqualTo(-2.5);
        byte[] fine = stream(bytes(0x53, 3, 0x10, 1, 's', 2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0), new int[]{0, 1}, 0, 0);
        SampleBatchCodec.decode(fine, batch); // a miss, a difference of 0: the value again
        assertThat(batch.value(1)).isEqualTo(0.0);
    }

    /** After warm-up, version-3 encoding and decoding allocate nothing. */
    @Test
    void hotPathsDoNotAllocate() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Random r = new Random(5);
        int n = 4096;
        long[][] ts = {new long[n], tickedTimes(n), new long[n]};
        double[][] vs = {new double[n], new double[n], new double[n]};
        for (int i = 0; i < n; i++) {
            ts[0][i] = i * 100_000L;
            ts[2][i] = i * 100_000L + r.nextInt(100);
            vs[0][i] = Math.sin(i * 0.3) + r.nextGaussian() * 0.05;
            vs[1][i] = Math.round(Math.sin(i * 0.01) * 1e7) / 1e4;
            vs[2][i] = Double.parseDouble(String.format(Locale.ROOT, "%.15g", r.nextInt(100) / 60.0));
        }
        String[] names = {"a", "b", "c"};
        byte[][] enc = new byte[3][];
        for (int j = 0; j < 3; j++) enc[j] = codec.encodeToArray(names[j], ts[j], vs[j], 0, n);
        assertThat(valueMode(enc[2])).isEqualTo(3);
        for (int k = 0; k < 200; k++) {
            for (int j = 0; j < 3; j++) {
                codec.encode(names[j], ts[j], vs[j], 0, n);
                SampleBatchCodec.decode(enc[j], batch);
            }
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int k = 0; k < 100; k++) {
            for (int j = 0; j < 3; j++) {
                codec.encode(names[j], ts[j], vs[j], 0, n);
                SampleBatchCodec.decode(enc[j], batch);
            }
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("bytes allocated by 300 encodes and 300 decodes of 4,096 samples").isLessThan(4096);
    }

    private static long[] tickedTimes(int n) {
        Random r = new Random(11);
        long[] t = new long[n];
        long ms = 0;
        for (int i = 0; i < n; i++) {
            ms += 300 + r.nextInt(100);
            t[i] = 100 * Math.round(ms * 10_007.1) + 100L * r.nextInt(2);
        }
        return t;
    }

    /** head, then a range stream of the given bits (each with a fresh model: even odds) and a raw lane. */
    private static byte[] stream(byte[] head, int[] bits, long raw, int rawBits) {
        byte[] range = new byte[64], lane = new byte[64];
        RangeEncoder rc = new RangeEncoder();
        rc.reset(range, 1, lane);
        for (int bit : bits) rc.bit(new int[]{Prob.INIT}, 0, bit);
        rc.direct(raw, rawBits);
        int end = rc.finish(1), laneLength = rc.finishRaw();
        byte[] b = Arrays.copyOf(head, head.length + 1 + end - 1 + laneLength);
        b[head.length] = (byte) (end - 1);
        System.arraycopy(range, 1, b, head.length + 1, end - 1);
        System.arraycopy(lane, 0, b, head.length + end, laneLength);
        return b;
    }

    private static byte[] with(byte[] b, int at, int value) {
        byte[] c = b.clone();
        c[at] = (byte) value;
        return c;
    }
}
