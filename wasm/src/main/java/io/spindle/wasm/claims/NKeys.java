package io.spindle.wasm.claims;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Ed25519 key pairs in NATS nkey form (base32 of a prefix byte, the 32-byte key and a CRC-16), byte-compatible with
 * jnats {@code io.nats.client.NKey} and the Go/Rust nkeys libraries. Signing uses the JDK's Ed25519 provider.
 * Types: account {@code A}, host/server {@code N}, component/module {@code M} (wasmCloud's module prefix, which jnats
 * has no type for); seeds start with {@code S} and the type letter.
 */
public final class NKeys {
    /** The kind of a key, by its public prefix letter. */
    public enum Type {
        /** Issues (signs) components: {@code A...}. */
        ACCOUNT(0),
        /** A host (jnats {@code NKey.Type.SERVER}): {@code N...}. */
        HOST(13 << 3),
        /** A component (wasmCloud's module keys): {@code M...}. */
        COMPONENT(12 << 3);

        final int prefix;

        Type(int prefix) {
            this.prefix = prefix;
        }

        /** The first letter of a public key of this type. */
        public char letter() {
            return BASE32.charAt(prefix >> 3);
        }

        static Type ofPrefix(int p) {
            for (Type t : values()) if (t.prefix == p) return t;
            return null;
        }
    }

    /** A key pair: its type, seed (S..., secret) and public key. */
    public record KeyPair(Type type, String seed, String publicKey) {
        @Override
        public String toString() { // never print the seed by accident
            return "KeyPair[" + type + ", " + publicKey + "]";
        }
    }

    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final int SEED_PREFIX = 18 << 3;
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private NKeys() {
    }

    /** A fresh key pair of type. */
    public static KeyPair generate(Type type, SecureRandom random) {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        try {
            return fromRawSeed(type, raw);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /** The key pair of an encoded seed; IllegalArgumentException naming what is wrong with it. */
    public static KeyPair fromSeed(String seed) {
        byte[] d = decode(seed.strip(), "seed");
        try {
            if (d.length != 34) throw new IllegalArgumentException("seed has " + d.length + " bytes, an nkey seed has 34");
            int b0 = d[0] & 0xff, b1 = d[1] & 0xff;
            if ((b0 & 0xf8) != SEED_PREFIX) throw new IllegalArgumentException("not an nkey seed (it must start with S)");
            Type t = Type.ofPrefix(((b0 & 7) << 5) | ((b1 & 0xf8) >> 3));
            if (t == null) throw new IllegalArgumentException("seed of an unsupported key type (supported: account SA, host SN, component SM)");
            return fromRawSeed(t, Arrays.copyOfRange(d, 2, 34));
        } finally {
            Arrays.fill(d, (byte) 0);
        }
    }

    /** The type of a public key; IllegalArgumentException when it is not a valid nkey public key of a known type. */
    public static Type typeOf(String publicKey) {
        byte[] d = decode(publicKey, "public key");
        if (d.length != 33) throw new IllegalArgumentException("public key has " + d.length + " bytes, an nkey public key has 33");
        Type t = Type.ofPrefix(d[0] & 0xff);
        if (t == null) throw new IllegalArgumentException("public key of an unsupported type '" + publicKey.charAt(0) + "' (supported: A, N, M)");
        return t;
    }

    /** Signs data with the private key of seed (an encoded seed). */
    public static byte[] sign(String seed, byte[] data) {
        byte[] d = decode(seed.strip(), "seed");
        try {
            if (d.length != 34) throw new IllegalArgumentException("seed has " + d.length + " bytes, an nkey seed has 34");
            PrivateKey k = KeyFactory.getInstance("Ed25519").generatePrivate(
                    new EdECPrivateKeySpec(NamedParameterSpec.ED25519, Arrays.copyOfRange(d, 2, 34)));
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(k);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed: " + e.getMessage(), e);
        } finally {
            Arrays.fill(d, (byte) 0);
        }
    }

    /** Whether signature is publicKey's Ed25519 signature of data (false for a malformed key or signature). */
    public static boolean verify(String publicKey, byte[] data, byte[] signature) {
        byte[] d;
        try {
            d = decode(publicKey, "public key");
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (d.length != 33 || signature.length != 64) return false;
        try {
            byte[] x509 = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + 32);
            System.arraycopy(d, 1, x509, X509_PREFIX.length, 32);
            PublicKey k = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(k);
            s.update(data);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // a key that is not a curve point, or a signature the provider rejects outright
        }
    }

    private static KeyPair fromRawSeed(Type type, byte[] raw) {
        byte[] pub = publicOf(raw);
        byte[] s = new byte[34];
        s[0] = (byte) (SEED_PREFIX | (type.prefix >> 5));
        s[1] = (byte) ((type.prefix & 31) << 3);
        System.arraycopy(raw, 0, s, 2, 32);
        byte[] p = new byte[33];
        p[0] = (byte) type.prefix;
        System.arraycopy(pub, 0, p, 1, 32);
        String seed = encode(s);
        Arrays.fill(s, (byte) 0);
        return new KeyPair(type, seed, encode(p));
    }

    /** The Ed25519 public key of a 32-byte private seed: the JDK derives it when generating from exactly these bytes. */
    private static byte[] publicOf(byte[] raw) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
            g.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
                @Override
                public void nextBytes(byte[] bytes) {
                    System.arraycopy(raw, 0, bytes, 0, Math.min(raw.length, bytes.length));
                }
            });
            java.security.KeyPair pair = g.generateKeyPair();
            byte[] enc = pair.getPublic().getEncoded();
            return Arrays.copyOfRange(enc, enc.length - 32, enc.length);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM has no Ed25519: " + e.getMessage(), e);
        }
    }

    private static String encode(byte[] payload) {
        byte[] b = Arrays.copyOf(payload, payload.length + 2);
        int crc = crc16(payload);
        b[payload.length] = (byte) crc;
        b[payload.length + 1] = (byte) (crc >> 8);
        StringBuilder sb = new StringBuilder((b.length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        for (byte x : b) {
            buffer = (buffer << 8) | (x & 0xff);
            bits += 8;
            while (bits >= 5) {
                sb.append(BASE32.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) sb.append(BASE32.charAt((buffer << (5 - bits)) & 31));
        Arrays.fill(b, (byte) 0);
        return sb.toString();
    }

    private static byte[] decode(String text, String what) {
        if (text == null || text.isEmpty()) throw new IllegalArgumentException(what + " is empty");
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() * 5 / 8);
        int buffer = 0, bits = 0;
        for (int i = 0; i < text.length(); i++) {
            int v = BASE32.indexOf(text.charAt(i));
            if (v < 0) throw new IllegalArgumentException(what + " has a character that is not base32 at position " + (i + 1));
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        byte[] d = out.toByteArray();
        if (d.length < 3) throw new IllegalArgumentException(what + " is too short");
        byte[] payload = Arrays.copyOf(d, d.length - 2);
        int crc = (d[d.length - 2] & 0xff) | (d[d.length - 1] & 0xff) << 8;
        Arrays.fill(d, (byte) 0);
        if (crc != crc16(payload)) {
            Arrays.fill(payload, (byte) 0);
            throw new IllegalArgumentException(what + " fails its checksum (mistyped or damaged)");
        }
        return payload;
    }

    /** CRC-16/XMODEM, as nkeys. */
    private static int crc16(byte[] b) {
        int crc = 0;
        for (byte x : b) {
            crc ^= (x & 0xff) << 8;
            for (int i = 0; i < 8; i++) crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
        }
        return crc;
    }
}
