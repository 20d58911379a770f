package io.spindle.sources.shdr;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An SHDR file as the units a replay sends at once: a data line with its timestamp, an asset command with the body of
 * its {@code --multiline--} block (held together up to {@link #MAX_BLOCK_CHARS}; a longer block goes out in pieces),
 * or any other line (protocol lines, lines without a valid timestamp) as it is. Streams the file; not thread-safe.
 */
final class ReplayUnits implements Closeable {
    /** What a unit is. */
    enum Kind { DATA, ASSET, OTHER }

    /**
     * One unit: its lines, the timestamp of its first line ({@link IsoInstant#INVALID} for OTHER) and where that
     * timestamp's text ends in the first line.
     */
    record Unit(Kind kind, List<String> lines, long tNanos, int stampEnd) {
    }

    static final int MAX_BLOCK_CHARS = 16 << 20;
    private static final String MULTILINE = "--multiline--";

    private final BufferedReader in;
    private String blockEnd; // set while the rest of an oversized block is passed through line by line

    ReplayUnits(Path file) throws IOException {
        this.in = new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8), 1 << 16);
    }

    /** The next unit, or null at the end of the file. */
    Unit next() throws IOException {
        String line = in.readLine();
        if (line == null) return null;
        if (blockEnd != null) {
            if (line.strip().equals(blockEnd)) blockEnd = null;
            return new Unit(Kind.OTHER, List.of(line), IsoInstant.INVALID, 0);
        }
        int bar = line.indexOf('|');
        if (bar < 0 || line.startsWith("*")) return new Unit(Kind.OTHER, List.of(line), IsoInstant.INVALID, 0);
        int at = line.lastIndexOf('@', bar); // an optional "@duration" follows the timestamp
        int stampEnd = at < 0 ? bar : at;
        long t = IsoInstant.parseNanos(line, 0, stampEnd);
        if (t == IsoInstant.INVALID) return new Unit(Kind.OTHER, List.of(line), IsoInstant.INVALID, 0);
        int next = line.indexOf('|', bar + 1);
        String first = line.substring(bar + 1, next < 0 ? line.length() : next).strip();
        if (!(first.length() > 2 && first.startsWith("@") && first.endsWith("@")))
            return new Unit(Kind.DATA, List.of(line), t, stampEnd);
        String last = line.substring(line.lastIndexOf('|') + 1).strip();
        if (next < 0 || !last.startsWith(MULTILINE) || last.length() == MULTILINE.length())
            return new Unit(Kind.ASSET, List.of(line), t, stampEnd);
        List<String> block = new ArrayList<>();
        block.add(line);
        long chars = line.length();
        for (String body; (body = in.readLine()) != null; ) {
            block.add(body);
            if (body.strip().equals(last)) return new Unit(Kind.ASSET, block, t, stampEnd);
            chars += body.length();
            if (chars > MAX_BLOCK_CHARS) {
                blockEnd = last;
                break;
            }
        }
        return new Unit(Kind.ASSET, block, t, stampEnd);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
