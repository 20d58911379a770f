package io.spindle.codec;

import static io.spindle.codec.SampleBatchCodecTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The version-2 layout: what the encoder chooses, and how the decoder refuses what is wrong. */
class V2FormatTest {
    private final SampleBatchCodec codec = new SampleBatchCodec(2);
    private final SampleBatch batch = new SampleBatch();

    /** The time header fields of a v2 batch of series "s": quantum, flags, tick (0 without). */
    private static long[] timeHeader(byte[] b) {
        ByteCursor c = new ByteCursor();
        c.reset(b, 6, b.length);
        c.varint("count");
        c.i64("t0");
        long quantum = c.varint("quantum");
        int flags = c.u8("flags");
        long tick = flags == 1 ? c.varint("tick") : 0;
        return new long[]{quantum, flags, tick};
    }

    @Test
    void regularTimesCostOneBitAndStateTheirQuantum() {
        int n = 4096;
        long[] t = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) t[i] = 1_700_000_000_000_000_000L + i * 100_000L; // 10 kHz
        byte[] b = codec.encodeToArray("s", t, v, 0, n);
        assertThat(timeHeader(b)).containsExactly(100_000, 0, 0);
        // header + 1 bit per time + 1 bit per repeated value
        assertThat(b.length).isLessThan(40 + 2 * n / 8);
        SampleBatchCodecTest.assertRoundTrip(codec, "s", t, v, 0, n);
    }

    @Test
    void aDriftingMillisecondClockIsCodedAsTicksAndResiduals() {
        Random r = new Random(7);
        int n = 256;
        long[] t = new long[n];
        double[] v = new double[n];
        long ms = 0;
        for (int i = 0; i < n; i++) {
            ms += 300 + r.nextInt(100);
            // a millisecond timer 0.071 % fast, stamped in 100 ns with a little jitter: the Okuma log's clock
            t[i] = 1_659_966_694_716_714_600L + 100 * Math.round(ms * 10_007.1) + 100L * (r.nextInt(3) - 1);
            v[i] = i;
        }
        byte[] b = codec.encodeToArray("s", t, v, 0, n);
        long[] h = timeHeader(b);
        assertThat(h[0]).isEqualTo(100);
        assertThat(h[1]).isEqualTo(1);
        assertThat(h[2] / (double) (1 << 20)).isCloseTo(10_007.1, org.assertj.core.data.Offset.offset(0.05));
        SampleBatchCodecTest.assertRoundTrip(codec, "s", t, v, 0, n);
        // the same times without the tick (version 1's delta of delta) take far more
        assertThat(b.length).isLessThan(new SampleBatchCodec(1).encode("s", t, v, 0, n) / 3);
    }

    @Test
    void decimalValuesUseTheDecimalModeAndAnythingElseFallsBackToXor() {
        int n = 200;
        long[] t = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = i * 1_000_000L;
            v[i] = Math.round(Math.sin(i * 0.1) * 5_000_000) / 10_000.0; // 4 decimals, like 269.0133
        }
        byte[] b = codec.encodeToArray("s", t, v, 0, n);
        assertThat(b[2]).as("value encoding").isEqualTo((byte) 2);
        SampleBatchCodecTest.assertRoundTrip(codec, "s", t, v, 0, n);
        for (double odd : new double[]{-0.0, Double.NaN, 1e-30, Double.POSITIVE_INFINITY, 1e300}) {
            double[] w = v.clone();
            w[n / 2] = odd;
            byte[] x = codec.encodeToArray("s", t, w, 0, n);
            assertThat(x[2]).as("value encoding with %s", odd).isEqualTo((byte) 1);
            SampleBatchCodecTest.assertRoundTrip(codec, "s", t, w, 0, n);
        }
    }

    @Test
    void noiseCostsAboutItsEntropyAndNeverMoreThanRaw() {
        Random r = new Random(3);
        int n = 4096;
        long[] t = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = i;
            v[i] = Double.longBitsToDouble(r.nextLong()); // incompressible
        }
        byte[] b = codec.encodeToArray("s", t, v, 0, n);
        assertThat(b[2]).as("raw values").isEqualTo((byte) 0);
        assertThat(b.length).isLessThanOrEqualTo(30 + 8 * n + n / 8 + 1);
        SampleBatchCodecTest.assertRoundTrip(codec, "s", t, v, 0, n);
    }

    @Test
    void malformedInputsNameTheReason() {
        byte[] good = codec.encodeToArray("s", new long[]{1, 2, 3}, new double[]{1.5, 2.5, 3.5}, 0, 3);
        assertThat(good[1]).isEqualTo((byte) 2);
        assertThatThrownBy(() -> SampleBatchCodec.decode(new byte[1], batch)).hasMessageContaining("truncated");
        assertThatThrownBy(() -> SampleBatchCodec.decode(with(good, 0, 1), batch)).hasMessageContaining("bad magic 0x01");
        assertThatThrownBy(() -> SampleBatchCodec.decode(with(good, 1, 4), batch)).hasMessageContaining("unsupported version 4");
        assertThatThrownBy(() -> SampleBatchCodec.decode(with(good, 2, 7), batch)).hasMessageContaining("unknown value encoding 7");
        assertThatThrownBy(() -> SampleBatchCodec.decode(with(with(good, 3, 0xff), 4, 0xff), batch)).hasMessageContaining("series name length 65535");
        assertThatThrownBy(() -> SampleBatchCodec.decode(bytes(0x53, 2, 1, 1, 0, 0xC3, 0), batch)).hasMessageContaining("UTF-8");
        assertThatThrownBy(() -> SampleBatchCodec.decode(Arrays.copyOf(good, good.length + 1), batch)).hasMessageContaining("trailing bytes");
        // count far beyond what the bytes can hold: refused before any allocation
        byte[] absurd = bytes(0x53, 2, 1, 1, 0, 's', 0x80, 0x80, 0x80, 0x80, 0x04, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0x31, 0, 0, 0);
        assertThatThrownBy(() -> SampleBatchCodec.decode(absurd, batch)).hasMessageContaining("count 1073741824 needs at least");
        byte[] tooMany = bytes(0x53, 2, 1, 1, 0, 's', 0xff, 0xff, 0xff, 0xff, 0x7f);
        assertThatThrownBy(() -> SampleBatchCodec.decode(tooMany, batch)).hasMessageContaining("is too large");
        byte[] badVarint = bytes(0x53, 2, 1, 1, 0, 's', 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
        assertThatThrownBy(() -> SampleBatchCodec.decode(badVarint, batch)).hasMessageContaining("malformed sample count");
        // header fields: t0 is bytes 7..14, then quantum, flags, unit column (predictor, base, widths)
        assertThatThrownBy(() -> SampleBatchCodec.decode(with(good, 15, 0), batch)).hasMessageContaining("bad time quantum 0");
        assertThatThrownBy(() -> SampleBatchCodec.decode(with(good, 16, 2), batch)).hasMessageContaining("bad time flags 2");
        assertThatThrownBy(() -> SampleBatchCodec.decode(with(good, 17, 0x47), batch)).hasMessageContaining("bad time unit column predictor byte 0x47");
        assertThatThrownBy(() -> SampleBatchCodec.decode(with(good, 17, 0x00), batch)).hasMessageContaining("predictor 1-3");
        byte[] ticked = codec.encodeToArray("s", tickedTimes(), new double[64], 0, 64);
        assertThat(timeHeader(ticked)[1]).isEqualTo(1);
        assertThatThrownBy(() -> SampleBatchCodec.decode(with(with(with(ticked, 17, 1), 18, 0), 19, 0), batch)).hasMessageContaining("bad time tick 1/2^20");
        for (int len = 0; len < good.length; len++) {
            byte[] cut = Arrays.copyOf(good, len);
            assertThatThrownBy(() -> SampleBatchCodec.decode(cut, batch)).as("cut at %d", len).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void bucketWidthsDigitsAndPaddingAreChecked() {
        long[] t = new long[50];
        double[] v = new double[50];
        for (int i = 0; i < 50; i++) {
            t[i] = i * 3L + (i % 3);
            v[i] = i * 0.25;
        }
        byte[] b = codec.encodeToArray("s", t, v, 0, 50);
        assertThat(b[2]).isEqualTo((byte) 2);
        // unit column at 17: predictor|shape, base (1 byte here), widths
        int shape = (b[17] & 0xFF) >>> 4;
        int widthsAt = 19;
        assertThat(b[18] & 0x80).isZero();
        assertThatThrownBy(() -> SampleBatchCodec.decode(with(b, widthsAt, 65), batch)).hasMessageContaining("bad time unit column bucket width 65");
        int digitsAt = widthsAt + Buckets.SLOTS[shape];
        assertThat(b[digitsAt]).isEqualTo((byte) 2);
        assertThatThrownBy(() -> SampleBatchCodec.decode(with(b, digitsAt, 19), batch)).hasMessageContaining("bad decimal digits 19");
        // the last byte's padding bits must be zero
        byte[] padded = b.clone();
        padded[padded.length - 1] |= 1;
        try {
            SampleBatchCodec.decode(padded, batch);
            throw new AssertionError("decoded a batch with a flipped last bit");
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).containsAnyOf("padding", "truncated");
        }
        // built by hand: 2 samples, XOR, quantum 1, unit column predictor 1 shape D base 0 widths 0 0; bits: the time
        // code '0', the first value's 64 bits, then '10' (reuse the window) before any window was set
        String bits = "0" + "0011111111110000" + "0".repeat(48) + "10";
        bits += "0".repeat(8 - bits.length() % 8);
        byte[] head = bytes(0x53, 2, 1, 1, 0, 's', 2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0x31, 0, 0, 0);
        byte[] reuse = Arrays.copyOf(head, head.length + bits.length() / 8);
        for (int k = 0; k < bits.length() / 8; k++) reuse[head.length + k] = (byte) Integer.parseInt(bits.substring(8 * k, 8 * k + 8), 2);
        assertThatThrownBy(() -> SampleBatchCodec.decode(reuse, batch)).hasMessageContaining("value 1 reuses a bit window before any was set");
        // the same with a new window of 63 leading zeros and 2 bits
        String bits2 = "0" + "0011111111110000" + "0".repeat(48) + "11" + "111111" + "000001" + "11";
        bits2 += "0".repeat(8 - bits2.length() % 8);
        byte[] wide = Arrays.copyOf(head, head.length + bits2.length() / 8);
        for (int k = 0; k < bits2.length() / 8; k++) wide[head.length + k] = (byte) Integer.parseInt(bits2.substring(8 * k, 8 * k + 8), 2);
        assertThatThrownBy(() -> SampleBatchCodec.decode(wide, batch)).hasMessageContaining("bit window of 63 leading zeros and 2 bits");
        // and a valid one decodes: '10' replaced by '0' (the same value again)
        String ok = "0" + "0011111111110000" + "0".repeat(48) + "0";
        ok += "0".repeat(8 - ok.length() % 8);
        byte[] fine = Arrays.copyOf(head, head.length + ok.length() / 8);
        for (int k = 0; k < ok.length() / 8; k++) fine[head.length + k] = (byte) Integer.parseInt(ok.substring(8 * k, 8 * k + 8), 2);
        SampleBatchCodec.decode(fine, batch);
        assertThat(batch.count()).isEqualTo(2);
        assertThat(batch.value(1)).isEqualTo(1.0);
        assertThat(batch.time(1)).isZero();
    }

    /** After warm-up, encoding and decoding allocate nothing. */
    @Test
    void hotPathsDoNotAllocate() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Random r = new Random(5);
        int n = 4096;
        long[][] ts = {new long[n], tickedTimes(n)};
        double[][] vs = {new double[n], new double[n]};
        for (int i = 0; i < n; i++) {
            ts[0][i] = i * 100_000L;
            vs[0][i] = Math.sin(i * 0.3) + r.nextGaussian() * 0.05;
            vs[1][i] = Math.round(Math.sin(i * 0.01) * 1e7) / 1e4;
        }
        byte[][] enc = {codec.encodeToArray("a", ts[0], vs[0], 0, n), codec.encodeToArray("b", ts[1], vs[1], 0, n)};
        for (int k = 0; k < 300; k++) {
            for (int j = 0; j < 2; j++) {
                codec.encode(j == 0 ? "a" : "b", ts[j], vs[j], 0, n);
                SampleBatchCodec.decode(enc[j], batch);
            }
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int k = 0; k < 200; k++) {
            for (int j = 0; j < 2; j++) {
                codec.encode(j == 0 ? "a" : "b", ts[j], vs[j], 0, n);
                SampleBatchCodec.decode(enc[j], batch);
            }
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        System.out.println("allocated " + allocated);
        assertThat(allocated).as("bytes allocated by 400 encodes and 400 decodes of 4,096 samples").isLessThan(4096);
    }

    private static long[] tickedTimes() {
        return tickedTimes(64);
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

    private static byte[] with(byte[] b, int at, int value) {
        byte[] c = b.clone();
        c[at] = (byte) value;
        return c;
    }
}
