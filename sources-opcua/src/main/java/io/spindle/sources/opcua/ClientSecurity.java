package io.spindle.sources.opcua;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.FileBasedCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.FileBasedTrustListManager;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;

/**
 * The client's application instance certificate and its trust list, kept in the configured PKI directory:
 * {@code client.pfx} (created on first use), {@code trusted/certs} (server certificates to trust, DER or PEM; watched,
 * so a certificate moved there counts without a restart), {@code issuer/}, and {@code rejected/} (server certificates
 * that failed validation, to inspect and move to {@code trusted/certs}).
 */
final class ClientSecurity implements AutoCloseable {
    static final String KEYSTORE = "client.pfx";
    private static final String ALIAS = "spindle-opcua-client";
    // the keystore is protected by the directory's permissions; the password only satisfies the PKCS#12 format
    private static final char[] PASSWORD = "spindle".toCharArray();

    final KeyPair keyPair;
    final X509Certificate certificate;
    final CertificateValidator validator;
    private final FileBasedTrustListManager trustList;

    private ClientSecurity(KeyPair keyPair, X509Certificate certificate, FileBasedTrustListManager trustList,
            CertificateValidator validator) {
        this.keyPair = keyPair;
        this.certificate = certificate;
        this.trustList = trustList;
        this.validator = validator;
    }

    /** Loads the client certificate from the directory, creating it (and the directory layout) when absent. */
    static ClientSecurity open(Path pkiDir) throws IOException, GeneralSecurityException {
        Files.createDirectories(pkiDir);
        KeyStore store = loadOrCreate(pkiDir.resolve(KEYSTORE));
        KeyPair keyPair = new KeyPair(store.getCertificate(ALIAS).getPublicKey(), (PrivateKey) store.getKey(ALIAS, PASSWORD));
        FileBasedTrustListManager trustList = FileBasedTrustListManager.createAndInitialize(pkiDir);
        var quarantine = FileBasedCertificateQuarantine.create(pkiDir.resolve("rejected"));
        return new ClientSecurity(keyPair, (X509Certificate) store.getCertificate(ALIAS), trustList,
                new DefaultClientCertificateValidator(trustList, quarantine));
    }

    /** The client certificate in the directory, created if absent (for an operator, or a test, to trust it). */
    static X509Certificate certificate(Path pkiDir) throws IOException, GeneralSecurityException {
        Files.createDirectories(pkiDir);
        return (X509Certificate) loadOrCreate(pkiDir.resolve(KEYSTORE)).getCertificate(ALIAS);
    }

    private static synchronized KeyStore loadOrCreate(Path file) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                store.load(in, PASSWORD);
            }
            if (!store.isKeyEntry(ALIAS)) throw new GeneralSecurityException(file + " has no key entry '" + ALIAS + "'");
            return store;
        }
        store.load(null, PASSWORD);
        KeyPair keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
        SelfSignedCertificateBuilder builder = new SelfSignedCertificateBuilder(keyPair)
                .setCommonName("Spindle OPC UA source")
                .setOrganization("Spindle")
                .setApplicationUri(ClientFactory.APPLICATION_URI)
                .addDnsName("localhost")
                .addIpAddress("127.0.0.1");
        try {
            builder.addDnsName(InetAddress.getLocalHost().getHostName());
        } catch (IOException e) {
            // no resolvable host name: the certificate names localhost only
        }
        X509Certificate cert;
        try {
            cert = builder.build();
        } catch (Exception e) {
            throw new GeneralSecurityException("cannot make the client certificate: " + e.getMessage(), e);
        }
        store.setKeyEntry(ALIAS, keyPair.getPrivate(), PASSWORD, new X509Certificate[] {cert});
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            store.store(out, PASSWORD);
        }
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's own protection applies
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return store;
    }

    @Override
    public void close() {
        try {
            trustList.close();
        } catch (IOException e) {
            // the watcher thread ends with the JVM at the latest
        }
    }
}
