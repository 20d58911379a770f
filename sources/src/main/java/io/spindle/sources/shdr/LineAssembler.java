package io.spindle.sources.shdr;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Cuts a byte stream into '\n'-terminated UTF-8 lines with a bound on a line's length, so a peer that never sends a
 * newline cannot make the reader buffer without limit. Undecodable bytes become U+FFFD. Not thread-safe.
 */
final class LineAssembler {
    /** Where the lines go. */
    interface Lines {
        /** A complete line without its '\n' (a trailing '\r' is left to the parser). */
        void line(String text);

        /** A line longer than the bound was dropped; head is its beginning. */
        void tooLong(String head, long bytes);
    }

    private static final int HEAD = 200;

    private final int maxLine;
    private byte[] buf;
    private int start, end, scanFrom;
    private boolean skipping;
    private long skipped;
    private String skippedHead;

    LineAssembler(int initialCapacity, int maxLine) {
        this.maxLine = maxLine;
        this.buf = new byte[Math.min(initialCapacity, maxLine + 1)];
    }

    /** Reads once from in into the buffer; returns the bytes read, or -1 at the end of the stream. */
    int read(InputStream in) throws IOException {
        if (end == buf.length) makeRoom();
        int n = in.read(buf, end, buf.length - end);
        if (n > 0) end += n;
        return n;
    }

    /** Hands every complete line in the buffer to out. */
    void drain(Lines out) {
        int i = scanFrom;
        while (i < end) {
            if (buf[i] != '\n') {
                i++;
                continue;
            }
            if (skipping) {
                skipped += i - start;
                out.tooLong(skippedHead, skipped);
                skipping = false;
            } else {
                out.line(new String(buf, start, i - start, StandardCharsets.UTF_8));
            }
            start = ++i;
        }
        scanFrom = end;
        if (start == end) start = end = scanFrom = 0;
        if (!skipping && end - start > maxLine) { // the line so far already breaks the bound: drop it as it comes
            skipping = true;
            skippedHead = new String(buf, start, Math.min(HEAD, end - start), StandardCharsets.UTF_8);
            skipped = 0;
        }
        if (skipping) {
            skipped += end - start;
            start = end = scanFrom = 0;
        }
    }

    /** Drops an unfinished line (the connection ended) and returns it, or null when there was none. */
    String discardPartial() {
        String partial = null;
        if (skipping) partial = skippedHead + "...";
        else if (end > start) partial = new String(buf, start, end - start, StandardCharsets.UTF_8);
        start = end = scanFrom = 0;
        skipping = false;
        return partial;
    }

    private void makeRoom() {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            scanFrom -= start;
            start = 0;
        } else {
            // a line longer than the buffer: grow, but never past the bound (drain() drops a line beyond it)
            byte[] bigger = new byte[(int) Math.min((long) maxLine + 1, buf.length * 2L)];
            System.arraycopy(buf, 0, bigger, 0, end);
            buf = bigger;
        }
    }
}
