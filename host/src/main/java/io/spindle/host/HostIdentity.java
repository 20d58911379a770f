package io.spindle.host;

import io.nats.client.NKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A host's identity: an Ed25519 key pair in NATS nkey form; the id is the public key ({@code N...}, 56 characters).
 * The seed stays in memory, or, with a data directory, in {@code host.nk} (created {@code 0600}), so a host restarted
 * on the same directory keeps its id.
 */
final class HostIdentity {
    static final String SEED_FILE = "host.nk";
    private final NKey key;
    private final String id;

    private HostIdentity(NKey key) {
        this.key = key;
        try {
            this.id = new String(key.getPublicKey());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot derive the host's public key: " + e.getMessage(), e);
        }
    }

    /** A fresh key pair, kept in memory. */
    static HostIdentity generate() {
        try {
            return new HostIdentity(NKey.createServer(new SecureRandom()));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate the host's key pair: " + e.getMessage(), e);
        }
    }

    /** The key pair whose seed is in dir/host.nk, created there (0600) when missing. */
    static HostIdentity inDirectory(Path dir) throws IOException {
        Path f = dir.resolve(SEED_FILE);
        if (Files.exists(f)) {
            byte[] raw = Files.readAllBytes(f);
            char[] seed = new String(raw, StandardCharsets.US_ASCII).trim().toCharArray();
            Arrays.fill(raw, (byte) 0);
            try {
                NKey k = NKey.fromSeed(seed);
                if (k.getType() != NKey.Type.SERVER) throw new IOException(f + " holds a " + k.getType() + " seed, not a server seed");
                return new HostIdentity(k);
            } catch (IllegalArgumentException e) {
                throw new IOException(f + " does not hold a valid nkey seed: " + e.getMessage(), e);
            } finally {
                Arrays.fill(seed, '\0');
            }
        }
        HostIdentity h = generate();
        Files.createDirectories(dir);
        char[] seed = h.key.getSeed();
        byte[] bytes = new String(seed).getBytes(StandardCharsets.US_ASCII);
        Path tmp = dir.resolve(SEED_FILE + ".tmp");
        try {
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(tmp);
            }
            Files.write(tmp, bytes, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(tmp, f, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Arrays.fill(bytes, (byte) 0);
            Arrays.fill(seed, '\0');
        }
        return h;
    }

    /** The public key: the host's id. */
    String id() {
        return id;
    }

    /** Signs data with the host's private key (for later use: signed heartbeats, claims). */
    byte[] sign(byte[] data) {
        try {
            return key.sign(data);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot sign: " + e.getMessage(), e);
        }
    }
}
