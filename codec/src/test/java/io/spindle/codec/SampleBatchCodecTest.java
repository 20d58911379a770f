package io.spindle.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SampleBatchCodecTest {
    private final SampleBatchCodec codec = new SampleBatchCodec();

    private static void assertRoundTrip(SampleBatchCodec codec, String series, long[] t, double[] v, int from, int to) {
        byte[] bytes = codec.encodeToArray(series, t, v, from, to);
        SampleBatch batch = new SampleBatch(0);
        SampleBatchCodec.decode(bytes, batch);
        assertThat(batch.series()).isEqualTo(series);
        assertThat(batch.count()).isEqualTo(to - from);
        assertThat(Arrays.copyOf(batch.times(), batch.count())).isEqualTo(Arrays.copyOfRange(t, from, to));
        for (int i = 0; i < batch.count(); i++)
            assertThat(Double.doubleToRawLongBits(batch.value(i))).as("value %d bits", i).isEqualTo(Double.doubleToRawLongBits(v[from + i]));
    }

    /** Random batches of every kind of time and value, sub-ranges included. */
    @Property(tries = 500)
    void roundTrips(@ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int seed) {
        Random r = new Random(seed);
        int n = r.nextInt(5) == 0 ? r.nextInt(3) : r.nextInt(3000);
        long[] t = new long[n];
        double[] v = new double[n];
        int timeKind = r.nextInt(4), valueKind = r.nextInt(5);
        long now = r.nextLong();
        for (int i = 0; i < n; i++) {
            t[i] = switch (timeKind) {
                case 0 -> 1_700_000_000_000_000_000L + i * 50_000L; // regular
                case 1 -> now += 50_000 + r.nextInt(2001) - 1000; // jittered
                case 2 -> r.nextLong(); // anything, decreasing and negative included
                default -> now -= r.nextInt(1_000_000); // decreasing
            };
            v[i] = switch (valueKind) {
                case 0 -> r.nextGaussian();
                case 1 -> Math.round(r.nextGaussian() * 1000) / 1000.0; // quantised
                case 2 -> r.nextInt(3) + 9; // 9, 10, 11
                case 3 -> Double.longBitsToDouble(r.nextLong()); // any bits, NaN payloads and infinities included
                default -> i % 7 == 0 ? Double.NaN : i % 11 == 0 ? Double.NEGATIVE_INFINITY : -0.0;
            };
        }
        int from = n == 0 ? 0 : r.nextInt(n + 1);
        int to = from + (n == from ? 0 : r.nextInt(n - from + 1));
        String series = r.nextBoolean() ? "spindle/x" + r.nextInt(10) : "Schwingung ö 振動 " + seed;
        assertRoundTrip(codec, series, t, v, 0, n);
        assertRoundTrip(codec, series, t, v, from, to);
    }

    @Test
    void extremesAndSpecialValues() {
        long[] t = {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1};
        double[] v = {Double.NaN, Double.longBitsToDouble(0x7ff0000000000001L), Double.longBitsToDouble(0xfff8dead0000beefL),
                -0.0, Double.MIN_VALUE, Double.POSITIVE_INFINITY, Double.MAX_VALUE};
        assertRoundTrip(codec, "x", t, v, 0, t.length);
        assertRoundTrip(codec, "", new long[0], new double[0], 0, 0);
        assertRoundTrip(codec, "one", new long[]{42}, new double[]{Double.NaN}, 0, 1);
        assertThat(codec.encodeToArray("e", new long[0], new double[0], 0, 0)).hasSize(3 + 2 + 1 + 1);
    }

    @Test
    void decodeReusesColumnsAndTheSeriesName() {
        long[] t = new long[100];
        double[] v = new double[100];
        for (int i = 0; i < 100; i++) {
            t[i] = i;
            v[i] = i;
        }
        SampleBatch batch = new SampleBatch(100);
        SampleBatchCodec.decode(codec.encodeToArray("s", t, v, 0, 100), batch);
        long[] times = batch.times();
        String name = batch.series();
        SampleBatchCodec.decode(codec.encodeToArray("s", t, v, 10, 20), batch);
        assertThat(batch.times()).isSameAs(times);
        assertThat(batch.series()).isSameAs(name);
        assertThat(batch.count()).isEqualTo(10);
        assertThat(batch.time(0)).isEqualTo(10);
        assertThatThrownBy(() -> batch.time(10)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void malformedInputsNameTheReason() {
        byte[] good = codec.encodeToArray("s", new long[]{1, 2, 3}, new double[]{1.5, 2.5, 3.5}, 0, 3);
        SampleBatch b = new SampleBatch();
        assertThatThrownBy(() -> SampleBatchCodec.decode(new byte[3], b)).hasMessageContaining("truncated");
        byte[] bad = good.clone();
        bad[0] = 1;
        assertThatThrownBy(() -> SampleBatchCodec.decode(bad, b)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad magic");
        byte[] v2 = good.clone();
        v2[1] = 2;
        assertThatThrownBy(() -> SampleBatchCodec.decode(v2, b)).hasMessageContaining("unsupported version 2");
        byte[] enc = good.clone();
        enc[2] = 7;
        assertThatThrownBy(() -> SampleBatchCodec.decode(enc, b)).hasMessageContaining("unknown value encoding 7");
        byte[] longName = good.clone();
        longName[3] = (byte) 0xff;
        longName[4] = (byte) 0xff;
        assertThatThrownBy(() -> SampleBatchCodec.decode(longName, b)).hasMessageContaining("series name length 65535");
        // a count far beyond the bytes: no huge allocation, a clear message
        byte[] absurd = {0x53, 1, 0, 1, 0, 's', (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        assertThatThrownBy(() -> SampleBatchCodec.decode(absurd, b)).hasMessageContaining("count 2147483647 needs at least");
        byte[] hugeCount = {0x53, 1, 0, 1, 0, 's', (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f};
        assertThatThrownBy(() -> SampleBatchCodec.decode(hugeCount, b)).hasMessageContaining("needs at least");
        byte[] badVarint = {0x53, 1, 0, 1, 0, 's', (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01};
        assertThatThrownBy(() -> SampleBatchCodec.decode(badVarint, b)).hasMessageContaining("malformed sample count");
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> SampleBatchCodec.decode(trailing, b)).hasMessageContaining("bytes");
        byte[] badUtf8 = {0x53, 1, 0, 1, 0, (byte) 0xC3, 0};
        assertThatThrownBy(() -> SampleBatchCodec.decode(badUtf8, b)).hasMessageContaining("UTF-8");
        for (int len = 0; len < good.length; len++) {
            byte[] cut = Arrays.copyOf(good, len);
            assertThatThrownBy(() -> SampleBatchCodec.decode(cut, b)).as("cut at %d", len).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** Truncations and random corruption of valid batches: a clean decode or an IllegalArgumentException, nothing else. */
    @Property(tries = 300)
    void fuzzedInputsFailCleanly(@ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int seed) {
        Random r = new Random(seed);
        int n = r.nextInt(200);
        long[] t = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = r.nextBoolean() ? i * 1000L : r.nextLong();
            v[i] = r.nextBoolean() ? r.nextInt(5) : r.nextGaussian();
        }
        byte[] good = codec.encodeToArray("fuzz", t, v, 0, n);
        SampleBatch b = new SampleBatch(16);
        for (int k = 0; k < 50; k++) {
            byte[] bad = r.nextBoolean() ? Arrays.copyOf(good, r.nextInt(good.length + 1)) : good.clone();
            int flips = 1 + r.nextInt(4);
            for (int f = 0; f < flips && bad.length > 0; f++) bad[r.nextInt(bad.length)] ^= (byte) (1 << r.nextInt(8));
            try {
                SampleBatchCodec.decode(bad, b);
                assertThat(b.count()).isLessThanOrEqualTo(bad.length);
            } catch (IllegalArgumentException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
        byte[] noise = new byte[r.nextInt(64)];
        r.nextBytes(noise);
        if (noise.length > 2) {
            noise[0] = SampleBatchCodec.MAGIC;
            noise[1] = SampleBatchCodec.VERSION;
            noise[2] = (byte) r.nextInt(2);
        }
        try {
            SampleBatchCodec.decode(noise, b);
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    /** Bytes per sample of the encoding on 20 kHz series, printed for the record and bounded. */
    @Test
    void bytesPerSample() {
        int n = 4096;
        long[] t = new long[n];
        double[] v = new double[n];
        Random r = new Random(1);
        long t0 = 1_767_000_000_000_000_000L;
        // regular 20 kHz, a 16-bit ADC's readings in g (quantised: code / 3276.8)
        for (int i = 0; i < n; i++) {
            t[i] = t0 + i * 50_000L;
            v[i] = Math.round(8000 * Math.sin(i * 0.07) + r.nextGaussian() * 40) / 3276.8;
        }
        double regularAdc = (double) codec.encode("spindle.vib.x", t, v, 0, n) / n;
        // regular 20 kHz, full-precision doubles (computed, not quantised)
        for (int i = 0; i < n; i++) v[i] = 2.4 * Math.sin(i * 0.07) + r.nextGaussian() * 0.01;
        double regularFull = (double) codec.encode("spindle.vib.x", t, v, 0, n) / n;
        // jittered 20 kHz (+-2 us), full-precision doubles
        long now = t0;
        for (int i = 0; i < n; i++) t[i] = now += 50_000 + r.nextInt(4001) - 2000;
        double jitteredFull = (double) codec.encode("spindle.vib.x", t, v, 0, n) / n;
        // a slow CNC value: repeated loads 9, 9, 10 at 20 kHz
        for (int i = 0; i < n; i++) {
            t[i] = t0 + i * 50_000L;
            v[i] = 9 + (i / 100) % 2;
        }
        double repeated = (double) codec.encode("spindle.load", t, v, 0, n) / n;
        System.out.printf("SampleBatchCodec bytes/sample at 20 kHz, 4096 samples: regular+ADC %.2f, regular+full %.2f, "
                + "jittered+full %.2f, regular+repeated %.2f%n", regularAdc, regularFull, jitteredFull, repeated);
        assertThat(regularFull).isLessThan(9.1);
        assertThat(jitteredFull).isLessThan(11);
        assertThat(regularAdc).isLessThan(7);
        assertThat(repeated).isLessThan(2.1);
    }
}
