package io.spindle.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Opens an x,y CSV input, a file or stdin, and reads it, turning I/O trouble into a message naming the input. */
final class XyInput {
    private XyInput() {
    }

    private interface Reader<T> {
        T read(InputStream in, String source) throws IOException;
    }

    /** Reads file, or stdin when file is null. */
    static XySeries read(Path file) {
        return read(file, XyCsvReader::read);
    }

    /** Reads file, or stdin when file is null, with x as integer nanoseconds. */
    static TimedSeries readTimed(Path file) {
        return read(file, XyCsvReader::readTimed);
    }

    private static <T> T read(Path file, Reader<T> reader) {
        if (file == null) return read(System.in, "stdin", reader);
        if (Files.isDirectory(file)) throw new CliFailure(file.toString(), "is a directory, not a CSV file");
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), reader);
        } catch (NoSuchFileException e) {
            throw new CliFailure(file.toString(), "no such file");
        } catch (IOException e) {
            throw new CliFailure(file.toString(), "cannot read: " + FailureHandler.ioReason(e), e);
        }
    }

    private static <T> T read(InputStream in, String source, Reader<T> reader) {
        try {
            return reader.read(in, source);
        } catch (IOException e) {
            throw new CliFailure(source, "cannot read: " + FailureHandler.ioReason(e), e);
        }
    }
}
