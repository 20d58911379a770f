package io.spindle.http;

import java.net.InetAddress;

/**
 * Where the HTTP server listens and what it guards.
 *
 * @param bind       address to bind (null: loopback, so nothing outside the machine reaches it unless asked)
 * @param port       TCP port, 0 for a free one
 * @param writeToken bearer token that write endpoints will require (null: none); the server has no write endpoint
 *                   yet, so it is kept for them and not used
 */
public record HttpOptions(InetAddress bind, int port, String writeToken) {
    public HttpOptions {
        if (bind == null) bind = InetAddress.getLoopbackAddress();
        if (port < 0 || port > 65_535) throw new IllegalArgumentException("port " + port + " is outside 0..65535");
        if (writeToken != null && writeToken.isBlank()) throw new IllegalArgumentException("writeToken is blank (give null for none)");
    }

    /** Loopback on the given port (0: a free one), no token. */
    public static HttpOptions loopback(int port) {
        return new HttpOptions(InetAddress.getLoopbackAddress(), port, null);
    }
}
