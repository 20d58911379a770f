package io.spindle.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Bytes per sample of every version on every numeric series of the real Okuma log, in batches of 256 samples and as
 * one batch per series; every batch round-trips bit for bit. Prints the table that codec/README.md quotes.
 */
class OkumaBytesPerSampleTest {
    /** Bytes by version (1-3) at batches of 256 ([0]) and whole ([1]). */
    record Row(String series, int samples, long[][] bytes) {
    }

    static List<Row> measure(OkumaLog log) {
        SampleBatchCodec[] codecs = {new SampleBatchCodec(1), new SampleBatchCodec(2), new SampleBatchCodec(3)};
        List<Row> rows = new ArrayList<>();
        for (String s : log.times().keySet()) {
            long[] t = log.times().get(s);
            double[] v = log.values().get(s);
            long[][] bytes = new long[3][2];
            for (int c = 0; c < 3; c++) {
                for (int from = 0; from < t.length; from += 256) {
                    int to = Math.min(t.length, from + 256);
                    bytes[c][0] += codecs[c].encode(s, t, v, from, to);
                    if (c > 0) SampleBatchCodecTest.assertRoundTrip(codecs[c], s, t, v, from, to);
                }
                bytes[c][1] = codecs[c].encode(s, t, v, 0, t.length);
                if (c > 0) SampleBatchCodecTest.assertRoundTrip(codecs[c], s, t, v, 0, t.length);
            }
            rows.add(new Row(s, t.length, bytes));
        }
        rows.sort((x, y) -> Integer.compare(y.samples(), x.samples()));
        return rows;
    }

    /** Where version 3's bytes go: header (name, first time, the fields before the codes), times, values. */
    static String breakdown(OkumaLog log, int batch) {
        V3Encoder v3 = new V3Encoder();
        long header = 0, times = 0, total = 0, n = 0;
        for (String s : log.times().keySet()) {
            long[] t = log.times().get(s);
            double[] v = log.values().get(s);
            byte[] name = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] out = new byte[(int) V3Encoder.worstCase(name.length, t.length)];
            for (int from = 0; from < t.length; from += batch) {
                int to = (int) Math.min(t.length, (long) from + batch);
                total += v3.encode(out, name, t, v, from, to);
                header += v3.lastHeaderBytes;
                times += v3.lastTimeBytes;
            }
            n += t.length;
        }
        return String.format(Locale.ROOT, "version 3, %s: %.3f bytes a sample = header %.3f + times %.3f + values %.3f",
                batch == Integer.MAX_VALUE ? "whole series" : "batches of " + batch, (double) total / n, (double) header / n,
                (double) times / n, (double) (total - header - times) / n);
    }

    @Test
    void version3IsUnderThreeBytesASampleOnTheOkumaLog() throws IOException {
        OkumaLog log = OkumaLog.read();
        assertThat(log.times()).hasSize(42);
        assertThat(log.samples()).isEqualTo(21_060);
        List<Row> rows = measure(log);
        long n = 0;
        long[][] total = new long[3][2];
        StringBuilder table = new StringBuilder("| series | samples | v1, 256 | v2, 256 | v3, 256 | v1, whole | v2, whole | v3, whole |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            n += r.samples();
            table.append("| ").append(r.series()).append(" | ").append(r.samples());
            for (int w = 0; w < 2; w++)
                for (int c = 0; c < 3; c++) {
                    total[c][w] += r.bytes()[c][w];
                    table.append(String.format(Locale.ROOT, " | %.2f", (double) r.bytes()[c][w] / r.samples()));
                }
            table.append(" |\n");
        }
        table.append("| **all 42** | ").append(n);
        for (int w = 0; w < 2; w++)
            for (int c = 0; c < 3; c++) table.append(String.format(Locale.ROOT, " | **%.2f**", (double) total[c][w] / n));
        table.append(" |\n");
        System.out.print("Okuma log, bytes per sample (whole batch: header, name, times, values):\n" + table);
        for (int batch : new int[]{256, Integer.MAX_VALUE}) System.out.println(breakdown(log, batch));
        // measured: v1 9.82 / 9.74, v2 3.36 / 3.30, v3 2.82 / 2.65 (batches of 256 / whole series)
        assertThat((double) total[1][0] / n).isLessThan(3.5);
        assertThat((double) total[1][1] / n).isLessThan(3.5);
        assertThat((double) total[2][0] / n).isLessThan(3.0);
        assertThat((double) total[2][1] / n).isLessThan(3.0);
    }
}
