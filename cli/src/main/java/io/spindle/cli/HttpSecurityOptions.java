package io.spindle.cli;

import io.spindle.http.HttpOptions;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** What guards the HTTP server where a command serves one: bearer tokens, HTTPS, CORS origins (env equivalents). */
final class HttpSecurityOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--http-token", paramLabel = "TOKEN", defaultValue = "${env:SPINDLE_HTTP_TOKEN}",
            description = "Bearer token of the admin endpoints (POST /api/v1/admin/...; without one they are disabled; env SPINDLE_HTTP_TOKEN).")
    String writeToken;

    @Option(names = "--http-read-token", paramLabel = "TOKEN", defaultValue = "${env:SPINDLE_HTTP_READ_TOKEN}",
            description = "Bearer token the query API and /metrics require (default: open; env SPINDLE_HTTP_READ_TOKEN).")
    String readToken;

    @Option(names = "--http-tls-keystore", paramLabel = "FILE", defaultValue = "${env:SPINDLE_HTTP_TLS_KEYSTORE}",
            description = "PKCS#12 keystore with the server's key and certificate: serve HTTPS only (env SPINDLE_HTTP_TLS_KEYSTORE).")
    Path tlsKeystore;

    @Option(names = "--http-tls-password", paramLabel = "PASSWORD", arity = "0..1", interactive = true,
            defaultValue = "${env:SPINDLE_HTTP_TLS_PASSWORD}",
            description = "The keystore's password; without a value it is asked for, unechoed (env SPINDLE_HTTP_TLS_PASSWORD).")
    char[] tlsPassword;

    @Option(names = "--http-allow-origin", paramLabel = "ORIGIN",
            description = "Send CORS headers to this origin (scheme://host[:port]; repeatable; default: no CORS).")
    List<String> allowedOrigins;

    /** The options on loopback (the command sets the port); a bad value is a usage error naming the option. */
    HttpOptions options() {
        try {
            HttpOptions o = HttpOptions.loopback(0).withWriteToken(writeToken).withReadToken(readToken)
                    .withAllowedOrigins(allowedOrigins == null ? List.of() : allowedOrigins);
            if (tlsPassword != null && tlsKeystore == null) throw new IllegalArgumentException("--http-tls-password needs --http-tls-keystore");
            return tlsKeystore == null ? o : o.withTls(tlsKeystore, tlsPassword == null ? null : new String(tlsPassword));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage().replace("writeToken", "--http-token")
                    .replace("readToken", "--http-read-token").replace("allowed origin", "--http-allow-origin"));
        }
    }
}
