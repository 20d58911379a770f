package io.spindle.sources.shdr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SHDR source reading the replay adapter over real loopback TCP: the path the demo takes. */
class ShdrReplayEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    static Path okumaLog() {
        return Path.of(System.getProperty("spindle.shared"), "data", "okuma_mtconnect_shdr.txt");
    }

    /** What the file parser finds: samples per series in file order, and the change-only values per series. */
    static final class FileView implements ShdrListener {
        final Map<String, List<RecordingSink.Sample>> samples = new LinkedHashMap<>();
        final Map<String, List<String>> values = new HashMap<>();
        long count;

        @Override
        public void sample(String series, long tNanos, double value) {
            samples.computeIfAbsent(series, k -> new ArrayList<>()).add(new RecordingSink.Sample(tNanos, value));
            count++;
        }

        @Override
        public void item(ShdrItem item) {
            if (item instanceof ShdrItem.Event e) values.computeIfAbsent(e.series(), k -> new ArrayList<>()).add(e.value());
            if (item instanceof ShdrItem.Unavailable u) values.computeIfAbsent(u.series(), k -> new ArrayList<>()).add("UNAVAILABLE");
        }
    }

    private static ShdrSourceConfig.Builder config(ShdrAdapter adapter, String device) {
        return ShdrSourceConfig.builder("127.0.0.1", device).port(adapter.port())
                .backoffMin(Duration.ofMillis(20)).backoffMax(Duration.ofMillis(200));
    }

    @Test
    void everySampleOfTheOkumaLogArrivesInOrderPerSeries() throws IOException {
        FileView file = new FileView();
        ShdrStats stats = ShdrFile.read(okumaLog(), new ShdrReader("okuma", file));
        assertThat(file.count).isEqualTo(21_060);
        long wireBytes = Files.readAllLines(okumaLog(), StandardCharsets.UTF_8).stream()
                .mapToLong(line -> line.getBytes(StandardCharsets.UTF_8).length + 1).sum();
        try (ShdrAdapter adapter = ShdrAdapter.builder(okumaLog()).port(0).speed(ShdrAdapter.MAX_SPEED).start();
             ShdrSource source = new ShdrSource(config(adapter, "okuma").build())) {
            RecordingSink sink = new RecordingSink();
            long t0 = System.nanoTime();
            source.start(sink);
            Await.until(WAIT, () -> sink.sampleCount() == file.count, () -> file.count + " samples, got " + sink.sampleCount());
            long millis = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("okuma log over loopback TCP at max speed: %d samples, %d lines in %d ms%n",
                    sink.sampleCount(), adapter.fileLines(), millis);
            assertThat(sink.samples()).isEqualTo(file.samples);
            for (Map.Entry<String, List<String>> e : file.values.entrySet())
                assertThat(sink.eventValues(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
            long conditionEvents = sink.events().stream().filter(e -> e.series().endsWith("_cond") || e.series().endsWith("/system")).count();
            assertThat(conditionEvents).as("conditions, change-only").isPositive().isLessThanOrEqualTo(stats.conditions());
            Await.until(WAIT, () -> source.pongs() == 1, () -> "the answer to the first PING");
            assertThat(source.counters().bytes.get()).as("every byte of the file and the PONG")
                    .isEqualTo(wireBytes + "* PONG 10000\n".length());
            assertThat(source.counters().rejected.get()).isZero();
            assertThat(source.counters().reconnects.get()).isZero();
            assertThat(source.counters().samples.get()).isEqualTo(21_060);
            assertThat(source.counters().events.get()).isEqualTo(sink.events().size());
            assertThat(adapter.linesSent()).isEqualTo(10_770);
            assertThat(adapter.clients()).isEqualTo(1);
        }
    }

    @Test
    void theAdaptersPongSetsTheHeartbeatThatKeepsAnIdleConnection(@TempDir Path dir) throws Exception {
        Path log = Files.writeString(dir.resolve("one.shdr"), "2022-08-08T13:00:00Z|a|1\n");
        try (ShdrAdapter adapter = ShdrAdapter.builder(log).port(0).pongMillis(100).start();
             ShdrSource source = new ShdrSource(config(adapter, "mill").heartbeat(Duration.ofSeconds(5)).build())) {
            RecordingSink sink = new RecordingSink();
            source.start(sink);
            Await.until(WAIT, () -> source.heartbeat().equals(Duration.ofMillis(100)), () -> "the PONG's 100 ms in force");
            // Nothing but heartbeats flows now: a PING every 100 ms, each answered, the connection kept.
            Await.until(WAIT, () -> adapter.pongs() >= 8, () -> "8 PINGs answered, got " + adapter.pongs());
            assertThat(source.counters().reconnects.get()).isZero();
            assertThat(source.counters().connected()).isTrue();
            assertThat(sink.sampleCount()).isEqualTo(1);
        }
    }

    @Test
    void malformedLinesFromTheAdapterAreCountedAndTheStreamGoesOn(@TempDir Path dir) throws Exception {
        Path log = Files.writeString(dir.resolve("bad.shdr"), String.join("\n",
                "2022-08-08T13:00:00Z|a|1",
                "2022-08-08T13:00:00Z|a",
                "2022-13-08T13:00:00Z|a|2",
                "2022-08-08T13:00:00Z|ts|3|1000|1 2",
                "2022-08-08T13:00:01Z|@ASSET@|A1|Part|--multiline--Z",
                "<Part/>",
                "--multiline--Z",
                "2022-08-08T13:00:02Z|a|3|b|ON") + "\n");
        try (ShdrAdapter adapter = ShdrAdapter.builder(log).port(0).speed(ShdrAdapter.MAX_SPEED).start();
             ShdrSource source = new ShdrSource(config(adapter, "mill").build())) {
            RecordingSink sink = new RecordingSink();
            source.start(sink);
            Await.until(WAIT, () -> sink.sampleCount() == 2 && sink.events().size() == 1, () -> "the good lines' data");
            assertThat(sink.rejected()).extracting(RecordingSink.Rejected::input).containsExactly(
                    "2022-08-08T13:00:00Z|a", "2022-13-08T13:00:00Z|a|2", "2022-08-08T13:00:00Z|ts|3|1000|1 2");
            assertThat(sink.rejected()).extracting(RecordingSink.Rejected::reason).containsExactly(
                    "data item 'a' has no value (odd number of fields)", "bad timestamp '2022-13-08T13:00:00Z'",
                    "time series 'ts' declares 3 values but has 2");
            assertThat(source.counters().rejected.get()).isEqualTo(3);
            assertThat(sink.samples().get("mill/a")).extracting(RecordingSink.Sample::v).containsExactly(1.0, 3.0);
            assertThat(sink.events()).extracting(RecordingSink.Event::value).containsExactly("ON");
        }
    }

    @Test
    void aKilledAndRestartedAdapterIsReconnectedAndReadOn(@TempDir Path dir) throws Exception {
        // 3,000 lines 1 ms apart at 1x: three seconds of stream, long enough to cut it in the middle.
        Path log = dir.resolve("mill.shdr");
        StringBuilder sb = new StringBuilder();
        long base = 1_700_000_000_000_000_000L;
        for (int i = 0; i < 3_000; i++) {
            IsoInstant.format(base + i * 1_000_000L, sb).append("|load|").append(i).append("|mode|")
                    .append(i < 1_500 ? "AUTOMATIC" : "MANUAL").append('\n');
        }
        Files.writeString(log, sb);
        ShdrAdapter first = ShdrAdapter.builder(log).port(0).start();
        int port = first.port();
        try (ShdrSource source = new ShdrSource(config(first, "mill").build())) {
            RecordingSink sink = new RecordingSink();
            source.start(sink);
            Await.until(WAIT, () -> sink.sampleCount() >= 300, () -> "300 samples before the kill");
            first.close();
            Await.until(WAIT, () -> !source.counters().connected(), () -> "the source to notice");
            long before = sink.sampleCount();
            assertThat(before).as("cut in the middle").isLessThan(3_000);
            Await.until(WAIT, () -> source.counters().lastError() != null && source.counters().lastError().startsWith("connect to"),
                    () -> "a refused reconnect while the adapter is down, last error " + source.counters().lastError());
            try (ShdrAdapter second = ShdrAdapter.builder(log).port(port).speed(ShdrAdapter.MAX_SPEED).start()) {
                Await.until(WAIT, () -> sink.sampleCount() == before + 3_000, () -> "the restarted adapter's whole file");
                assertThat(source.counters().reconnects.get()).isEqualTo(1);
                assertThat(source.counters().connected()).isTrue();
                assertThat(second.clients()).isEqualTo(1);
            }
            List<RecordingSink.Sample> load = sink.samples().get("mill/load");
            assertThat(load.subList((int) before, load.size())).extracting(RecordingSink.Sample::v)
                    .startsWith(0.0, 1.0, 2.0).endsWith(2_999.0);
            // The adapter re-sent mode=AUTOMATIC on reconnect; it had not changed, so it was not delivered again.
            List<String> modes = sink.eventValues("mill/mode");
            for (int i = 1; i < modes.size(); i++) assertThat(modes.get(i)).isNotEqualTo(modes.get(i - 1));
            assertThat(modes).startsWith("AUTOMATIC").endsWith("MANUAL");
        }
    }
}
