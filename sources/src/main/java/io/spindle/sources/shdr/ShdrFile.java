package io.spindle.sources.shdr;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Feeds a file of SHDR lines to a reader: the I/O half that the line parser leaves out. */
public final class ShdrFile {
    private ShdrFile() {
    }

    /** Reads every line of file into reader, then ends it; undecodable bytes become U+FFFD rather than failing. */
    public static ShdrStats read(Path file, ShdrReader reader) throws IOException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8), 1 << 16)) {
            return read(in, reader);
        }
    }

    /** Reads every line of in into reader, then ends it. */
    public static ShdrStats read(BufferedReader in, ShdrReader reader) throws IOException {
        for (String line; (line = in.readLine()) != null; ) reader.line(line);
        reader.end();
        return reader.stats();
    }
}
