package io.spindle.sources.shdr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineAssemblerTest {
    /** Delivers its bytes a few at a time, as TCP may. */
    static final class Trickle extends InputStream {
        private final byte[] data;
        private final int chunk;
        private int at;

        Trickle(String text, int chunk) {
            this.data = text.getBytes(StandardCharsets.UTF_8);
            this.chunk = chunk;
        }

        @Override
        public int read() {
            return at < data.length ? data[at++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (at == data.length) return -1;
            int n = Math.min(Math.min(len, chunk), data.length - at);
            System.arraycopy(data, at, b, off, n);
            at += n;
            return n;
        }
    }

    static final class Collect implements LineAssembler.Lines {
        final List<String> lines = new ArrayList<>();

        @Override
        public void line(String text) {
            lines.add(text);
        }

        @Override
        public void tooLong(String head, long bytes) {
            lines.add("TOO LONG " + bytes + ": " + head.substring(0, Math.min(5, head.length())));
        }
    }

    private static List<String> cut(String text, int chunk, int initial, int max, String[] partial) throws IOException {
        LineAssembler a = new LineAssembler(initial, max);
        Collect c = new Collect();
        InputStream in = new Trickle(text, chunk);
        while (a.read(in) >= 0) a.drain(c);
        partial[0] = a.discardPartial();
        return c.lines;
    }

    @Test
    void cutsLinesAcrossReadsGrowingUpToTheBound() throws IOException {
        String text = "a|1\r\nbb|2\n\nλ|3\n" + "x".repeat(100) + "\ntail";
        for (int chunk : new int[] {1, 3, 7, 64, 4096}) {
            String[] partial = new String[1];
            assertThat(cut(text, chunk, 8, 1000, partial)).as("chunk " + chunk)
                    .containsExactly("a|1\r", "bb|2", "", "λ|3", "x".repeat(100));
            assertThat(partial[0]).isEqualTo("tail");
        }
    }

    @Test
    void dropsALineOverTheBoundToItsEndAndGoesOn() throws IOException {
        String text = "ok\n" + "y".repeat(50) + "\nnext\n" + "z".repeat(30);
        for (int chunk : new int[] {1, 5, 4096}) {
            String[] partial = new String[1];
            assertThat(cut(text, chunk, 4, 20, partial)).as("chunk " + chunk).containsExactly("ok", "TOO LONG 50: yyyyy", "next");
            assertThat(partial[0]).as("an overlong unfinished line").startsWith("z".repeat(21)).endsWith("...");
        }
        String[] partial = new String[1];
        assertThat(cut("q".repeat(20) + "\n", 1, 4, 20, partial)).as("exactly the bound is fine").containsExactly("q".repeat(20));
    }
}
