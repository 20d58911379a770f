package io.spindle.wasm.claims;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;

/**
 * Seed files: one nkey seed in ASCII, written {@code 0600} through a temporary file and an atomic rename (as the host
 * writes {@code host.nk}), so a seed is never readable by others, not even for a moment, and never half-written.
 */
public final class SeedFiles {
    private SeedFiles() {
    }

    /** Writes seed to file (0600); refuses to replace an existing file unless overwrite. */
    public static void write(Path file, String seed, boolean overwrite) throws IOException {
        if (!overwrite && Files.exists(file)) throw new FileAlreadyExistsException(file.toString(), null, "a key file is never overwritten silently");
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        byte[] bytes = (seed + "\n").getBytes(StandardCharsets.US_ASCII);
        try {
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(tmp);
            }
            Files.write(tmp, bytes, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Arrays.fill(bytes, (byte) 0);
            Files.deleteIfExists(tmp);
        }
    }

    /** The key pair of the seed in file; IOException naming the file and what is wrong. */
    public static NKeys.KeyPair read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException(file + ": no such key file");
        if (Files.size(file) > 4096) throw new IOException(file + ": " + Files.size(file) + " bytes is too large for an nkey seed file");
        byte[] raw = Files.readAllBytes(file);
        try {
            return NKeys.fromSeed(new String(raw, StandardCharsets.US_ASCII).strip());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": not a valid nkey seed: " + e.getMessage(), e);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }
}
