package io.spindle.lattice.transport;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How {@link NatsTransport} authenticates and secures its connection: at most one identity (user and password, an
 * nkey seed file, or a JWT {@code .creds} file) and TLS (a CA file to verify the server, a client certificate and
 * key in PEM for mutual TLS). TLS is used when {@code requireTls} is set or any TLS file is given; with
 * {@code requireTls} every URL must be {@code tls://} and a server that does not offer TLS is refused, never used
 * in plaintext. Start from {@link #defaults()} and add with the {@code with...} methods.
 *
 * @param connectTimeout bound on the first connection
 * @param user           user name (with password), or null
 * @param password       password for user, or null; never shown by {@link #toString()}
 * @param nkeySeedFile   file holding an nkey user seed ({@code SU...}), or null
 * @param credsFile      JWT credentials file (user JWT and nkey seed, as {@code nsc} writes them), or null
 * @param tlsCaFile      PEM file of the CA certificate(s) that sign the server's certificate (null: the JDK's trust store)
 * @param tlsCertFile    PEM client certificate (chain) for mutual TLS, or null
 * @param tlsKeyFile     PEM (PKCS#8, unencrypted) private key of tlsCertFile, or null
 * @param requireTls     refuse plaintext URLs and servers that do not offer TLS
 */
public record NatsConnectOptions(Duration connectTimeout, String user, String password, Path nkeySeedFile,
                                 Path credsFile, Path tlsCaFile, Path tlsCertFile, Path tlsKeyFile, boolean requireTls) {
    public NatsConnectOptions {
        if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero())
            throw new IllegalArgumentException("connectTimeout must be positive, got " + connectTimeout);
        if (user != null && user.isBlank()) throw new IllegalArgumentException("NATS user is blank (give null for none)");
        if ((user == null) != (password == null))
            throw new IllegalArgumentException(user == null ? "a NATS password was given without a user" : "NATS user '" + user + "' has no password");
        int identities = (user != null ? 1 : 0) + (nkeySeedFile != null ? 1 : 0) + (credsFile != null ? 1 : 0);
        if (identities > 1)
            throw new IllegalArgumentException("give one NATS identity: user/password, an nkey seed file or a creds file, not " + identities);
        if ((tlsCertFile == null) != (tlsKeyFile == null))
            throw new IllegalArgumentException(tlsCertFile == null ? "a TLS client key was given without its certificate"
                    : "the TLS client certificate " + tlsCertFile + " has no key file");
    }

    /** No credentials, TLS only for {@code tls://} URLs, 5 s connect timeout. */
    public static NatsConnectOptions defaults() {
        return new NatsConnectOptions(Duration.ofSeconds(5), null, null, null, null, null, null, null, false);
    }

    public NatsConnectOptions withConnectTimeout(Duration d) {
        return new NatsConnectOptions(d, user, password, nkeySeedFile, credsFile, tlsCaFile, tlsCertFile, tlsKeyFile, requireTls);
    }

    public NatsConnectOptions withUserPassword(String u, String p) {
        return new NatsConnectOptions(connectTimeout, u, p, nkeySeedFile, credsFile, tlsCaFile, tlsCertFile, tlsKeyFile, requireTls);
    }

    public NatsConnectOptions withNkeySeedFile(Path f) {
        return new NatsConnectOptions(connectTimeout, user, password, f, credsFile, tlsCaFile, tlsCertFile, tlsKeyFile, requireTls);
    }

    public NatsConnectOptions withCredsFile(Path f) {
        return new NatsConnectOptions(connectTimeout, user, password, nkeySeedFile, f, tlsCaFile, tlsCertFile, tlsKeyFile, requireTls);
    }

    public NatsConnectOptions withTlsCa(Path f) {
        return new NatsConnectOptions(connectTimeout, user, password, nkeySeedFile, credsFile, f, tlsCertFile, tlsKeyFile, requireTls);
    }

    public NatsConnectOptions withClientCert(Path cert, Path key) {
        return new NatsConnectOptions(connectTimeout, user, password, nkeySeedFile, credsFile, tlsCaFile, cert, key, requireTls);
    }

    public NatsConnectOptions withRequireTls(boolean b) {
        return new NatsConnectOptions(connectTimeout, user, password, nkeySeedFile, credsFile, tlsCaFile, tlsCertFile, tlsKeyFile, b);
    }

    /** True when the connection must use TLS. */
    public boolean usesTls() {
        return requireTls || tlsCaFile != null || tlsCertFile != null;
    }

    /** The kind of identity, for messages: "user 'u'", "nkey seed FILE", "creds FILE" or "no credentials". */
    public String identity() {
        if (user != null) return "user '" + user + "'";
        if (nkeySeedFile != null) return "nkey seed " + nkeySeedFile;
        if (credsFile != null) return "creds " + credsFile;
        return "no credentials";
    }

    @Override
    public String toString() {
        return "NatsConnectOptions[" + identity() + (password != null ? ", password ***" : "") + ", tlsCa=" + tlsCaFile
                + ", tlsCert=" + tlsCertFile + ", requireTls=" + requireTls + ", connectTimeout=" + connectTimeout + "]";
    }
}
