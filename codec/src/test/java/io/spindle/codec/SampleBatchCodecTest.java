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
    private final SampleBatchCodec v1 = new SampleBatchCodec(1);
    private final SampleBatchCodec v2 = new SampleBatchCodec();

    static void assertRoundTrip(SampleBatchCodec codec, String series, long[] t, double[] v, int from, int to) {
        byte[] bytes = codec.encodeToArray(series, t, v, from, to);
        assertThat(bytes[1]).isEqualTo((byte) codec.version());
        SampleBatch batch = new SampleBatch(0);
        SampleBatchCodec.decode(bytes, batch);
        assertThat(batch.series()).isEqualTo(series);
        assertThat(batch.count()).isEqualTo(to - from);
        assertThat(Arrays.copyOf(batch.times(), batch.count())).isEqualTo(Arrays.copyOfRange(t, from, to));
        for (int i = 0; i < batch.count(); i++)
            assertThat(Double.doubleToRawLongBits(batch.value(i))).as("value %d bits", i).isEqualTo(Double.doubleToRawLongBits(v[from + i]));
    }

    /** Random batches of every kind of time and value, sub-ranges included, in both versions. */
    @Property(tries = 400)
    void roundTrips(@ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int seed) {
        Random r = new Random(seed);
        int n = r.nextInt(5) == 0 ? r.nextInt(3) : r.nextInt(3000);
        long[] t = new long[n];
        double[] v = new double[n];
        int timeKind = r.nextInt(6), valueKind = r.nextInt(8);
        long now = r.nextLong();
        double drift = 1 + (r.nextDouble() - 0.5) * 0.02;
        for (int i = 0; i < n; i++) {
            t[i] = switch (timeKind) {
                case 0 -> 1_700_000_000_000_000_000L + i * 50_000L; // regular
                case 1 -> now += 50_000 + r.nextInt(2001) - 1000; // jittered
                case 2 -> r.nextLong(); // anything, decreasing and negative included
                case 3 -> now += 100 * Math.round((300 + r.nextInt(100)) * 10_000 * drift) + 100 * (r.nextInt(3) - 1); // drifting ms clock
                case 4 -> now += r.nextInt(3) * 1_000_000L; // ms steps, repeats included
                default -> now -= r.nextInt(1_000_000); // decreasing
            };
            v[i] = switch (valueKind) {
                case 0 -> r.nextGaussian();
                case 1 -> Math.round(r.nextGaussian() * 1000) / 1000.0; // 3 decimals
                case 2 -> r.nextInt(3) + 9; // 9, 10, 11
                case 3 -> Double.longBitsToDouble(r.nextLong()); // any bits, NaN payloads and infinities included
                case 4 -> i % 7 == 0 ? Double.NaN : i % 11 == 0 ? Double.NEGATIVE_INFINITY : -0.0;
                case 5 -> Math.round(Math.sin(i * 0.01) * 5e6) / 1e4 + (i == n / 2 ? 1e-9 : 0); // decimals, one not
                case 6 -> (r.nextBoolean() ? 1 : -1) * r.nextLong() / 1e4; // large decimals near 2^53 and beyond
                default -> i * 0.1; // 0.30000000000000004 and friends: decimals only with many digits
            };
        }
        int from = n == 0 ? 0 : r.nextInt(n + 1);
        int to = from + (n == from ? 0 : r.nextInt(n - from + 1));
        String series = r.nextBoolean() ? "spindle/x" + r.nextInt(10) : "Schwingung ö 振動 " + seed;
        for (SampleBatchCodec c : new SampleBatchCodec[]{v1, v2}) {
            assertRoundTrip(c, series, t, v, 0, n);
            assertRoundTrip(c, series, t, v, from, to);
        }
    }

    @Test
    void extremesAndSpecialValues() {
        long[] t = {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1};
        double[] v = {Double.NaN, Double.longBitsToDouble(0x7ff0000000000001L), Double.longBitsToDouble(0xfff8dead0000beefL),
                -0.0, Double.MIN_VALUE, Double.POSITIVE_INFINITY, Double.MAX_VALUE};
        for (SampleBatchCodec c : new SampleBatchCodec[]{v1, v2}) {
            assertRoundTrip(c, "x", t, v, 0, t.length);
            assertRoundTrip(c, "", new long[0], new double[0], 0, 0);
            assertRoundTrip(c, "one", new long[]{42}, new double[]{Double.NaN}, 0, 1);
            assertRoundTrip(c, "two", new long[]{Long.MAX_VALUE, Long.MIN_VALUE}, new double[]{-0.0, 0.0}, 0, 2);
            assertRoundTrip(c, "min", new long[]{0, Long.MIN_VALUE, 0, Long.MIN_VALUE}, new double[]{1, 2, 3, 4}, 0, 4);
            assertThat(c.encodeToArray("e", new long[0], new double[0], 0, 0)).hasSize(3 + 2 + 1 + 1);
        }
        assertThatThrownBy(() -> new SampleBatchCodec(3)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version 3");
        assertThat(new SampleBatchCodec().version()).isEqualTo(SampleBatchCodec.VERSION).isEqualTo(2);
    }

    @Test
    void decodeReusesColumnsAndTheSeriesName() {
        long[] t = new long[100];
        double[] v = new double[100];
        for (int i = 0; i < 100; i++) {
            t[i] = i;
            v[i] = i;
        }
        for (SampleBatchCodec c : new SampleBatchCodec[]{v1, v2}) {
            SampleBatch batch = new SampleBatch(100);
            SampleBatchCodec.decode(c.encodeToArray("s", t, v, 0, 100), batch);
            long[] times = batch.times();
            String name = batch.series();
            SampleBatchCodec.decode(c.encodeToArray("s", t, v, 10, 20), batch);
            assertThat(batch.times()).isSameAs(times);
            assertThat(batch.series()).isSameAs(name);
            assertThat(batch.count()).isEqualTo(10);
            assertThat(batch.time(0)).isEqualTo(10);
            assertThatThrownBy(() -> batch.time(10)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    /** Version 1 batches written by the version-1-only codec still decode, and version 1 is still written the same. */
    @Test
    void readsVersion1() {
        // made by the codec before version 2: "s", times 1, 2, 3; XOR values 1.5, 2.5, 3.5
        byte[] old = bytes(0x53, 0x01, 0x01, 0x01, 0x00, 0x73, 0x03, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
                0x00, 0x02, 0x3f, 0xf8, 0x02, 0x7f, 0xfc, 0x11, 0x08);
        // "vib", times 1000, 1050, 1100, 1149; values 0.1, -0.0, NaN, 1e300
        byte[] old2 = bytes(0x53, 0x01, 0x01, 0x03, 0x00, 0x76, 0x69, 0x62, 0x04, 0xe8, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00,
                0x00, 0x64, 0x00, 0x01, 0x08, 0x3f, 0xb9, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9a, 0x08, 0xbf, 0xb9, 0x99, 0x99,
                0x99, 0x99, 0x99, 0x9a, 0x02, 0xff, 0xf8, 0x08, 0x01, 0xcf, 0xe4, 0x3c, 0x88, 0x00, 0x75, 0x9c);
        SampleBatch b = new SampleBatch();
        SampleBatchCodec.decode(old, b);
        assertThat(b.series()).isEqualTo("s");
        assertThat(Arrays.copyOf(b.times(), b.count())).containsExactly(1, 2, 3);
        assertThat(Arrays.copyOf(b.values(), b.count())).containsExactly(1.5, 2.5, 3.5);
        SampleBatchCodec.decode(old2, b);
        assertThat(Arrays.copyOf(b.times(), b.count())).containsExactly(1000, 1050, 1100, 1149);
        assertThat(Arrays.stream(b.values(), 0, 4).mapToLong(Double::doubleToRawLongBits).toArray())
                .containsExactly(Double.doubleToRawLongBits(0.1), Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(Double.NaN),
                        Double.doubleToRawLongBits(1e300));
        assertThat(v1.encodeToArray("s", new long[]{1, 2, 3}, new double[]{1.5, 2.5, 3.5}, 0, 3)).isEqualTo(old);
        assertThat(v1.encodeToArray("vib", new long[]{1000, 1050, 1100, 1149}, new double[]{0.1, -0.0, Double.NaN, 1e300}, 0, 4)).isEqualTo(old2);
    }

    static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) out[i] = (byte) b[i];
        return out;
    }

    @Test
    void badRangesAndNames() {
        assertThatThrownBy(() -> v2.encode("s", new long[2], new double[1], 0, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> v2.encode(null, new long[1], new double[1], 0, 1)).hasMessageContaining("series is null");
        assertThatThrownBy(() -> v2.encode("x".repeat(70_000), new long[1], new double[1], 0, 1)).hasMessageContaining("longer than 65535");
        assertThatThrownBy(() -> SampleBatchCodec.decode(new byte[4], 2, 3, new SampleBatch())).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
