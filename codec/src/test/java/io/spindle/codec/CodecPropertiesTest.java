package io.spindle.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Properties of every version: every input round-trips bit for bit; every byte string decodes or fails cleanly. */
class CodecPropertiesTest {
    private final SampleBatchCodec v1 = new SampleBatchCodec(1);
    private final SampleBatchCodec v2 = new SampleBatchCodec(2);
    private final SampleBatchCodec v3 = new SampleBatchCodec(3);
    private final SampleBatchCodec[] all = {v1, v2, v3};

    @Provide
    Arbitrary<long[]> times() {
        Arbitrary<Long> extreme = Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L, 1L, Long.MIN_VALUE + 1);
        Arbitrary<Long> near = Arbitraries.longs().between(1_700_000_000_000_000_000L, 1_700_000_000_001_000_000L);
        return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.longs()), Tuple.of(2, near), Tuple.of(1, extreme))
                .array(long[].class).ofMaxSize(300);
    }

    @Provide
    Arbitrary<long[]> valueBits() {
        Arbitrary<Long> special = Arbitraries.of(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(Double.NaN),
                0x7ff0000000000001L, 0xfff8dead0000beefL, Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY),
                Double.doubleToRawLongBits(0.1), Double.doubleToRawLongBits(123.4), Double.doubleToRawLongBits(Double.MIN_VALUE));
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.longs()), Tuple.of(1, special))
                .array(long[].class).ofMaxSize(300);
    }

    /** Arbitrary times (Long.MIN/MAX, decreasing, wrapping deltas) and value bits (NaN payloads, -0.0) round-trip. */
    @Property(tries = 300)
    void arbitrarySamplesRoundTrip(@ForAll("times") long[] t, @ForAll("valueBits") long[] bits) {
        int n = Math.min(t.length, bits.length);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = Double.longBitsToDouble(bits[i]);
        for (SampleBatchCodec c : all) SampleBatchCodecTest.assertRoundTrip(c, "p", t, v, 0, n);
    }

    /** Decimal values with random digits, some broken by one non-decimal value, over random clocks. */
    @Property(tries = 300)
    void decimalSeriesRoundTrip(@ForAll @IntRange(min = 0, max = 12) int digits, @ForAll @Size(max = 400) long[] scaled,
                                @ForAll @IntRange(min = -1, max = 399) int broken, @ForAll long start) {
        int n = scaled.length;
        long[] t = new long[n];
        double[] v = new double[n];
        double p = Math.pow(10, digits);
        long now = start;
        for (int i = 0; i < n; i++) {
            t[i] = now += 1_000_700 * (i % 5 + 1);
            v[i] = (scaled[i] % 100_000_000_000L) / p;
        }
        if (broken >= 0 && broken < n) v[broken] = Math.nextUp(v[broken]);
        SampleBatchCodecTest.assertRoundTrip(v2, "d", t, v, 0, n);
        SampleBatchCodecTest.assertRoundTrip(v3, "d", t, v, 0, n);
    }

    /** Random bytes behind a valid magic and version: a clean decode or an IllegalArgumentException, nothing else. */
    @Property(tries = 2000)
    void randomBytesFailCleanly(@ForAll @Size(max = 200) byte[] noise, @ForAll @IntRange(min = 1, max = 3) int version,
                                @ForAll @IntRange(min = 0, max = 32) int encoding) {
        if (noise.length > 2) {
            noise[0] = SampleBatchCodec.MAGIC;
            noise[1] = (byte) version;
            noise[2] = (byte) encoding;
        }
        SampleBatch b = new SampleBatch(16);
        try {
            SampleBatchCodec.decode(noise, b);
            assertThat(b.count()).isLessThanOrEqualTo(noise.length * 8);
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    /** Truncations and bit flips of valid batches: a clean decode or an IllegalArgumentException, nothing else. */
    @Property(tries = 300)
    void corruptedBatchesFailCleanly(@ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int seed) {
        Random r = new Random(seed);
        int n = r.nextInt(300);
        long[] t = new long[n];
        double[] v = new double[n];
        long now = r.nextLong();
        int kind = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            t[i] = switch (kind) {
                case 0 -> i * 1000L;
                case 1 -> now += 100 * Math.round(3_500_000 * 1.0007) + 100 * r.nextInt(5);
                default -> r.nextLong();
            };
            v[i] = switch (r.nextInt(5)) {
                case 0 -> r.nextInt(5);
                case 1 -> Math.round(r.nextGaussian() * 1e4) / 1e4;
                case 2 -> Double.parseDouble(String.format(java.util.Locale.ROOT, "%.15g", r.nextInt(500) / 60.0));
                case 3 -> Double.longBitsToDouble(r.nextLong());
                default -> r.nextGaussian();
            };
        }
        SampleBatchCodec c = all[r.nextInt(3)];
        byte[] good = c.encodeToArray("fuzz", t, v, 0, n);
        SampleBatch b = new SampleBatch(16);
        for (int k = 0; k < 50; k++) {
            byte[] bad = r.nextBoolean() ? Arrays.copyOf(good, r.nextInt(good.length + 1)) : good.clone();
            int flips = 1 + r.nextInt(4);
            for (int f = 0; f < flips && bad.length > 0; f++) bad[r.nextInt(bad.length)] ^= (byte) (1 << r.nextInt(8));
            try {
                SampleBatchCodec.decode(bad, b);
                assertThat(b.count()).isLessThanOrEqualTo(bad.length * 8);
            } catch (IllegalArgumentException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }

    /**
     * A valid version-3 header (every mode, random header fields) over random codes: the range and raw decoders run
     * deep into garbage, and still only decode or throw IllegalArgumentException, allocating no more than the bytes
     * allow.
     */
    @Property(tries = 1500)
    void version3HeadersOverRandomCodesFailCleanly(@ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int seed) {
        Random r = new Random(seed);
        int time = r.nextInt(4), value = r.nextInt(4);
        int count = 2 + r.nextInt(r.nextBoolean() ? 10 : 3000);
        byte[] b = new byte[64 + 400];
        int p = 0;
        b[p++] = SampleBatchCodec.MAGIC;
        b[p++] = 3;
        b[p++] = (byte) (time | (time == 1 && r.nextBoolean() ? 4 : 0) | value << 3);
        b[p++] = 1;
        b[p++] = 'p';
        p = ByteCursor.writeVarint(b, p, count);
        p = ByteCursor.writeI64(b, p, r.nextLong());
        p = ByteCursor.writeVarint(b, p, 1 + r.nextInt(1000)); // quantum
        if (time == 2) p = ByteCursor.writeVarint(b, p, (1L << 20) + r.nextInt(1 << 30)); // tick
        if (time != 3) p = ByteCursor.writeZigzag(b, p, r.nextInt(2000) - 1000); // base
        if (value >= 2) {
            boolean gcd = r.nextBoolean();
            int predictor = r.nextInt(4);
            b[p++] = (byte) ((value == 3 ? 1 + r.nextInt(15) : r.nextInt(19)) | predictor << 5 | (gcd ? 0x80 : 0));
            if (value == 3) p = ByteCursor.writeVarint(b, p, 1 + r.nextInt(1000));
            p = ByteCursor.writeZigzag(b, p, r.nextInt(1 << 20));
            if (gcd) p = ByteCursor.writeVarint(b, p, 2 + r.nextInt(100));
            if (predictor == 1) p = ByteCursor.writeZigzag(b, p, r.nextInt(100) - 50);
        }
        int codes = r.nextInt(400);
        p = ByteCursor.writeVarint(b, p, r.nextInt(codes + 1));
        for (int i = 0; i < codes; i++) b[p++] = (byte) r.nextInt(256);
        byte[] batch = Arrays.copyOf(b, p);
        SampleBatch out = new SampleBatch(16);
        try {
            SampleBatchCodec.decode(batch, out);
            assertThat(out.count()).isEqualTo(count).isLessThanOrEqualTo(64 * batch.length + 64);
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
        assertThat(out.times().length).isLessThanOrEqualTo(Math.max(16, 64 * batch.length + 64));
    }
}
