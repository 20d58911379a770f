package io.spindle.lattice.transport;

import io.nats.client.AuthHandler;
import io.nats.client.NKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

/** Signs the server's nonce with an nkey user seed read from a file (nkey auth without a JWT). */
final class NkeySeedAuth implements AuthHandler {
    private final NKey key;

    private NkeySeedAuth(NKey key) {
        this.key = key;
    }

    static NkeySeedAuth fromFile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("nkey seed file " + file + " cannot be read: " + e.getMessage(), e);
        }
        // the seed is the one line starting with "SU" (nsc and nk write it alone or in a creds-like block)
        String seed = text.lines().map(String::strip).filter(l -> l.startsWith("SU")).findFirst().orElse(null);
        if (seed == null) throw new IllegalArgumentException("nkey seed file " + file + " holds no user seed (a line starting with SU)");
        try {
            NKey k = NKey.fromSeed(seed.toCharArray());
            k.getPublicKey();
            return new NkeySeedAuth(k);
        } catch (RuntimeException | GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("nkey seed file " + file + " holds a malformed seed: " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] sign(byte[] nonce) {
        try {
            return key.sign(nonce);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot sign the NATS nonce with the nkey: " + e.getMessage(), e);
        }
    }

    @Override
    public char[] getID() {
        try {
            return key.getPublicKey();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot derive the nkey's public key: " + e.getMessage(), e);
        }
    }

    @Override
    public char[] getJWT() {
        return null;
    }
}
