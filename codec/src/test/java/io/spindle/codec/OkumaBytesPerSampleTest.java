package io.spindle.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Bytes per sample of both versions on every numeric series of the real Okuma log, in batches of 256 samples and as
 * one batch per series; every batch round-trips bit for bit. Prints the table that codec/README.md quotes.
 */
class OkumaBytesPerSampleTest {
    record Row(String series, int samples, long v1At256, long v2At256, long v1Whole, long v2Whole) {
    }

    static List<Row> measure(OkumaLog log) {
        SampleBatchCodec v1 = new SampleBatchCodec(1), v2 = new SampleBatchCodec();
        List<Row> rows = new ArrayList<>();
        for (String s : log.times().keySet()) {
            long[] t = log.times().get(s);
            double[] v = log.values().get(s);
            long a = 0, b = 0;
            for (int from = 0; from < t.length; from += 256) {
                int to = Math.min(t.length, from + 256);
                a += v1.encode(s, t, v, from, to);
                b += v2.encode(s, t, v, from, to);
                SampleBatchCodecTest.assertRoundTrip(v2, s, t, v, from, to);
            }
            SampleBatchCodecTest.assertRoundTrip(v2, s, t, v, 0, t.length);
            rows.add(new Row(s, t.length, a, b, v1.encode(s, t, v, 0, t.length), v2.encode(s, t, v, 0, t.length)));
        }
        rows.sort((x, y) -> Integer.compare(y.samples(), x.samples()));
        return rows;
    }

    @Test
    void version2IsLessThanHalfOfVersion1OnTheOkumaLog() throws IOException {
        OkumaLog log = OkumaLog.read();
        assertThat(log.times()).hasSize(42);
        assertThat(log.samples()).isEqualTo(21_060);
        List<Row> rows = measure(log);
        long n = 0, a = 0, b = 0, c = 0, d = 0;
        StringBuilder table = new StringBuilder("| series | samples | v1, 256 | v2, 256 | v1, whole | v2, whole |\n|---|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            n += r.samples();
            a += r.v1At256();
            b += r.v2At256();
            c += r.v1Whole();
            d += r.v2Whole();
            table.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f | %.2f |%n", r.series(), r.samples(),
                    (double) r.v1At256() / r.samples(), (double) r.v2At256() / r.samples(),
                    (double) r.v1Whole() / r.samples(), (double) r.v2Whole() / r.samples()));
        }
        table.append(String.format(Locale.ROOT, "| **all 42** | %d | %.2f | %.2f | %.2f | %.2f |%n", n,
                (double) a / n, (double) b / n, (double) c / n, (double) d / n));
        System.out.print("Okuma log, bytes per sample (whole batch: header, name, times, values):\n" + table);
        // measured: v1 9.82 / 9.74, v2 3.37 / 3.33 (batches of 256 / whole series)
        assertThat((double) b / n).isLessThan(3.5);
        assertThat((double) d / n).isLessThan(3.5);
        assertThat(b * 2.5).isLessThan(a);
        assertThat(d * 2.5).isLessThan(c);
    }
}
