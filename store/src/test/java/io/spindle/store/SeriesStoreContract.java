package io.spindle.store;

import io.spindle.codec.SampleBatchCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link SeriesStore} must do, run against a real database by each implementation's subclass. Each test
 * gets a fresh, empty location (a file, a schema); {@link #open} called again in a test reopens the same one.
 */
abstract class SeriesStoreContract {
    static final long SEC = 1_000_000_000L;
    static final int RAW = SeriesStore.RAW;
    private final List<SeriesStore> opened = new ArrayList<>();

    /** Opens the store at this test's location. */
    abstract SeriesStore openAt(StoreConfig cfg);

    /** Runs SQL beside the store on its database; {p} stands for the table prefix. */
    abstract void admin(String sql, Object... params);

    /** The first column of the first row of an SQL query beside the store ({p} as in admin). */
    abstract long adminLong(String sql);

    /** Makes the database refuse (with an error) to insert an event whose value is 'poison'. */
    abstract void installPoisonTrigger();

    abstract void dropPoisonTrigger();

    StoreConfig config() {
        return StoreConfig.defaults().withRawMaxBytesPerSeries(0).withRawMaxAgeNanos(0);
    }

    SeriesStore open(StoreConfig cfg) {
        SeriesStore s = openAt(cfg);
        opened.add(s);
        return s;
    }

    SeriesStore open() {
        return open(config());
    }

    @AfterEach
    void closeStores() {
        for (SeriesStore s : opened) s.close();
        opened.clear();
    }

    static long[] times(long start, long step, int n) {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) t[i] = start + i * step;
        return t;
    }

    static double[] values(int n, double offset) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = offset + i * 0.5;
        return v;
    }

    /** Every point of series/tier in [from, to), read with a generous limit. */
    static TreeMap<Long, Double> readAll(SeriesStore s, String series, int tier, long from, long to) {
        int cap = (int) Math.min(2_000_000, s.count(series, tier, from, to) + 10);
        long[] t = new long[cap];
        double[] v = new double[cap];
        int n = s.read(series, tier, from, to, cap, t, v);
        TreeMap<Long, Double> out = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            if (i > 0) assertThat(t[i]).as("ascending times").isGreaterThan(t[i - 1]);
            out.put(t[i], v[i]);
        }
        return out;
    }

    // ---- points, ranges, limits

    @Test
    void tierPointsReadBackByHalfOpenRangeAndLimit() {
        SeriesStore s = open();
        long[] t = times(1000, 10, 100);
        double[] v = values(100, 0);
        // handed over shuffled: the store sorts
        Random r = new Random(1);
        for (int i = t.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            long tt = t[i]; t[i] = t[j]; t[j] = tt;
            double vv = v[i]; v[i] = v[j]; v[j] = vv;
        }
        s.batch().points("a", 0, t, v, 0, 100).points("a", 1, new long[]{1000, 1500}, new double[]{-1, -2}, 0, 2).commit();

        long[] to = new long[200];
        double[] vo = new double[200];
        assertThat(s.read("a", 0, 1000, 2000, 200, to, vo)).isEqualTo(100);
        for (int i = 0; i < 100; i++) {
            assertThat(to[i]).isEqualTo(1000 + 10L * i);
            assertThat(vo[i]).isEqualTo(i * 0.5);
        }
        assertThat(s.read("a", 0, 1050, 1100, 200, to, vo)).isEqualTo(5);
        assertThat(Arrays.copyOf(to, 5)).containsExactly(1050, 1060, 1070, 1080, 1090);
        assertThat(s.read("a", 0, 1000, 2000, 3, to, vo)).isEqualTo(3);
        assertThat(Arrays.copyOf(to, 3)).containsExactly(1000, 1010, 1020);
        assertThat(s.read("a", 0, 1055, 1056, 10, to, vo)).isZero();
        assertThat(s.read("a", 0, 2000, 1000, 10, to, vo)).isZero();
        assertThat(s.read("a", 0, 1000, 2000, 0, to, vo)).isZero();
        assertThat(s.read("nope", 0, 0, Long.MAX_VALUE, 10, to, vo)).isZero();
        assertThat(s.read("a", 2, 0, Long.MAX_VALUE, 10, to, vo)).isZero();
        assertThat(s.read("a", 1, 0, Long.MAX_VALUE, 10, to, vo)).isEqualTo(2);
        assertThat(vo[0]).isEqualTo(-1);

        assertThat(s.count("a", 0, 1050, 1100)).isEqualTo(5);
        assertThat(s.count("a", 0, Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(100);
        assertThat(s.count("a", 0, 0, 1000)).isZero();
        assertThat(s.count("a", 0, 1990, Long.MAX_VALUE)).isEqualTo(1);
        assertThat(s.count("a", 0, 1000, 1990)).isEqualTo(99);
        assertThat(s.count("a", 1, 0, Long.MAX_VALUE)).isEqualTo(2);
        assertThat(s.count("nope", 0, 0, Long.MAX_VALUE)).isZero();
        assertThat(s.count("a", RAW, 0, Long.MAX_VALUE)).isZero();
    }

    @Test
    void nanAndInfinitiesRoundTripInTiersAndRaw() {
        SeriesStore s = open();
        long[] t = {1, 2, 3, 4, 5};
        double[] v = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e-300, -7.25};
        s.batch().points("x", 0, t, v, 0, 5).points("x", RAW, t, v, 0, 5).commit();
        for (int tier : new int[]{0, RAW}) {
            long[] to = new long[5];
            double[] vo = new double[5];
            assertThat(s.read("x", tier, 0, 10, 5, to, vo)).isEqualTo(5);
            assertThat(to).containsExactly(t);
            assertThat(vo[0]).isNaN();
            assertThat(Arrays.copyOfRange(vo, 1, 5)).containsExactly(Arrays.copyOfRange(v, 1, 5));
        }
    }

    @Test
    void extremeTimestampsAreStoredAndRangesDoNotOverflow() {
        // no span cap: one chunk spans Long.MIN_VALUE..Long.MAX_VALUE, wider than a long can say
        SeriesStore s = open(config().withRawChunkMaxSpanNanos(0));
        long[] t = {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE};
        double[] v = {1, 2, 3, 4};
        s.batch().points("e", 0, t, v, 0, 4).points("e", RAW, t, v, 0, 4).event("e", Long.MIN_VALUE, "lo").commit();
        // a replay of the raw chunk must find it despite its span overflowing a long
        s.batch().points("e", RAW, t, v, 0, 4).commit();
        assertThat(s.stats().duplicates()).isEqualTo(4);
        for (int tier : new int[]{0, RAW}) {
            assertThat(s.count("e", tier, Long.MIN_VALUE, Long.MAX_VALUE)).as("tier %d", tier).isEqualTo(3);
            assertThat(s.count("e", tier, -1, 1)).isEqualTo(2);
            long[] to = new long[4];
            double[] vo = new double[4];
            assertThat(s.read("e", tier, Long.MIN_VALUE, Long.MAX_VALUE, 4, to, vo)).isEqualTo(3);
            assertThat(Arrays.copyOf(to, 3)).containsExactly(Long.MIN_VALUE, -1, 0);
            assertThat(s.read("e", tier, 0, Long.MAX_VALUE, 4, to, vo)).isEqualTo(1);
        }
        assertThat(s.events("e", Long.MIN_VALUE, 0, 10)).extracting(SeriesStore.Event::value).containsExactly("lo");
    }

    // ---- idempotency

    private static WriteBatch sample(SeriesStore s, double valueOffset) {
        long[] t = times(5 * SEC, 1_000_000, 10_000);
        double[] v = values(10_000, valueOffset);
        WriteBatch b = s.batch().points("m1.load", RAW, t, v, 0, 10_000);
        long[] t0 = times(5 * SEC, 100_000_000, 100);
        double[] v0 = values(100, valueOffset);
        b.points("m1.load", 0, t0, v0, 0, 100);
        for (int i = 0; i < 5; i++) b.event("m1.mode", 5 * SEC + i * SEC, "MODE" + i + "@" + valueOffset);
        return b.state("consumer", new byte[]{1, 2, 3});
    }

    @Test
    void committingTheSameBatchTwiceKeepsOneCopyAndCountsDuplicates() {
        SeriesStore s = open();
        sample(s, 0).commit();
        assertThat(s.stats().rowsWritten()).isEqualTo(10_105);
        assertThat(s.stats().duplicates()).isZero();
        TreeMap<Long, Double> raw = readAll(s, "m1.load", RAW, Long.MIN_VALUE, Long.MAX_VALUE);
        TreeMap<Long, Double> tier0 = readAll(s, "m1.load", 0, Long.MIN_VALUE, Long.MAX_VALUE);

        sample(s, 0).commit();
        assertThat(s.stats().rowsWritten()).isEqualTo(10_105);
        assertThat(s.stats().duplicates()).isEqualTo(10_105);
        assertThat(s.stats().commits()).isEqualTo(2);
        // a replay with other values keeps the first ones
        sample(s, 1000).commit();
        assertThat(s.stats().duplicates()).isEqualTo(2 * 10_105);
        assertThat(readAll(s, "m1.load", RAW, Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(raw).hasSize(10_000);
        assertThat(readAll(s, "m1.load", 0, Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(tier0).hasSize(100);
        assertThat(s.events("m1.mode", 0, Long.MAX_VALUE, 100)).extracting(SeriesStore.Event::value)
                .containsExactly("MODE0@0.0", "MODE1@0.0", "MODE2@0.0", "MODE3@0.0", "MODE4@0.0");
        assertThat(s.series()).filteredOn(i -> i.series().equals("m1.load")).singleElement()
                .satisfies(i -> assertThat(i.rawCount()).isEqualTo(10_000));
    }

    @Test
    void repeatsInsideOneBatchKeepTheFirstAddedValue() {
        SeriesStore s = open();
        long[] t = {5, 5, 3, 5, 3};
        double[] v = {1, 2, 3, 4, 5};
        s.batch().points("d", 0, t, v, 0, 5).points("d", RAW, t, v, 0, 5)
                .points("d", 0, new long[]{3}, new double[]{9}, 0, 1)
                .event("d", 7, "first").event("d", 7, "second").commit();
        for (int tier : new int[]{0, RAW}) {
            assertThat(readAll(s, "d", tier, 0, 10)).as("tier %d", tier).isEqualTo(new TreeMap<>(Map.of(3L, 3.0, 5L, 1.0)));
        }
        assertThat(s.events("d", 0, 10, 10)).extracting(SeriesStore.Event::value).containsExactly("first");
        assertThat(s.stats().duplicates()).isEqualTo(3 + 4 + 1);
        assertThat(s.stats().rowsWritten()).isEqualTo(2 + 2 + 1);
    }

    // ---- atomicity

    @Test
    void aFailedCommitWritesNothingNotEvenStateAndTheStoreStaysUsable() {
        SeriesStore s = open();
        s.batch().points("a", 0, new long[]{1}, new double[]{1}, 0, 1).state("pos", new byte[]{1}).commit();
        installPoisonTrigger();
        WriteBatch b = s.batch()
                .points("new.raw", RAW, times(100, 1, 5000), values(5000, 0), 0, 5000)
                .points("a", 0, new long[]{2, 3}, new double[]{2, 3}, 0, 2)
                .event("ev", 10, "fine").event("ev", 11, "poison")
                .state("pos", new byte[]{2});
        assertThatThrownBy(b::commit).isInstanceOf(StoreException.class)
                .hasMessageContaining(s.location()).hasMessageContaining("forced failure");
        assertThat(s.state("pos")).containsExactly(1);
        assertThat(s.count("a", 0, 0, 100)).isEqualTo(1);
        assertThat(s.count("new.raw", RAW, 0, Long.MAX_VALUE)).isZero();
        assertThat(s.events("ev", 0, 100, 10)).isEmpty();
        assertThat(s.series()).extracting(SeriesStore.SeriesInfo::series).containsExactly("a");
        assertThat(s.stats().failedCommits()).isEqualTo(1);
        assertThat(s.stats().commits()).isEqualTo(1);
        assertThat(adminLong("SELECT count(*) FROM {p}raw_chunks")).isZero();

        // the same batch commits once the cause is gone
        dropPoisonTrigger();
        b.commit();
        assertThat(s.state("pos")).containsExactly(2);
        assertThat(s.count("a", 0, 0, 100)).isEqualTo(3);
        assertThat(s.count("new.raw", RAW, 0, Long.MAX_VALUE)).isEqualTo(5000);
        assertThat(s.events("ev", 0, 100, 10)).extracting(SeriesStore.Event::value).containsExactly("fine", "poison");
        assertThat(b.size()).as("a committed batch is empty").isZero();
    }

    @Test
    void stateAloneCommitsAndReplaces() {
        SeriesStore s = open();
        assertThat(s.state("k")).isNull();
        s.batch().state("k", new byte[]{7}).commit();
        byte[] big = new byte[300_000];
        new Random(3).nextBytes(big);
        s.batch().state("k", big).state("other", new byte[0]).commit();
        assertThat(s.state("k")).isEqualTo(big);
        assertThat(s.state("other")).isEmpty();
    }

    // ---- raw ring

    @Test
    void rawChunksAreCutFilteredAndMergedWithLateSamples() {
        SeriesStore s = open(config().withRawChunkMaxSamples(1000));
        // 10 commits of 500 in-order samples, t = 0, 10, 20, ...
        for (int c = 0; c < 10; c++) {
            s.batch().points("r", RAW, times(c * 5000L, 10, 500), values(500, c * 500 * 0.5), 0, 500).commit();
        }
        assertThat(adminLong("SELECT count(*) FROM {p}raw_chunks")).isEqualTo(10);
        // one call of 2,500 samples is cut into chunks of at most 1,000
        s.batch().points("r", RAW, times(100_000, 10, 2500), values(2500, 0), 0, 2500).commit();
        assertThat(adminLong("SELECT count(*) FROM {p}raw_chunks")).isEqualTo(13);
        assertThat(adminLong("SELECT max(n) FROM {p}raw_chunks")).isEqualTo(1000);
        // chunks also end where they would span more than rawChunkMaxSpanNanos (default 10 minutes)
        s.batch().points("slow", RAW, times(0, 60 * SEC, 100), values(100, 0), 0, 100).commit();
        assertThat(adminLong("SELECT count(*) FROM {p}raw_chunks WHERE n = 11")).isEqualTo(9); // 0..600 s inclusive
        assertThat(adminLong("SELECT max(last_t - first_t) FROM {p}raw_chunks")).isEqualTo(600 * SEC);
        assertThat(s.count("slow", RAW, 0, Long.MAX_VALUE)).isEqualTo(100);
        assertThat(s.count("slow", RAW, 30 * SEC, 3000 * SEC)).isEqualTo(49); // 60 s .. 2,940 s

        assertThat(s.count("r", RAW, 0, 50_000)).isEqualTo(5000);
        assertThat(s.count("r", RAW, 2505, 7495)).isEqualTo(499);
        long[] to = new long[1000];
        double[] vo = new double[1000];
        int n = s.read("r", RAW, 2505, 7495, 1000, to, vo);
        assertThat(n).isEqualTo(499);
        assertThat(to[0]).isEqualTo(2510);
        assertThat(vo[0]).isEqualTo(251 * 0.5);
        assertThat(to[n - 1]).isEqualTo(7490);
        // a limit inside the first chunk, and across chunks
        assertThat(s.read("r", RAW, 4990, 50_000, 3, to, vo)).isEqualTo(3);
        assertThat(Arrays.copyOf(to, 3)).containsExactly(4990, 5000, 5010);

        // late samples between stored ones: a chunk overlapping stored chunks' ranges
        s.batch().points("r", RAW, times(4995, 10, 100), values(100, -1000), 0, 100).commit();
        n = s.read("r", RAW, 4980, 5030, 1000, to, vo);
        assertThat(Arrays.copyOf(to, n)).containsExactly(4980, 4990, 4995, 5000, 5005, 5010, 5015, 5020, 5025);
        assertThat(s.count("r", RAW, 4980, 5030)).isEqualTo(9);

        // a replay cut differently (across three stored chunks) adds only what is new
        long dupBefore = s.stats().duplicates();
        s.batch().points("r", RAW, times(3000, 5, 3000), values(3000, 1e6), 0, 3000).commit();
        // times 3000..17995 step 5: those on step 10 (1500) exist, late ones 4995..5985 (100) exist
        assertThat(s.stats().duplicates() - dupBefore).isEqualTo(1500 + 100);
        TreeMap<Long, Double> all = readAll(s, "r", RAW, 0, 200_000);
        assertThat(all).hasSize(5000 + 2500 + 100 + 1400);
        assertThat(all.get(3000L)).isEqualTo(300 * 0.5); // first value kept
        assertThat(all.get(3005L)).isEqualTo(1e6 + 0.5);
    }

    @Test
    void rawRingAndTierMatchAModelUnderReplaysLateDataAndOddSplits() {
        SeriesStore s = open(config().withRawChunkMaxSamples(300));
        Random r = new Random(42);
        TreeMap<Long, Double> model = new TreeMap<>();
        List<long[]> pastT = new ArrayList<>();
        long cursor = 0, attempted = 0;
        for (int round = 0; round < 50; round++) {
            int kind = r.nextInt(5);
            int n = 1 + r.nextInt(900);
            long[] t = new long[n];
            if (kind <= 1) { // in order
                for (int i = 0; i < n; i++) t[i] = cursor += 1 + r.nextInt(7);
            } else if (kind == 2) { // late, random, with repeats
                for (int i = 0; i < n; i++) t[i] = r.nextLong(0, cursor + 2);
            } else if (kind == 3 && !pastT.isEmpty()) { // replay of a piece of an earlier batch
                long[] p = pastT.get(r.nextInt(pastT.size()));
                int a = r.nextInt(p.length);
                t = Arrays.copyOfRange(p, a, a + Math.min(n, p.length - a));
                n = t.length;
            } else { // in order with a gap and a few repeats
                cursor += 10_000;
                for (int i = 0; i < n; i++) t[i] = cursor += r.nextInt(3);
            }
            double[] v = new double[n];
            for (int i = 0; i < n; i++) v[i] = r.nextDouble();
            pastT.add(t);
            WriteBatch b = s.batch();
            // cut into 1-3 calls, the same cuts for both tiers
            int cut1 = r.nextInt(n + 1), cut2 = cut1 + r.nextInt(n - cut1 + 1);
            for (int tier : new int[]{RAW, 0}) {
                b.points("s", tier, t, v, 0, cut1).points("s", tier, t, v, cut1, cut2).points("s", tier, t, v, cut2, n);
            }
            b.commit();
            attempted += 2L * n;
            for (int i = 0; i < n; i++) model.putIfAbsent(t[i], v[i]);
            if (round % 10 == 9) checkAgainstModel(s, model, r, cursor);
        }
        assertThat(s.stats().rowsWritten()).isEqualTo(2L * model.size());
        assertThat(s.stats().rowsWritten() + s.stats().duplicates()).isEqualTo(attempted);
        s.close();
        checkAgainstModel(open(config()), model, r, cursor);
    }

    private static void checkAgainstModel(SeriesStore s, TreeMap<Long, Double> model, Random r, long cursor) {
        for (int tier : new int[]{RAW, 0}) {
            assertThat(readAll(s, "s", tier, Long.MIN_VALUE, Long.MAX_VALUE)).as("tier %d all", tier).isEqualTo(model);
            for (int q = 0; q < 15; q++) {
                long a = r.nextLong(-5, cursor + 5), b = a + r.nextLong(0, cursor / 3 + 2);
                var expect = model.subMap(a, b);
                assertThat(s.count("s", tier, a, b)).as("tier %d count [%d, %d)", tier, a, b).isEqualTo(expect.size());
                int limit = 1 + r.nextInt(700);
                long[] to = new long[limit];
                double[] vo = new double[limit];
                int n = s.read("s", tier, a, b, limit, to, vo);
                assertThat(n).isEqualTo(Math.min(limit, expect.size()));
                int i = 0;
                for (Map.Entry<Long, Double> e : expect.entrySet()) {
                    if (i == n) break;
                    assertThat(to[i]).isEqualTo(e.getKey());
                    assertThat(vo[i++]).isEqualTo(e.getValue());
                }
            }
        }
    }

    @Test
    void corruptChunkIsReportedClearlyAndOtherDataStaysReadable() {
        SeriesStore s = open();
        s.batch().points("bad", RAW, times(0, 1, 100), values(100, 0), 0, 100)
                .points("good", RAW, times(0, 1, 100), values(100, 0), 0, 100).commit();
        admin("UPDATE {p}raw_chunks SET data = ? WHERE series = (SELECT id FROM {p}series WHERE name = 'bad')",
                new byte[]{0x53, 1, 9, 0, 0, 0});
        long[] to = new long[100];
        double[] vo = new double[100];
        assertThatThrownBy(() -> s.read("bad", RAW, 0, 100, 100, to, vo)).isInstanceOf(StoreException.class)
                .hasMessageContaining(s.location()).hasMessageContaining("corrupt").hasMessageContaining("value encoding");
        assertThat(s.read("good", RAW, 0, 100, 100, to, vo)).isEqualTo(100);
        // a write that must look at the corrupt chunk (a replay) fails cleanly too
        WriteBatch replay = s.batch().points("bad", RAW, times(0, 1, 10), values(10, 0), 0, 10);
        assertThatThrownBy(replay::commit).isInstanceOf(StoreException.class).hasMessageContaining("corrupt");
        s.batch().points("good", RAW, times(100, 1, 10), values(10, 0), 0, 10).commit();
        assertThat(s.count("good", RAW, 0, 1000)).isEqualTo(110);
    }

    // ---- retention

    private static int chunkBytes(long[] t, double[] v, int from, int to) {
        return new SampleBatchCodec().encode("", t, v, from, to);
    }

    @Test
    void retentionByBytesRemovesWholeOldestChunks() {
        long[] t = times(0, 1000, 20_000);
        double[] v = new double[20_000];
        Random r = new Random(5);
        for (int i = 0; i < v.length; i++) v[i] = Math.round(r.nextGaussian() * 1000) / 8.0;
        long keepBytes = 0;
        for (int c = 15; c < 20; c++) keepBytes += chunkBytes(t, v, c * 1000, c * 1000 + 1000);
        StoreConfig cfg = config().withRawChunkMaxSamples(1000).withRawMaxBytesPerSeries(keepBytes + 10)
                .withRetentionIntervalNanos(3600 * SEC);
        SeriesStore s = open(cfg);
        for (String series : new String[]{"b1", "b2"}) {
            for (int c = 0; c < 20; c++) s.batch().points(series, RAW, t, v, c * 1000, c * 1000 + 1000).commit();
        }
        assertThat(s.count("b1", RAW, Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(20_000);
        assertThat(s.enforceRetention()).isEqualTo(2 * 15_000);
        assertThat(s.stats().rowsExpired()).isEqualTo(2 * 15_000);
        for (String series : new String[]{"b1", "b2"}) {
            assertThat(s.count(series, RAW, Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(5000);
            long[] to = new long[1];
            double[] vo = new double[1];
            assertThat(s.read(series, RAW, Long.MIN_VALUE, Long.MAX_VALUE, 1, to, vo)).isEqualTo(1);
            assertThat(to[0]).isEqualTo(t[15_000]);
            assertThat(s.series()).filteredOn(i -> i.series().equals(series)).singleElement().satisfies(i -> {
                assertThat(i.rawCount()).isEqualTo(5000);
                assertThat(i.rawFirstNs()).isEqualTo(t[15_000]);
                assertThat(i.rawLastNs()).isEqualTo(t[19_999]);
            });
        }
        assertThat(adminLong("SELECT sum(length(data)) FROM {p}raw_chunks")).isEqualTo(2 * keepBytes);
        assertThat(s.enforceRetention()).isZero();
        // tier rows have no retention
        s.batch().points("b1", 0, t, v, 0, 20_000).commit();
        assertThat(s.enforceRetention()).isZero();
        assertThat(s.count("b1", 0, Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(20_000);
    }

    @Test
    void retentionByAgeIsRelativeToEachSeriesNewestSampleAndRunsOnCommit() {
        StoreConfig cfg = config().withRawChunkMaxSamples(1000).withRawMaxAgeNanos(5000).withRetentionIntervalNanos(0);
        SeriesStore s = open(cfg);
        long[] t = times(0, 1, 20_000);
        double[] v = values(20_000, 0);
        s.batch().points("old", RAW, t, v, 0, 20_000).commit(); // chunks of 1,000: retention runs after this commit
        // newest 19,999, horizon 14,999: chunks whose last sample is below it go (0..13); 14,999 itself stays
        assertThat(s.count("old", RAW, Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(6000);
        assertThat(s.stats().rowsExpired()).isEqualTo(14_000);

        // another series' newer data does not age this one
        s.batch().points("new", RAW, times(1_000_000, 1, 10), values(10, 0), 0, 10).commit();
        assertThat(s.count("old", RAW, Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(6000);
        // its own newer data does
        s.batch().points("old", RAW, times(100_000, 1, 100), values(100, 0), 0, 100).commit();
        assertThat(s.count("old", RAW, Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(100);
        assertThat(s.series()).filteredOn(i -> i.series().equals("old")).singleElement()
                .satisfies(i -> assertThat(i.rawFirstNs()).isEqualTo(100_000));
        assertThat(s.stats().rowsExpired()).isEqualTo(20_000);
    }

    @Test
    void retentionFromCommitsRunsAtMostOncePerInterval() {
        StoreConfig cfg = config().withRawChunkMaxSamples(100).withRawMaxBytesPerSeries(1).withRetentionIntervalNanos(3600 * SEC);
        SeriesStore s = open(cfg);
        for (int c = 0; c < 5; c++) s.batch().points("x", RAW, times(c * 100L, 1, 100), values(100, 0), 0, 100).commit();
        assertThat(s.count("x", RAW, Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(500);
        // a 1-byte bound leaves nothing (whole chunks go until the series fits)
        assertThat(s.enforceRetention()).isEqualTo(500);
        assertThat(s.series()).extracting(SeriesStore.SeriesInfo::series).doesNotContain("x");
        s.batch().points("x", RAW, times(1000, 1, 10), values(10, 0), 0, 10).commit();
        assertThat(s.count("x", RAW, Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(10);
    }

    // ---- events and summary

    @Test
    void eventsAreIdempotentByTimeAndReadByRangeAndLimit() {
        SeriesStore s = open();
        WriteBatch b = s.batch();
        for (int i = 0; i < 50; i++) b.event("m.mode", i * 10L, "v" + i);
        b.event("m.other", 5, "x").event("m.mode", 20, "ignored").commit();
        assertThat(s.events("m.mode", 0, 500, 1000)).hasSize(50);
        assertThat(s.events("m.mode", 100, 150, 1000)).extracting(SeriesStore.Event::tNanos).containsExactly(100L, 110L, 120L, 130L, 140L);
        assertThat(s.events("m.mode", 0, 500, 3)).extracting(SeriesStore.Event::value).containsExactly("v0", "v1", "v2");
        assertThat(s.events("m.mode", 20, 21, 10)).singleElement().isEqualTo(new SeriesStore.Event("m.mode", 20, "v2"));
        assertThat(s.events("m.nothing", 0, 500, 10)).isEmpty();
        String big = "<Asset>" + "x".repeat(100_000) + " ünïcödé 🚀</Asset>";
        s.batch().event("m.asset", 1, big).event("m.mode", 0, "again").commit();
        assertThat(s.events("m.asset", 0, 2, 1)).singleElement().extracting(SeriesStore.Event::value).isEqualTo(big);
        assertThat(s.stats().duplicates()).isEqualTo(2);
    }

    @Test
    void seriesSummaryCoversRawTiersAndEvents() {
        SeriesStore s = open();
        s.batch().points("a", RAW, times(10, 1, 100), values(100, 0), 0, 100)
                .points("a", 0, times(5, 10, 10), values(10, 0), 0, 10)
                .points("a", 2, times(20, 10, 3), values(3, 0), 0, 3)
                .event("b", 7, "on").event("b", 9, "off")
                .points("c", 1, new long[]{-5}, new double[]{1}, 0, 1).commit();
        List<SeriesStore.SeriesInfo> all = s.series();
        assertThat(all).extracting(SeriesStore.SeriesInfo::series).containsExactly("a", "b", "c");
        SeriesStore.SeriesInfo a = all.get(0), b = all.get(1), c = all.get(2);
        assertThat(a.rawCount()).isEqualTo(100);
        assertThat(a.rawFirstNs()).isEqualTo(10);
        assertThat(a.rawLastNs()).isEqualTo(109);
        assertThat(a.tierCounts()).containsExactly(10, 0, 3);
        assertThat(a.firstNs()).isEqualTo(5);
        assertThat(a.lastNs()).isEqualTo(109);
        assertThat(b.rawCount()).isZero();
        assertThat(b.tierCounts()).isEmpty();
        assertThat(b.firstNs()).isEqualTo(7);
        assertThat(b.lastNs()).isEqualTo(9);
        assertThat(c.tierCounts()).containsExactly(0, 1);
        assertThat(c.firstNs()).isEqualTo(-5);
    }

    // ---- concurrency, durability, counters

    @Test
    void readersDoNotWaitForABigCommitAndNeverSeePartOfIt() throws Exception {
        SeriesStore s = open();
        s.batch().points("small", 0, new long[]{1}, new double[]{1}, 0, 1).commit();
        int n = 100_000;
        WriteBatch big = s.batch().points("big", 0, times(0, 1000, n), values(n, 0), 0, n)
                .points("big", RAW, times(0, 100, 4 * n), values(4 * n, 0), 0, 4 * n);
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch readerStarted = new CountDownLatch(1);
        List<long[]> reads = java.util.Collections.synchronizedList(new ArrayList<>()); // start, end, counts seen
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            Future<?> reader = ex.submit(() -> {
                while (!stop.get()) {
                    long a = System.nanoTime();
                    long c = s.count("big", 0, Long.MIN_VALUE, Long.MAX_VALUE);
                    long one = s.count("small", 0, 0, 10);
                    reads.add(new long[]{a, System.nanoTime(), c, one});
                    readerStarted.countDown();
                }
            });
            assertThat(readerStarted.await(30, TimeUnit.SECONDS)).isTrue();
            long start = System.nanoTime();
            big.commit();
            long end = System.nanoTime();
            long deadline = System.nanoTime() + 10 * SEC;
            while (reads.isEmpty() || reads.get(reads.size() - 1)[0] < end) { // one read that began after the commit
                if (System.nanoTime() > deadline) break;
                Thread.onSpinWait();
            }
            stop.set(true);
            reader.get(30, TimeUnit.SECONDS);
            List<long[]> seen = new ArrayList<>(reads);
            long inside = seen.stream().filter(r -> r[0] > start && r[1] < end).count();
            assertThat(inside).as("reads that ran and finished inside a %d ms commit", (end - start) / 1_000_000).isGreaterThanOrEqualTo(1);
            assertThat(seen).allSatisfy(r -> {
                assertThat(r[2]).isIn(0L, (long) n);
                assertThat(r[3]).isEqualTo(1);
            });
            assertThat(seen.get(seen.size() - 1)[2]).isEqualTo(n);
        } finally {
            stop.set(true);
            ex.shutdownNow();
        }
    }

    @Test
    void commitsFromManyThreadsAreSerialisedAndAllLand() throws Exception {
        SeriesStore s = open();
        ExecutorService ex = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int th = 0; th < 4; th++) {
                String series = "thread" + th;
                fs.add(ex.submit(() -> {
                    for (int c = 0; c < 25; c++) {
                        s.batch().points(series, RAW, times(c * 100L, 1, 100), values(100, 0), 0, 100)
                                .points(series, 0, new long[]{c}, new double[]{c}, 0, 1).state(series, new byte[]{(byte) c}).commit();
                    }
                }));
            }
            for (Future<?> f : fs) f.get(60, TimeUnit.SECONDS);
        } finally {
            ex.shutdownNow();
        }
        assertThat(s.stats().commits()).isEqualTo(100);
        for (int th = 0; th < 4; th++) {
            assertThat(s.count("thread" + th, RAW, 0, Long.MAX_VALUE)).isEqualTo(2500);
            assertThat(s.count("thread" + th, 0, 0, Long.MAX_VALUE)).isEqualTo(25);
            assertThat(s.state("thread" + th)).containsExactly(24);
        }
    }

    @Test
    void reopeningKeepsEverythingAndReplaysStillDeduplicate() {
        SeriesStore s = open();
        sample(s, 0).commit();
        List<SeriesStore.SeriesInfo> before = s.series();
        s.close();
        SeriesStore again = open();
        assertThat(again.series()).usingRecursiveFieldByFieldElementComparator().isEqualTo(before);
        assertThat(again.count("m1.load", RAW, Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(10_000);
        assertThat(again.count("m1.load", 0, Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(100);
        assertThat(again.events("m1.mode", 0, Long.MAX_VALUE, 10)).hasSize(5);
        assertThat(again.state("consumer")).containsExactly(1, 2, 3);
        assertThat(again.stats().commits()).isZero();
        sample(again, 0).commit();
        assertThat(again.stats().duplicates()).isEqualTo(10_105);
        assertThat(again.stats().rowsWritten()).isZero();
    }

    @Test
    void statsCountCommitsAndLatency() {
        SeriesStore s = open();
        for (int c = 0; c < 20; c++) s.batch().points("l", 0, new long[]{c}, new double[]{c}, 0, 1).commit();
        s.batch().commit(); // empty: not a commit
        SeriesStore.StoreStats st = s.stats();
        assertThat(st.commits()).isEqualTo(20);
        assertThat(st.rowsWritten()).isEqualTo(20);
        assertThat(st.failedCommits()).isZero();
        assertThat(st.commitP50Ms()).isPositive();
        assertThat(st.commitP99Ms()).isGreaterThanOrEqualTo(st.commitP50Ms());
    }

    @Test
    void closedStoreRefusesWork() {
        SeriesStore s = open();
        WriteBatch b = s.batch().points("z", 0, new long[]{1}, new double[]{1}, 0, 1);
        s.close();
        s.close();
        assertThatThrownBy(b::commit).isInstanceOf(StoreException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> s.count("z", 0, 0, 10)).isInstanceOf(StoreException.class).hasMessageContaining("closed");
    }

    // ---- malformed input

    @Test
    void malformedInputIsRefusedWithItsReasonAndDoesNotPoisonTheBatch() {
        SeriesStore s = open();
        WriteBatch b = s.batch();
        long[] t = {1, 2};
        double[] v = {1, 2};
        assertThatThrownBy(() -> b.points(null, 0, t, v, 0, 2)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("series name is null");
        assertThatThrownBy(() -> b.points("", 0, t, v, 0, 2)).hasMessageContaining("series name is empty");
        assertThatThrownBy(() -> b.points("a\0b", 0, t, v, 0, 2)).hasMessageContaining("NUL");
        assertThatThrownBy(() -> b.points("a\uD800", 0, t, v, 0, 2)).hasMessageContaining("lone surrogate");
        assertThatThrownBy(() -> b.points("x".repeat(2000), 0, t, v, 0, 2)).hasMessageContaining("longer than");
        assertThatThrownBy(() -> b.points("s", -2, t, v, 0, 2)).hasMessageContaining("tier -2");
        assertThatThrownBy(() -> b.points("s", 64, t, v, 0, 2)).hasMessageContaining("tier 64");
        assertThatThrownBy(() -> b.points("s", 0, null, v, 0, 2)).hasMessageContaining("'s'").hasMessageContaining("null");
        assertThatThrownBy(() -> b.points("s", 0, t, v, 1, 0)).isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("'s'");
        assertThatThrownBy(() -> b.points("s", 0, t, new double[1], 0, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> b.event("s", 1, null)).hasMessageContaining("event value is null");
        assertThatThrownBy(() -> b.event("s", 1, "a\0")).hasMessageContaining("NUL");
        assertThatThrownBy(() -> b.state(null, new byte[0])).hasMessageContaining("state key is null");
        assertThatThrownBy(() -> b.state("k", null)).hasMessageContaining("value is null");
        assertThat(b.size()).isZero();
        b.points("ok", 0, t, v, 0, 2).points("ok2", 0, t, v, 1, 1).commit();
        assertThat(s.series()).extracting(SeriesStore.SeriesInfo::series).containsExactly("ok");

        long[] small = new long[2];
        assertThatThrownBy(() -> s.read("ok", 0, 0, 10, 3, small, new double[3])).hasMessageContaining("limit 3");
        assertThatThrownBy(() -> s.read("ok", 99, 0, 10, 1, small, new double[1])).hasMessageContaining("tier 99");
        assertThatThrownBy(() -> s.events("ok", 0, 10, -1)).hasMessageContaining("negative");
    }
}
