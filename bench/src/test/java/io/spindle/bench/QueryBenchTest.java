package io.spindle.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spindle.downsample.stream.StreamConfig;
import io.spindle.downsample.stream.StreamingLttb;
import io.spindle.downsample.tier.TierConfig;
import io.spindle.sources.sim.ChannelGenerator;
import io.spindle.sources.sim.MachineSimulator;
import io.spindle.sources.sim.SimulatorConfig;
import io.spindle.store.SeriesStore;
import io.spindle.store.StoreConfig;
import io.spindle.store.Stores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryBenchTest {
    private static final long SAMPLES = 2_000_000; // 200 s at 10 kHz: ranges 1m and whole

    @Test
    void runsTheWholeHarnessAndReportsEveryMaxDataPoints(@TempDir Path dir) throws Exception {
        List<String> progress = new ArrayList<>();
        QueryReport r = new QueryBench(new QueryBench.Config(SAMPLES, 3, 1, dir, null), progress::add).run();

        JsonNode j = new ObjectMapper().readTree(r.toJson());
        assertThat(j.get("raw_equivalent_samples").asLong()).isEqualTo(SAMPLES);
        for (String m : List.of("M50", "M500", "M2000", "M5000")) {
            JsonNode res = j.get("results").get(m);
            assertThat(res).as(m).isNotNull();
            assertThat(res.get("p50_ms").asDouble()).as(m).isPositive();
            assertThat(res.get("p99_ms").asDouble()).as(m).isGreaterThanOrEqualTo(res.get("p50_ms").asDouble());
            assertThat(res.get("requests").asInt()).as(m).isEqualTo(2 * 3); // two ranges fit 200 s: 1m and whole
            JsonNode byRange = j.get("by_range").get(m);
            assertThat(byRange.fieldNames()).toIterable().containsExactly("1m", "whole");
            int max = Integer.parseInt(m.substring(1));
            for (JsonNode cell : byRange) {
                assertThat(cell.get("points_max").asInt()).as(m).isBetween(1, max);
                assertThat(cell.get("points_min").asInt()).as(m).isPositive();
            }
        }
        // 1 min of tier 0 holds 6,000 points and the whole series 20,000: every M up to 5,000 is filled to M
        assertThat(j.get("by_range").get("M5000").get("1m").get("points_min").asInt()).isEqualTo(5000);
        assertThat(j.get("by_range").get("M50").get("whole").get("points_max").asInt()).isEqualTo(50);
        JsonNode raw = j.get("raw").get("M2000");
        assertThat(raw.fieldNames()).toIterable().containsExactly("10s", "1m");
        assertThat(raw.get("1m").get("points_max").asInt()).isBetween(1, 2000);
        assertThat(j.get("goal").get("met").isBoolean()).isTrue();
        assertThat(j.get("notes").toString()).contains("range 10m left out");
        assertThat(r.toTable()).contains("M2000", "goal: p99 < 50 ms at maxDataPoints 2000 for every range");
        assertThat(progress).anyMatch(l -> l.contains("fill done")).allMatch(l -> l.startsWith("bench query: "));

        // the tiers are what the real chain emits for the same samples
        QueryDataset ds = r.dataset();
        assertThat(ds.tierPoints()).containsExactly(expectedTierPoints(SAMPLES));
        assertThat(ds.rawSamples()).isEqualTo(SAMPLES); // the whole 200 s lies within the 10-minute raw tail
        assertThat(Files.isRegularFile(dir.resolve(QueryBench.STORE_FILE))).isTrue(); // --keep kept it

        // --store reuses it: no fill, same dataset
        List<String> again = new ArrayList<>();
        QueryReport r2 = new QueryBench(new QueryBench.Config(SAMPLES, 1, 0, null, dir), again::add).run();
        assertThat(r2.reused()).isTrue();
        assertThat(r2.dataset().tierPoints()).containsExactly(ds.tierPoints());
        assertThat(again).noneMatch(l -> l.contains("fill done")).anyMatch(l -> l.contains("reusing"));
        assertThat(new ObjectMapper().readTree(r2.toJson()).get("fill").get("reused").asBoolean()).isTrue();
    }

    /** Tier point counts of an independent run of the chain over the simulator's samples, without the store. */
    private static long[] expectedTierPoints(long n) {
        TierConfig tc = new TierConfig(StreamConfig.of(QueryBench.BUCKET_NANOS), QueryBench.FACTOR, QueryBench.LEVELS, 0, 1);
        long[] counts = new long[tc.levels()];
        StreamingLttb[] e = new StreamingLttb[tc.levels()];
        for (int k = tc.levels() - 1; k >= 0; k--) {
            int tier = k;
            StreamingLttb next = k + 1 < e.length ? e[k + 1] : null;
            e[k] = new StreamingLttb(tc.config(k), (t, v) -> {
                counts[tier]++;
                if (next != null) next.add(t, v);
            });
        }
        MachineSimulator sim = new MachineSimulator(new SimulatorConfig("bench", 1, 1, QueryFill.RATE_HZ, false, QueryFill.START_NS, 10));
        ChannelGenerator g = sim.generator(sim.vibrationChannel(0), QueryFill.START_NS);
        long[] t = new long[1000];
        double[] v = new double[1000];
        for (long done = 0; done < n; done += 1000) e[0].add(t, v, 0, g.next(t, v, 1000));
        for (StreamingLttb x : e) x.flush();
        return counts;
    }

    @Test
    void refusesSettingsThatMeasureNothing(@TempDir Path dir) {
        assertThatThrownBy(() -> new QueryBench.Config(10, 5, 1, null, null)).hasMessageContaining("--samples");
        assertThatThrownBy(() -> new QueryBench.Config(SAMPLES, 0, 1, null, null)).hasMessageContaining("--requests");
        assertThatThrownBy(() -> new QueryBench.Config(SAMPLES, 5, -1, null, null)).hasMessageContaining("--warmups");
        assertThatThrownBy(() -> new QueryBench.Config(SAMPLES, 5, 1, dir, dir)).hasMessageContaining("--keep")
                .hasMessageContaining("--store");
    }

    @Test
    void parsesSampleCounts() {
        assertThat(QueryBench.parseCount("1e9")).isEqualTo(1_000_000_000L);
        assertThat(QueryBench.parseCount("2E6")).isEqualTo(2_000_000L);
        assertThat(QueryBench.parseCount("1_000_000")).isEqualTo(1_000_000L);
        assertThat(QueryBench.parseCount(" 12345 ")).isEqualTo(12_345L);
        for (String bad : new String[]{"", "abc", "1.5", "-3", "1e30", "0x10"})
            assertThatThrownBy(() -> QueryBench.parseCount(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'");
    }

    @Test
    void reuseNeedsACompleteFill(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> new QueryBench(new QueryBench.Config(SAMPLES, 1, 0, null, dir), l -> { }).run())
                .isInstanceOf(BenchException.class).hasMessageContaining(dir.toString()).hasMessageContaining("--keep");
        // a store without the dataset record (an interrupted fill) is refused by name
        try (SeriesStore s = Stores.open("sqlite:" + dir.resolve(QueryBench.STORE_FILE), StoreConfig.defaults())) {
            s.batch().points("bench/vib0", 0, new long[]{1}, new double[]{1}, 0, 1).commit();
        }
        assertThatThrownBy(() -> new QueryBench(new QueryBench.Config(SAMPLES, 1, 0, null, dir), l -> { }).run())
                .isInstanceOf(BenchException.class).hasMessageContaining("not a complete bench query fill");
        // --keep refuses to fill over it
        assertThatThrownBy(() -> new QueryBench(new QueryBench.Config(SAMPLES, 1, 0, dir, null), l -> { }).run())
                .isInstanceOf(BenchException.class).hasMessageContaining("already holds").hasMessageContaining("--store");
    }

    @Test
    void datasetRecordRoundTripsAndNamesWhatIsBroken() {
        QueryDataset d = new QueryDataset("bench/vib0", 123, 10_000, 5, 99, 10_000_000, 4, 3, new long[]{7, 2, 1}, 11, 1.5);
        QueryDataset back = QueryDataset.fromBytes(d.toBytes());
        assertThat(back.tierPoints()).containsExactly(7, 2, 1);
        assertThat(back).usingRecursiveComparison().isEqualTo(d);
        assertThat(back.tiers().bucketNanos(2)).isEqualTo(160_000_000L);

        String good = new String(d.toBytes(), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> QueryDataset.fromBytes(good.replace("samples=123", "samples=x").getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("'samples'");
        assertThatThrownBy(() -> QueryDataset.fromBytes(good.replace("tier2_points=1\n", "").getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("tier2_points");
        assertThatThrownBy(() -> QueryDataset.fromBytes("levels=0".getBytes(StandardCharsets.UTF_8))).hasMessageContaining("levels");
        assertThatThrownBy(() -> QueryDataset.fromBytes(new byte[]{(byte) 0xff, 0, 1})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void responseCheckRefusesWhatGrafanaCouldNotDrawOrThatBreaksTheLimit() throws BenchException {
        String ok = "[{\"target\":\"s\",\"datapoints\":[[1.5,1000.25],[null,1500],[2,2000]]}]";
        assertThat(QueryLoad.check(ok.getBytes(StandardCharsets.UTF_8), 3, 1000, 2000, "q")).isEqualTo(3);
        String[][] bad = {
                {"[{\"target\":\"s\",\"datapoints\":[[1,1000],[2,1001],[3,1002],[4,1003]]}]", "more than maxDataPoints 3"},
                {"[{\"target\":\"s\",\"datapoints\":[[1,999]]}]", "outside the range"},
                {"[{\"target\":\"s\",\"datapoints\":[[1,2001]]}]", "outside the range"},
                {"[{\"target\":\"s\",\"datapoints\":[[1,1500],[1,1200]]}]", "time order"},
                {"[{\"target\":\"s\",\"datapoints\":[]}]", "no points"},
                {"[{\"target\":\"s\",\"datapoints\":[[\"x\",1500]]}]", "not [value or null, time_ms]"},
                {"[{\"target\":\"s\",\"datapoints\":[[1500]]}]", "not [value or null, time_ms]"},
                {"[{\"target\":\"s\",\"datapoints\":{}}]", "not an array"},
                {"[{\"target\":\"s\"}]", "without \"datapoints\""},
                {"[]", "0 series"},
                {"[{\"datapoints\":[[1,1500]]},{\"datapoints\":[[1,1500]]}]", "2 series"},
                {"{\"error\":\"x\"}", "not a JSON array"},
                {"[{\"datapoints\":[[1,15", "not valid JSON"},
        };
        for (String[] b : bad)
            assertThatThrownBy(() -> QueryLoad.check(b[0].getBytes(StandardCharsets.UTF_8), 3, 1000, 2000, "POST /query (x)"))
                    .as(b[0]).isInstanceOf(BenchException.class).hasMessageContaining("POST /query (x)").hasMessageContaining(b[1]);
    }

    @Test
    void percentilesAreNearestRank() {
        long[] ns = {1_000_000, 2_000_000, 3_000_000, 4_000_000};
        assertThat(QueryReport.percentileMs(ns, 50)).isEqualTo(2.0);
        assertThat(QueryReport.percentileMs(ns, 99)).isEqualTo(4.0);
        assertThat(QueryReport.percentileMs(new long[0], 50)).isNaN();
    }
}
