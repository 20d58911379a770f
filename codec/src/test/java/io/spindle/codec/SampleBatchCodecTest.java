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
    private final SampleBatchCodec v2 = new SampleBatchCodec(2);
    private final SampleBatchCodec v3 = new SampleBatchCodec();
    private final SampleBatchCodec[] all = {v1, v2, v3};

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

    /** Random batches of every kind of time and value, sub-ranges included, in every version. */
    @Property(tries = 400)
    void roundTrips(@ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int seed) {
        Random r = new Random(seed);
        int n = r.nextInt(5) == 0 ? r.nextInt(3) : r.nextInt(3000);
        long[] t = new long[n];
        double[] v = new double[n];
        int timeKind = r.nextInt(6), valueKind = r.nextInt(9);
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
                case 7 -> i * 0.1; // 0.30000000000000004 and friends: decimals only with many digits
                default -> Double.parseDouble(String.format(java.util.Locale.ROOT, "%.15g", (r.nextInt(2000) - 1000) * 50 / 60.0)); // ratios
            };
        }
        int from = n == 0 ? 0 : r.nextInt(n + 1);
        int to = from + (n == from ? 0 : r.nextInt(n - from + 1));
        String series = r.nextBoolean() ? "spindle/x" + r.nextInt(10) : "Schwingung ö 振動 " + seed;
        for (SampleBatchCodec c : all) {
            assertRoundTrip(c, series, t, v, 0, n);
            assertRoundTrip(c, series, t, v, from, to);
        }
    }

    @Test
    void extremesAndSpecialValues() {
        long[] t = {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1};
        double[] v = {Double.NaN, Double.longBitsToDouble(0x7ff0000000000001L), Double.longBitsToDouble(0xfff8dead0000beefL),
                -0.0, Double.MIN_VALUE, Double.POSITIVE_INFINITY, Double.MAX_VALUE};
        for (SampleBatchCodec c : all) {
            assertRoundTrip(c, "x", t, v, 0, t.length);
            assertRoundTrip(c, "", new long[0], new double[0], 0, 0);
            assertRoundTrip(c, "one", new long[]{42}, new double[]{Double.NaN}, 0, 1);
            assertRoundTrip(c, "one", new long[]{42}, new double[]{12.5}, 0, 1);
            assertRoundTrip(c, "two", new long[]{Long.MAX_VALUE, Long.MIN_VALUE}, new double[]{-0.0, 0.0}, 0, 2);
            assertRoundTrip(c, "min", new long[]{0, Long.MIN_VALUE, 0, Long.MIN_VALUE}, new double[]{1, 2, 3, 4}, 0, 4);
            assertRoundTrip(c, "big", new long[]{1, 2, 3}, new double[]{9.2e18, -9.2e18, 9.2e18}, 0, 3);
            // magic, version, (v1, v2: value encoding, u16 name length; v3: mode, varint name length), name, count
            assertThat(c.encodeToArray("e", new long[0], new double[0], 0, 0)).hasSize(c.version() == 3 ? 6 : 7);
        }
        assertThatThrownBy(() -> new SampleBatchCodec(4)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version 4");
        assertThatThrownBy(() -> new SampleBatchCodec(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version 0");
        assertThat(new SampleBatchCodec().version()).isEqualTo(SampleBatchCodec.VERSION).isEqualTo(3);
        assertThat(v2.version()).isEqualTo(2);
    }

    @Test
    void decodeReusesColumnsAndTheSeriesName() {
        long[] t = new long[100];
        double[] v = new double[100];
        for (int i = 0; i < 100; i++) {
            t[i] = i;
            v[i] = i;
        }
        for (SampleBatchCodec c : all) {
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

    // the golden batches: 12 samples of a drifting millisecond clock (0.071 % fast, stamped in 100 ns with jitter)
    private static final long[] GOLDEN_T = new long[12];
    private static final double[] POSITIONS = {269.0133, 239.7733, 210.5, 181.25, 152.0, 122.75, 93.5, 93.5, 64.25, 35.0, 5.75, -23.5};
    private static final double[] ODD = {Double.NaN, -0.0, 1e300, Double.longBitsToDouble(0xfff8dead0000beefL), 0.1, 0.1,
            0.30000000000000004, Double.NEGATIVE_INFINITY, 1.5, 1.5, 2.5, Double.MIN_VALUE};
    private static final double[] SPEEDS = {0, 83.3333333333333, 5000, 4983.33333333333, 5016.66666666667, 5000, 4716.66666666667,
            5000, 4983.33333333333, 5000, 21533.3333333333, 5000};

    static {
        int[] steps = {365, 357, 328, 356, 339, 309, 378, 326, 313, 312, 314, 310};
        int[] jitter = {0, 2, -3, 1, 0, 4, -1, 0, 2, 0, -4, 1};
        long ms = 0;
        for (int i = 0; i < 12; i++) {
            ms += steps[i];
            GOLDEN_T[i] = 1_659_966_694_716_714_600L + 100 * Math.round(ms * 10_007.1) + 100L * jitter[i];
        }
    }

    /**
     * Batches written by versions 2 and 3 decode to what they hold, forever (the store keeps them), and the encoders
     * still write them byte for byte (version 2 must never change; a better version-3 encoder updates these bytes).
     */
    @Test
    void readsAndWritesTheGoldenBatchesOfVersions2And3() {
        String[][] golden = {
                {"okuma/Z1actw", "5302020c006f6b756d612f5a31616374770c2818570fea6209176401c1adc68b27018c05050600073104040004aab1c80221a7da23000914be88dbc3345a117d0dd66d9d74be699174438ed280",
                        "5303120c6f6b756d612f5a31616374770c2818570fea62091764c1adc68b278c0524aab1c802a7da231333209adab31ee9d448f1edd69ebc7300b575c0f928c02520"},
                {"s", "5302010100730c2818570fea6209176401c1adc68b27018c050506000731040400be88dbc3345a117d0dd66d9d74be67ff8000000000000c033fff81eff1bf21e44003acf81fc0e79d48c40065b9d80828e6933324eea801aaaaaaaaaaaabac023333333333334c033002c133fff83f40040000000000010",
                        "53030a01730c2818570fea62091764c1adc68b278c051433209adab31ee9d448f1edd69ebc45531b42dffef928c07ff8000000000000fff1f8df90f22001d6700e79d48c40065b9c041473499992775aaaaaaaaaaaaba01199999999999a4008fff00040000000000010"},
                {"okuma/S1CuttingSpeedA", "53020215006f6b756d612f533143757474696e675370656564410c2818570fea6209176401c1adc68b27018c0505060007310404000d000190abb3b7a3e54b32353b00be88dbc3345a117d0dd66d9d74be6897951b766aa358ae153d89fe7fe325e546dd9ab1f25e546dd9ab2097951b766ac7eaa87bee537fffd2f2a36ecd54e04bca8dbb3563ff495946a9ecdd270d25fcafc329df63c0",
                        "53031a156f6b756d612f533143757474696e675370656564410c2818570fea62091764c1adc68b278c058f0300321733209adab31ee9d448f1edd69ebc639b32455cc8abb6acf928c0a73c00"}};
        double[][] values = {POSITIONS, ODD, SPEEDS};
        SampleBatch b = new SampleBatch();
        for (int k = 0; k < golden.length; k++) {
            for (int version = 2; version <= 3; version++) {
                byte[] stored = java.util.HexFormat.of().parseHex(golden[k][version - 1]);
                SampleBatchCodec.decode(stored, b);
                assertThat(b.series()).isEqualTo(golden[k][0]);
                assertThat(Arrays.copyOf(b.times(), b.count())).containsExactly(GOLDEN_T);
                assertThat(Arrays.stream(b.values(), 0, b.count()).mapToLong(Double::doubleToRawLongBits).toArray())
                        .containsExactly(Arrays.stream(values[k]).mapToLong(Double::doubleToRawLongBits).toArray());
                assertThat(all[version - 1].encodeToArray(golden[k][0], GOLDEN_T, values[k], 0, 12)).as("version %d, batch %d", version, k).isEqualTo(stored);
            }
        }
    }

    static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) out[i] = (byte) b[i];
        return out;
    }

    @Test
    void badRangesAndNames() {
        for (SampleBatchCodec c : all) {
            assertThatThrownBy(() -> c.encode("s", new long[2], new double[1], 0, 2)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> c.encode("s", new long[2], new double[2], 2, 1)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> c.encode(null, new long[1], new double[1], 0, 1)).hasMessageContaining("series is null");
            assertThatThrownBy(() -> c.encode("x".repeat(70_000), new long[1], new double[1], 0, 1)).hasMessageContaining("longer than 65535");
        }
        assertThatThrownBy(() -> SampleBatchCodec.decode(new byte[4], 2, 3, new SampleBatch())).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
