package io.spindle.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** The HTTPS-only Jetty connector for a PKCS#12 keystore (replaces the plaintext one: no HTTP on the port). */
final class HttpsConnector {
    private HttpsConnector() {
    }

    /** Loads the keystore once so a wrong path or password fails with a clear message before the server starts. */
    static void check(Path keystore, String password) {
        if (!Files.isReadable(keystore)) throw new IllegalArgumentException("TLS keystore " + keystore + " does not exist or is not readable");
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password == null ? new char[0] : password.toCharArray());
            boolean key = false;
            for (var aliases = ks.aliases(); aliases.hasMoreElements(); ) key |= ks.isKeyEntry(aliases.nextElement());
            if (!key) throw new IllegalArgumentException("TLS keystore " + keystore + " holds no private key entry");
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("TLS keystore " + keystore + " cannot be opened as PKCS#12 (wrong password?): " + e.getMessage(), e);
        }
    }

    static Connector create(Server server, HttpConfiguration base, String host, int port, Path keystore, String password) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(keystore.toString());
        ssl.setKeyStoreType("PKCS12");
        ssl.setKeyStorePassword(password == null ? "" : password);
        HttpConfiguration https = new HttpConfiguration(base);
        // no SNI host check: clients reach the server by IP address too, which carries no SNI
        https.addCustomizer(new SecureRequestCustomizer(false));
        ServerConnector c = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
        c.setHost(host);
        c.setPort(port);
        return c;
    }
}
