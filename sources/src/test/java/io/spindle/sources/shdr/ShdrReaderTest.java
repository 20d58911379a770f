package io.spindle.sources.shdr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShdrReaderTest {

    /** Records everything, samples as text "series@t=v". */
    static final class Recorder implements ShdrListener {
        final List<String> samples = new ArrayList<>();
        final Map<String, Integer> samplesPerSeries = new HashMap<>();
        final Map<String, String> firstSample = new HashMap<>();
        final List<ShdrItem> items = new ArrayList<>();
        final List<Integer> batches = new ArrayList<>();

        @Override
        public void samples(String series, long[] tNanos, double[] values, int count) {
            batches.add(count);
            ShdrListener.super.samples(series, tNanos, values, count);
        }

        @Override
        public void sample(String series, long tNanos, double value) {
            samples.add(series + "@" + tNanos + "=" + value);
            samplesPerSeries.merge(series, 1, Integer::sum);
            firstSample.putIfAbsent(series, tNanos + "=" + value);
        }

        @Override
        public void item(ShdrItem item) {
            items.add(item);
        }

        <T extends ShdrItem> List<T> of(Class<T> type) {
            return items.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    private static final String T0 = "2022-08-08T13:51:34.7167146Z";

    private static long nanos(String iso) {
        Instant i = Instant.parse(iso);
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    private static Recorder parse(String... lines) {
        Recorder r = new Recorder();
        ShdrReader reader = new ShdrReader("dev", r);
        for (String l : lines) reader.line(l);
        reader.end();
        return r;
    }

    private static ShdrStats stats(String... lines) {
        ShdrReader reader = new ShdrReader("dev", new Recorder());
        for (String l : lines) reader.line(l);
        reader.end();
        return reader.stats();
    }

    /**
     * Counts checked by hand on the file with grep and awk, not with this parser: 10,770 lines; 245 of them are not
     * timestamped (118 asset bodies, 118 "--multiline--ABCD" ends, 9 "*" lines); 152 timestamped asset commands
     * (118 @ASSET@, 30 @REMOVE_ASSET@, 4 @REMOVE_ALL_ASSETS@); 10,373 data lines, 40 of them a single condition
     * (system and 9 *_cond keys, once per each of the four sessions). The awk pass over key|value pairs gives 21,060
     * numeric values in 42 keys (Z1actw 2,968, Z1actm 2,947, p1Fact 2,503), 4,267 changed non-numeric values,
     * 36 changed UNAVAILABLEs and 104 repeats; 1,108 data lines are stamped earlier than the data line before.
     */
    @Test
    void readsTheRealOkumaLog() throws IOException {
        Path log = Path.of(System.getProperty("spindle.shared"), "data", "okuma_mtconnect_shdr.txt");
        Recorder r = new Recorder();
        ShdrStats s = ShdrFile.read(log, new ShdrReader("okuma", r));
        assertThat(s.lines()).isEqualTo(10_770);
        assertThat(s.blankLines()).isZero();
        assertThat(s.protocolLines()).isEqualTo(9);
        assertThat(s.assetCommands()).isEqualTo(152);
        assertThat(s.assetBodyLines()).isEqualTo(118);
        assertThat(s.dataLines()).isEqualTo(10_373);
        assertThat(s.conditions()).isEqualTo(40);
        assertThat(s.samples()).isEqualTo(21_060);
        assertThat(s.numericSeries()).isEqualTo(42);
        assertThat(s.events()).isEqualTo(4_267);
        assertThat(s.unavailable()).isEqualTo(36);
        assertThat(s.repeatedEvents()).isEqualTo(104);
        assertThat(s.malformed()).isZero();
        assertThat(s.backwardSteps()).isEqualTo(1_108);

        assertThat(r.samplesPerSeries).hasSize(42)
                .containsEntry("okuma/Z1actw", 2968).containsEntry("okuma/Z1actm", 2947).containsEntry("okuma/p1Fact", 2503);
        assertThat(r.firstSample).containsEntry("okuma/Z1actw", nanos(T0) + "=269.0133");
        assertThat(r.of(ShdrItem.Asset.class)).hasSize(152);
        assertThat(r.of(ShdrItem.Asset.class).get(1))
                .isEqualTo(new ShdrItem.Asset(13, nanos("2022-08-08T13:43:36.0810790Z"), "@ASSET@", "123456.2201", 1));
        assertThat(r.of(ShdrItem.Condition.class)).hasSize(40).first()
                .isEqualTo(new ShdrItem.Condition("okuma/system", nanos(T0), "NORMAL", "", "", "", ""));
        assertThat(r.of(ShdrItem.Protocol.class)).extracting(ShdrItem.Protocol::name).containsOnly("adapterVersion",
                "mtconnectVersion");
        // A vector is an event, unsplit.
        assertThat(r.of(ShdrItem.Event.class)).contains(new ShdrItem.Event("okuma/p1LPathPos", nanos(T0), "1039.897 0 269.0133"));
    }

    @Test
    void malformedLinesAreReportedAndReadingGoesOn() {
        Recorder r = parse(
                "2022-13-08T13:51:34Z|a|1",          // month 13
                "yesterday|a|1",                       // not a timestamp
                T0 + "|a|1|b",                         // odd field count: b has no value
                "garbage",                             // no fields at all
                T0 + "||1",                            // empty key
                T0 + "|",                              // nothing after the timestamp
                "2022-02-30T00:00:00Z|a|1",            // February 30
                "2022-08-08T24:00:00Z|a|1",            // hour 24
                T0 + "|ok|7");
        List<ShdrItem.Malformed> bad = r.of(ShdrItem.Malformed.class);
        assertThat(bad).extracting(ShdrItem.Malformed::lineNumber).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(bad.get(0).reason()).isEqualTo("bad timestamp '2022-13-08T13:51:34Z'");
        assertThat(bad.get(0).text()).isEqualTo("2022-13-08T13:51:34Z|a|1");
        assertThat(bad.get(2).reason()).isEqualTo("data item 'b' has no value (odd number of fields)");
        assertThat(bad.get(3).reason()).isEqualTo("bad timestamp 'garbage'");
        assertThat(bad.get(4).reason()).isEqualTo("empty data item name in field 2");
        assertThat(bad.get(5).reason()).isEqualTo("no data items after the timestamp");
        // Nothing of a malformed line is emitted, not even its well-formed first pair.
        assertThat(r.samples).containsExactly("dev/ok@" + nanos(T0) + "=7.0");
        assertThat(stats("x", T0 + "|a|1").malformed()).isEqualTo(1);
    }

    @Test
    void multilineAssetsAreSkippedAndCounted() {
        Recorder r = parse(
                T0 + "|@ASSET@|A1|CuttingTool|--multiline--XYZ",
                "<CuttingTool assetId=\"A1\">",
                T0 + "|looks|like|data|1",
                "--multiline--ABC",
                "--multiline--XYZ",
                T0 + "|@REMOVE_ASSET@|A1",
                T0 + "|@REMOVE_ALL_ASSETS@|CuttingTool",
                T0 + "|@ASSET@|A2|Part|<Part/>",
                T0 + "|x|1",
                T0 + "|@ASSET@|A3|Part|--multiline--END",
                "<Part>");
        assertThat(r.of(ShdrItem.Asset.class)).containsExactly(
                new ShdrItem.Asset(1, nanos(T0), "@ASSET@", "A1", 3),
                new ShdrItem.Asset(6, nanos(T0), "@REMOVE_ASSET@", "A1", 0),
                new ShdrItem.Asset(7, nanos(T0), "@REMOVE_ALL_ASSETS@", "CuttingTool", 0),
                new ShdrItem.Asset(8, nanos(T0), "@ASSET@", "A2", 0));
        assertThat(r.samples).containsExactly("dev/x@" + nanos(T0) + "=1.0");
        // The unterminated block at the end of the input is malformed, reported at the line that opened it.
        assertThat(r.of(ShdrItem.Malformed.class)).singleElement()
                .satisfies(m -> assertThat(m.lineNumber()).isEqualTo(10))
                .satisfies(m -> assertThat(m.reason()).contains("--multiline--END"));
        ShdrStats s = stats(T0 + "|@ASSET@|A1|CuttingTool|--multiline--XYZ", "body", "body", "--multiline--XYZ");
        assertThat(s.assetCommands()).isEqualTo(1);
        assertThat(s.assetBodyLines()).isEqualTo(2);
        assertThat(s.dataLines()).isZero();
    }

    @Test
    void timeSeriesExpandToSamplesEndingAtTheTimestamp() {
        long t = nanos(T0);
        Recorder r = parse(T0 + "|accel|4|1000|1 2.5 -3  4e1|spindle|5");
        assertThat(r.samples).containsExactly(
                "dev/accel@" + (t - 3_000_000) + "=1.0",
                "dev/accel@" + (t - 2_000_000) + "=2.5",
                "dev/accel@" + (t - 1_000_000) + "=-3.0",
                "dev/accel@" + t + "=40.0",
                "dev/spindle@" + t + "=5.0");
        Recorder bad = parse(T0 + "|accel|3|1000|1 2", T0 + "|accel|2||1 2", T0 + "|accel|2|0|1 2", T0 + "|accel|2|10|1 x");
        assertThat(bad.of(ShdrItem.Malformed.class)).extracting(ShdrItem.Malformed::reason).containsExactly(
                "time series 'accel' declares 3 values but has 2",
                "time series 'accel' has no sample rate",
                "time series 'accel' has sample rate 0 (must be > 0)",
                "time series 'accel' has a non-numeric value 'x'");
        assertThat(bad.samples).isEmpty();
        assertThat(r.batches).as("a time series is one call").containsExactly(4);
    }

    @Test
    void numbersBeyondADoubleAreRefusedItemByItem() {
        Recorder r = parse(T0 + "|a|1e999|b|2", T0 + "|ts|2|100|1 -1e400|c|3", T0 + "|a|-1.5E+2");
        assertThat(r.of(ShdrItem.Malformed.class)).extracting(ShdrItem.Malformed::lineNumber, ShdrItem.Malformed::reason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1L, "data item 'a' has value '1e999' beyond the range of a double"),
                        org.assertj.core.groups.Tuple.tuple(2L, "time series 'ts' has value '-1e400' beyond the range of a double"));
        assertThat(r.of(ShdrItem.Malformed.class).get(0).text()).isEqualTo(T0 + "|a|1e999|b|2");
        // The line's other items stand; no infinity is ever delivered.
        assertThat(r.samples).containsExactly("dev/b@" + nanos(T0) + "=2.0", "dev/c@" + nanos(T0) + "=3.0",
                "dev/a@" + nanos(T0) + "=-150.0");
        assertThat(stats(T0 + "|a|1e999").malformed()).isEqualTo(1);
    }

    @Test
    void aReaderGoesOnAfterTheEndOfOneConnection() {
        Recorder r = new Recorder();
        ShdrReader reader = new ShdrReader("dev", r);
        reader.line(T0 + "|mode|AUTO");
        reader.line(T0 + "|@ASSET@|A1|Part|--multiline--Q");
        reader.line("<Part>");
        reader.end(); // the connection dropped inside the block
        reader.line(T0 + "|mode|AUTO|x|1");
        reader.line(T0 + "|mode|MANUAL");
        assertThat(r.of(ShdrItem.Malformed.class)).singleElement().satisfies(m -> assertThat(m.reason()).contains("--multiline--Q"));
        assertThat(r.of(ShdrItem.Event.class)).extracting(ShdrItem.Event::value).containsExactly("AUTO", "MANUAL");
        assertThat(r.samples).containsExactly("dev/x@" + nanos(T0) + "=1.0");
    }

    /** The whole Okuma log, best of five runs: the parser must leave the wire as the bottleneck. */
    @Test
    void parsesTheOkumaLogWellUnderASecond() throws IOException {
        Path log = Path.of(System.getProperty("spindle.shared"), "data", "okuma_mtconnect_shdr.txt");
        List<String> lines = java.nio.file.Files.readAllLines(log);
        long best = Long.MAX_VALUE;
        long[] sink = new long[1];
        for (int run = 0; run < 5; run++) {
            long t0 = System.nanoTime();
            ShdrReader reader = new ShdrReader("okuma", (series, t, v) -> sink[0] += t);
            for (String l : lines) reader.line(l);
            reader.end();
            best = Math.min(best, System.nanoTime() - t0);
            assertThat(reader.stats().samples()).isEqualTo(21_060);
        }
        System.out.printf("ShdrReader: okuma log (%d lines) parsed in %.1f ms (best of 5)%n", lines.size(), best / 1e6);
        assertThat(best / 1_000_000).isLessThan(500);
    }

    @Test
    void timestampsFormatBackExactly() {
        for (String iso : new String[] {T0, "1970-01-01T00:00:00Z", "2000-02-29T23:59:59.999999999Z", "1969-12-31T23:59:59.5Z",
                "2262-04-11T23:47:16.854775807Z", "1677-09-21T00:12:43.145224193Z"}) {
            long n = nanos(iso);
            String formatted = IsoInstant.format(n, new StringBuilder()).toString();
            assertThat(IsoInstant.parseNanos(formatted, 0, formatted.length())).as(formatted).isEqualTo(n);
        }
        assertThat(IsoInstant.format(nanos(T0), new StringBuilder())).hasToString(T0);
        assertThat(IsoInstant.format(1, new StringBuilder())).hasToString("1970-01-01T00:00:00.000000001Z");
    }

    @Test
    void devicePrefixNamesTheSeries() {
        Recorder r = parse(T0 + "|mill:Xload|12|Xload|13|mill:mode|AUTOMATIC");
        assertThat(r.samples).containsExactly("mill/Xload@" + nanos(T0) + "=12.0", "dev/Xload@" + nanos(T0) + "=13.0");
        assertThat(r.of(ShdrItem.Event.class)).containsExactly(new ShdrItem.Event("mill/mode", nanos(T0), "AUTOMATIC"));
    }

    @Test
    void unavailableAndEventsAreChangeOnly() {
        Recorder r = parse(
                T0 + "|load|UNAVAILABLE|mode|AUTO",
                T0 + "|load|UNAVAILABLE|mode|AUTO",
                T0 + "|load|5|mode|MANUAL",
                T0 + "|load|UNAVAILABLE|mode|MANUAL");
        assertThat(r.of(ShdrItem.Unavailable.class)).hasSize(2);
        assertThat(r.of(ShdrItem.Event.class)).extracting(ShdrItem.Event::value).containsExactly("AUTO", "MANUAL");
        assertThat(r.samples).hasSize(1);
        assertThat(stats(T0 + "|a|UNAVAILABLE", T0 + "|a|UNAVAILABLE").repeatedEvents()).isEqualTo(1);
    }

    @Test
    void conditionsAreToldFromUnavailablePairs() {
        long t = nanos(T0);
        Recorder r = parse(
                T0 + "|Xtravel_cond|FAULT|OTRAVEL|1|HIGH|Overtravel on X",
                T0 + "|system|WARNING|1002|2||Low oil",
                T0 + "|p1Fcmd|UNAVAILABLE|p1Fract|861.4038|p1Frcmd|5", // from the real log: three pairs
                T0 + "|servo|UNAVAILABLE||||");
        assertThat(r.of(ShdrItem.Condition.class)).containsExactly(
                new ShdrItem.Condition("dev/Xtravel_cond", t, "FAULT", "OTRAVEL", "1", "HIGH", "Overtravel on X"),
                new ShdrItem.Condition("dev/system", t, "WARNING", "1002", "2", "", "Low oil"),
                new ShdrItem.Condition("dev/servo", t, "UNAVAILABLE", "", "", "", ""));
        assertThat(r.of(ShdrItem.Unavailable.class)).containsExactly(new ShdrItem.Unavailable("dev/p1Fcmd", t));
        assertThat(r.samples).containsExactly("dev/p1Fract@" + t + "=861.4038", "dev/p1Frcmd@" + t + "=5.0");
    }

    @Test
    void protocolLinesBackwardStepsAndLineEndings() {
        Recorder r = parse("* PING", "* PONG 10000", "*adapterVersion:UNAVAILABLE", "* shdrVersion: 2.0",
                "2022-08-08T13:51:35Z|a|1\r", "", "   ", "2022-08-08T13:51:34.5Z|a|2", "2022-08-08T13:51:34.6Z|a|3");
        assertThat(r.of(ShdrItem.Protocol.class)).extracting(p -> p.name() + "=" + p.value())
                .containsExactly("PING=", "PONG=10000", "adapterVersion=UNAVAILABLE", "shdrVersion=2.0");
        ShdrStats s = stats("2022-08-08T13:51:35Z|a|1\r", "", "   ", "2022-08-08T13:51:34.5Z|a|2",
                "2022-08-08T13:51:34.6Z|a|3", "2022-08-08T13:51:34.6Z|a|4");
        assertThat(s.backwardSteps()).isEqualTo(1);
        assertThat(s.blankLines()).isEqualTo(2);
        assertThat(s.samples()).isEqualTo(4);
        assertThat(r.samples.get(0)).isEqualTo("dev/a@" + nanos("2022-08-08T13:51:35Z") + "=1.0");
    }

    @Test
    void timestampsParseLikeJavaTime() {
        for (String iso : new String[] {T0, "2022-08-08T13:51:34Z", "1970-01-01T00:00:00Z", "2000-02-29T23:59:59.999999999Z",
                "1969-12-31T23:59:59.5Z", "2262-04-11T23:47:16.854775807Z", "1677-09-21T00:12:43.145224193Z"}) {
            assertThat(IsoInstant.parseNanos(iso, 0, iso.length())).as(iso).isEqualTo(nanos(iso));
        }
        String offset = "2022-08-08T15:51:34.25+02:00";
        assertThat(IsoInstant.parseNanos(offset, 0, offset.length())).isEqualTo(nanos("2022-08-08T13:51:34.25Z"));
        String noZone = "2022-08-08T13:51:34.25";
        assertThat(IsoInstant.parseNanos(noZone, 0, noZone.length())).isEqualTo(nanos("2022-08-08T13:51:34.25Z"));
        for (String bad : new String[] {"2022-08-08", "2022-08-08T13:51:60Z", "2022-08-08T13:51:34.Z", "2022-08-08T13:51:34ZZ",
                "2022-08-08X13:51:34Z", "2022-08-08T13:51:34+2:00", "+2022-08-08T13:51:34Z", "9999-01-01T00:00:00Z",
                "2262-04-11T23:47:16.854775808Z", "1677-09-21T00:12:43.145224192Z"}) {
            assertThat(IsoInstant.parseNanos(bad, 0, bad.length())).as(bad).isEqualTo(IsoInstant.INVALID);
        }
    }
}
