package io.spindle.lattice.transport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Builds an SSLContext from PEM files with the JDK alone (no BouncyCastle): a CA bundle, a client cert and key. */
final class PemSsl {
    private static final Pattern KEY = Pattern.compile("-----BEGIN ([A-Z ]*PRIVATE KEY)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private PemSsl() {
    }

    /** caFile null: the JDK's default trust store; certFile/keyFile null: no client certificate. */
    static SSLContext context(Path caFile, Path certFile, Path keyFile) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (caFile == null) tmf.init((KeyStore) null);
            else {
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                int i = 0;
                for (Certificate c : certificates(caFile, "TLS CA file")) trust.setCertificateEntry("ca-" + i++, c);
                tmf.init(trust);
            }
            KeyManagerFactory kmf = null;
            if (certFile != null) {
                Collection<? extends Certificate> chain = certificates(certFile, "TLS client certificate");
                PrivateKey key = privateKey(keyFile);
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                char[] none = new char[0];
                ks.setKeyEntry("client", key, none, chain.toArray(Certificate[]::new));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, none);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static Collection<? extends Certificate> certificates(Path file, String what) throws IOException {
        byte[] bytes = read(file, what);
        try {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes));
            if (certs.isEmpty()) throw new IllegalArgumentException(what + " " + file + " holds no PEM certificate");
            return certs;
        } catch (java.security.cert.CertificateException e) {
            throw new IllegalArgumentException(what + " " + file + " is not a PEM certificate: " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(Path file) throws IOException {
        String pem = new String(read(file, "TLS client key"), StandardCharsets.US_ASCII);
        Matcher m = KEY.matcher(pem);
        if (!m.find()) throw new IllegalArgumentException("TLS client key " + file + " holds no PEM private key");
        if (!m.group(1).equals("PRIVATE KEY"))
            throw new IllegalArgumentException("TLS client key " + file + " is a '" + m.group(1) + "'; give an unencrypted PKCS#8 key "
                    + "('BEGIN PRIVATE KEY'; convert with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8)");
        byte[] der = Base64.getMimeDecoder().decode(m.group(2));
        for (String alg : new String[] {"RSA", "EC", "Ed25519", "Ed448"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("TLS client key " + file + " is not an RSA, EC or EdDSA PKCS#8 key");
    }

    private static byte[] read(Path file, String what) throws IOException {
        if (!Files.isReadable(file)) throw new IllegalArgumentException(what + " " + file + " does not exist or is not readable");
        return Files.readAllBytes(file);
    }
}
