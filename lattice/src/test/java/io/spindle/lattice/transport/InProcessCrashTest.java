package io.spindle.lattice.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process publishing to a stream and checkpointing each sequence in a bucket is SIGKILLed mid-flight; after
 * reopening, the checkpoint never points past the stream, and the stream reads back without a gap.
 */
class InProcessCrashTest {
    @TempDir
    Path dir;

    /** The child: publish, then checkpoint the sequence, forever. */
    public static void main(String[] args) {
        InProcessTransport t = new InProcessTransport(Path.of(args[0]));
        DurableStream st = t.stream("DATA", List.of("data.>"));
        KeyValueBucket kv = t.keyValue("CHECKPOINTS");
        for (long i = 0; ; i++) {
            long seq = st.publish("data.x", ("payload " + i).getBytes(StandardCharsets.UTF_8));
            kv.put("c", Long.toString(seq).getBytes(StandardCharsets.UTF_8));
            if (i == 200) System.out.println("ready");
        }
    }

    @Test
    void aCheckpointNeverPointsPastTheStreamAfterSigkill() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), InProcessCrashTest.class.getName(),
                dir.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("ready");
            Thread.sleep(150);
        } finally {
            p.destroyForcibly(); // SIGKILL
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        try (InProcessTransport t = new InProcessTransport(dir)) {
            DurableStream st = t.stream("DATA", List.of("data.>"));
            long checkpoint = Long.parseLong(new String(t.keyValue("CHECKPOINTS").get("c").orElseThrow().value(), StandardCharsets.UTF_8));
            long last = st.lastSequence();
            assertThat(checkpoint).isGreaterThan(200).isLessThanOrEqualTo(last);
            List<Long> seqs = new CopyOnWriteArrayList<>();
            try (AutoCloseable c = st.consume("data.x", 1, (seq, subj, data) -> seqs.add(seq))) {
                TransportContract.await("the whole stream", () -> seqs.size() == last);
            }
            List<Long> expected = new ArrayList<>();
            for (long s = 1; s <= last; s++) expected.add(s);
            assertThat(seqs).isEqualTo(expected);
            assertThat(st.publish("data.x", new byte[]{1})).isEqualTo(last + 1);
        }
    }
}
