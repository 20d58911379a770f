package io.spindle.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Bearer tokens ({@code Authorization: Bearer <token>}): admin endpoints need the write token, data endpoints the
 * read token when one is set (the write token also reads); health, readiness, the dashboard's static files and CORS
 * preflights are open. No header or a malformed one is a 401, a wrong token a 403; each refusal is counted in
 * {@code spindle_http_auth_failures_total{reason}}. Tokens are compared as SHA-256 digests in constant time.
 */
final class BearerAuth {
    static final String ADMIN_PREFIX = "/api/v1/admin/";
    private final byte[] write, read;
    private final Metrics.Counter missing, malformed, wrong, disabled;

    BearerAuth(String writeToken, String readToken, Metrics metrics) {
        this.write = writeToken == null ? null : sha256(writeToken);
        this.read = readToken == null ? null : sha256(readToken);
        String help = "HTTP requests refused for their credentials";
        this.missing = metrics.counter("spindle_http_auth_failures_total", help, java.util.Map.of("reason", "missing"));
        this.malformed = metrics.counter("spindle_http_auth_failures_total", help, java.util.Map.of("reason", "malformed"));
        this.wrong = metrics.counter("spindle_http_auth_failures_total", help, java.util.Map.of("reason", "wrong_token"));
        this.disabled = metrics.counter("spindle_http_auth_failures_total", help, java.util.Map.of("reason", "admin_disabled"));
    }

    /** A before-handler: throws an ApiError (401/403) when the request may not proceed. */
    void check(Context ctx) {
        if (ctx.method() == HandlerType.OPTIONS) return; // preflights carry no credentials; CORS answers them
        String path = ctx.path();
        if (path.startsWith(ADMIN_PREFIX)) {
            if (write == null) {
                disabled.inc();
                throw ApiError.forbidden("admin endpoints are disabled: the server has no write token");
            }
            if (!matches(ctx, write, null)) {
                wrong.inc();
                throw ApiError.forbidden("Authorization: the bearer token is not the write token");
            }
            return;
        }
        if (read == null || open(path)) return;
        if (!matches(ctx, read, write)) {
            wrong.inc();
            throw ApiError.forbidden("Authorization: the bearer token is not a read token");
        }
    }

    private static boolean open(String path) {
        return path.equals("/healthz") || path.equals("/readyz") || path.equals("/ui") || path.startsWith("/ui/");
    }

    /** True when the header's token is a or b; a missing or malformed header is a 401. */
    private boolean matches(Context ctx, byte[] a, byte[] b) {
        String h = ctx.header("Authorization");
        if (h == null || h.isEmpty()) {
            missing.inc();
            ctx.header("WWW-Authenticate", "Bearer realm=\"spindle\"");
            throw ApiError.unauthorized("Authorization: missing; send 'Authorization: Bearer <token>'");
        }
        if (!h.regionMatches(true, 0, "Bearer ", 0, 7) || h.length() == 7 || h.substring(7).strip().isEmpty()
                || h.substring(7).strip().contains(" ")) {
            malformed.inc();
            ctx.header("WWW-Authenticate", "Bearer realm=\"spindle\", error=\"invalid_request\"");
            throw ApiError.unauthorized("Authorization: malformed; expected 'Bearer <token>'");
        }
        byte[] given = sha256(h.substring(7).strip());
        // both compared every time, so the time taken does not tell which one matched
        boolean ok = MessageDigest.isEqual(given, a);
        ok |= b != null && MessageDigest.isEqual(given, b);
        return ok;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JDK", e);
        }
    }
}
