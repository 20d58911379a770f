package io.spindle.providers.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
    @TempDir
    Path dir;

    private static byte[] body(int i) {
        byte[] b = new byte[1000];
        Arrays.fill(b, (byte) ('a' + i % 26));
        System.arraycopy(Integer.toString(i).getBytes(StandardCharsets.US_ASCII), 0, b, 0, Integer.toString(i).length());
        return b;
    }

    private static int number(byte[] body) {
        int end = 0;
        while (end < body.length && body[end] >= '0' && body[end] <= '9') end++;
        return Integer.parseInt(new String(body, 0, end, StandardCharsets.US_ASCII));
    }

    /** Takes n records, checking each is the next expected number on its subject. */
    private static List<Integer> drain(Spool s, int n) throws InterruptedException {
        List<Integer> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            Spool.Entry e = s.next(Duration.ofSeconds(1));
            assertThat(e).as("record %d of %d", k, n).isNotNull();
            int i = number(e.body());
            assertThat(e.subject()).isEqualTo("s." + (i % 3));
            assertThat(e.body()).isEqualTo(body(i));
            out.add(i);
            s.done(e);
        }
        return out;
    }

    private long files(String prefix) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)).count();
        }
    }

    @Test
    void keepsOrderAcrossSegmentsAndResumesAfterTheLastPublishedRecordWhenReopened() throws Exception {
        Spool s = new Spool(dir, 1 << 20); // segments of 128 KB: about 130 records each
        for (int i = 0; i < 900; i++) s.put("s." + (i % 3), body(i), false);
        assertThat(files("seg-")).isGreaterThan(5);
        assertThat(drain(s, 400)).isEqualTo(range(0, 400));
        s.close();

        Spool again = new Spool(dir, 1 << 20);
        assertThat(again.counters().restored()).isEqualTo(500);
        assertThat(again.counters().batches()).isEqualTo(500);
        for (int i = 900; i < 1000; i++) again.put("s." + (i % 3), body(i), false);
        assertThat(drain(again, 600)).isEqualTo(range(400, 1000));
        assertThat(again.next(Duration.ofMillis(10))).isNull();
        assertThat(again.counters().bytes()).isZero();
        again.close();
        assertThat(files("seg-")).as("published segments are deleted").isZero();
        assertThat(new Spool(dir, 1 << 20).counters().restored()).isZero();
    }

    @Test
    void oneSpoolPerDirectory() throws Exception {
        Spool s = new Spool(dir, 1 << 20);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Spool(dir, 1 << 20)).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("another source provider holds the spool in " + dir);
        s.close();
        new Spool(dir, 1 << 20).close(); // free again after close
    }

    @Test
    void aTornTailFromAKillIsDroppedAndTheRestKept() throws Exception {
        Spool s = new Spool(dir, 64 << 20);
        for (int i = 0; i < 10; i++) s.put("s." + (i % 3), body(i), false);
        drain(s, 4);
        s.abandon(); // killed: no close; the last append was half written
        Path seg;
        try (Stream<Path> l = Files.list(dir)) {
            seg = l.filter(p -> p.getFileName().toString().startsWith("seg-")).findFirst().orElseThrow();
        }
        Files.write(seg, new byte[] {0, 0, 3, (byte) 232, 1, 2}, StandardOpenOption.APPEND);
        Spool again = new Spool(dir, 64 << 20);
        assertThat(again.counters().restored()).isEqualTo(6);
        assertThat(drain(again, 6)).isEqualTo(range(4, 10));
        again.close();
    }

    @Test
    void putWaitsWhileTheBoundIsReachedAndAStopsFinalFlushMayPassIt() throws Exception {
        Spool s = new Spool(null, 10_000); // ten records of about 1 KB
        int i = 0;
        for (; s.counters().bytes() + 1100 <= 10_000; i++) s.put("s." + (i % 3), body(i), false);
        int next = i;
        CompletableFuture<Long> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return s.put("s." + (next % 3), body(next), false);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        assertThat(blocked).isNotDone();
        drain(s, 1);
        assertThat(blocked.get(2, TimeUnit.SECONDS)).isGreaterThan(100_000_000L);
        assertThat(s.counters().blockedNanos()).isGreaterThan(100_000_000L);
        s.put("s." + ((next + 1) % 3), body(next + 1), true); // over the bound, without waiting
        assertThat(s.counters().bytes()).isGreaterThan(10_000);
        assertThat(drain(s, next + 1)).isEqualTo(range(1, next + 2));
        s.close();
    }

    @Test
    void aRecordLargerThanTheBoundGoesIntoAnEmptySpoolAndWhatIsLeftInMemoryAtCloseIsCountedLost() throws Exception {
        Spool s = new Spool(null, 500);
        s.put("s.0", body(0), false);
        assertThat(s.counters().batches()).isEqualTo(1);
        s.close();
        assertThat(s.counters().lost()).isEqualTo(1);
        assertThatThrownBy(() -> s.put("s.1", body(1), true)).hasMessageContaining("spool closed");
        assertThatThrownBy(() -> new Spool(null, 0)).hasMessageContaining("must be positive");
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> r = new ArrayList<>();
        for (int i = from; i < to; i++) r.add(i);
        return r;
    }
}
