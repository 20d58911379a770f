package io.spindle.http;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where the HTTP server listens and what it guards.
 *
 * @param bind               address to bind (null: loopback, so nothing outside the machine reaches it unless asked)
 * @param port               TCP port, 0 for a free one
 * @param writeToken         bearer token the admin (write) endpoints require (null: they are disabled, 403)
 * @param readToken          bearer token the data endpoints require (null: open); the write token is accepted too
 * @param tlsKeystore        PKCS#12 keystore with the server's key and certificate chain: serve HTTPS only (null: HTTP)
 * @param tlsPassword        the keystore's password (null: empty); never shown by {@link #toString()}
 * @param allowedOrigins     origins (like {@code https://grafana.example:3000}) that get CORS headers; empty: no CORS
 */
public record HttpOptions(InetAddress bind, int port, String writeToken, String readToken, Path tlsKeystore,
                          String tlsPassword, List<String> allowedOrigins) {
    // RFC 6750 b64token: what may follow "Bearer " in a header
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");
    private static final Pattern ORIGIN = Pattern.compile("https?://[^/\\s?#*]+");

    public HttpOptions {
        if (bind == null) bind = InetAddress.getLoopbackAddress();
        if (port < 0 || port > 65_535) throw new IllegalArgumentException("port " + port + " is outside 0..65535");
        checkToken("writeToken", writeToken);
        checkToken("readToken", readToken);
        if (tlsPassword != null && tlsKeystore == null) throw new IllegalArgumentException("a TLS keystore password was given without a keystore");
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
        for (String o : allowedOrigins)
            if (!ORIGIN.matcher(o).matches())
                throw new IllegalArgumentException("allowed origin '" + o + "' is not scheme://host[:port] (http or https, no path, no wildcard)");
    }

    /** No read token, no TLS, no CORS. */
    public HttpOptions(InetAddress bind, int port, String writeToken) {
        this(bind, port, writeToken, null, null, null, List.of());
    }

    private static void checkToken(String name, String token) {
        if (token == null) return;
        if (token.isBlank()) throw new IllegalArgumentException(name + " is blank (give null for none)");
        if (!TOKEN.matcher(token).matches())
            throw new IllegalArgumentException(name + " has characters a bearer token cannot carry (allowed: letters, digits, -._~+/ and trailing =)");
        if (token.length() < 16) throw new IllegalArgumentException(name + " is shorter than 16 characters");
    }

    /** Loopback on the given port (0: a free one), no token. */
    public static HttpOptions loopback(int port) {
        return new HttpOptions(InetAddress.getLoopbackAddress(), port, null);
    }

    public HttpOptions withPort(int p) {
        return new HttpOptions(bind, p, writeToken, readToken, tlsKeystore, tlsPassword, allowedOrigins);
    }

    public HttpOptions withWriteToken(String t) {
        return new HttpOptions(bind, port, t, readToken, tlsKeystore, tlsPassword, allowedOrigins);
    }

    public HttpOptions withReadToken(String t) {
        return new HttpOptions(bind, port, writeToken, t, tlsKeystore, tlsPassword, allowedOrigins);
    }

    public HttpOptions withTls(Path keystore, String password) {
        return new HttpOptions(bind, port, writeToken, readToken, keystore, password, allowedOrigins);
    }

    public HttpOptions withAllowedOrigins(List<String> origins) {
        return new HttpOptions(bind, port, writeToken, readToken, tlsKeystore, tlsPassword, origins);
    }

    @Override
    public String toString() {
        return "HttpOptions[bind=" + bind.getHostAddress() + ", port=" + port + ", writeToken=" + (writeToken == null ? "none" : "***")
                + ", readToken=" + (readToken == null ? "none" : "***") + ", tls=" + (tlsKeystore == null ? "off" : tlsKeystore)
                + ", allowedOrigins=" + allowedOrigins + "]";
    }
}
