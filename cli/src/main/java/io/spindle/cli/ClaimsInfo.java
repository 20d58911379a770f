package io.spindle.cli;

import io.spindle.wasm.claims.Claims;
import io.spindle.wasm.claims.ClaimsException;
import io.spindle.wasm.claims.ComponentClaims;
import java.time.Instant;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * A module's signature as the commands show it: the claims as written (null when unreadable) and the verdict.
 *
 * @param claims the claims as read from the token, or null (unsigned, or a token that does not parse)
 * @param reason null when valid, else why not (unsigned, malformed, bad signature, tampered, expired, untrusted)
 * @param error  the full reason, or null
 */
record ClaimsInfo(Claims claims, ClaimsException.Reason reason, String error) {

    /** Verifies module against trusted (empty: any issuer) at now; an unsigned module has reason UNSIGNED. */
    static ClaimsInfo of(byte[] module, Collection<String> trusted, Instant now) {
        Optional<Claims> written = ComponentClaims.read(module);
        try {
            return new ClaimsInfo(ComponentClaims.check(module, true, trusted, now), null, null);
        } catch (ClaimsException e) {
            return new ClaimsInfo(written.orElse(null), e.reason(), e.getMessage());
        }
    }

    boolean valid() {
        return reason == null;
    }

    boolean unsigned() {
        return reason == ClaimsException.Reason.UNSIGNED;
    }

    /** {@code "valid"} or the reason in snake case ({@code "bad_signature"}). */
    String status() {
        return reason == null ? "valid" : reason.name().toLowerCase(Locale.ROOT);
    }

    /** {"status","error","issuer","subject","name","version","issued_at","expires_at"} (times ISO-8601 UTC, null where absent). */
    String toJson() {
        StringBuilder sb = new StringBuilder(512).append('{');
        Json.string(Json.key(sb, "status"), status()).append(',');
        nullable(Json.key(sb, "error"), error).append(',');
        Claims c = claims;
        nullable(Json.key(sb, "issuer"), c == null ? null : c.issuer()).append(',');
        nullable(Json.key(sb, "subject"), c == null ? null : c.subject()).append(',');
        nullable(Json.key(sb, "name"), c == null ? null : c.name()).append(',');
        nullable(Json.key(sb, "version"), c == null ? null : c.version()).append(',');
        nullable(Json.key(sb, "issued_at"), c == null ? null : c.issuedAt().toString()).append(',');
        nullable(Json.key(sb, "expires_at"), c == null || c.expiresAt() == null ? null : c.expiresAt().toString());
        return sb.append('}').toString();
    }

    /** Rows "label  value" for tables, the first one the verdict. */
    void appendRows(StringBuilder sb, int width) {
        String fmt = "%-" + width + "s  %s%n";
        sb.append(String.format(Locale.ROOT, fmt, "signature", valid() ? "valid" : error));
        if (claims == null) return;
        sb.append(String.format(Locale.ROOT, fmt, "issuer", claims.issuer()));
        sb.append(String.format(Locale.ROOT, fmt, "subject", claims.subject() + " (SHA-256 without " + ComponentClaims.SECTION + ")"));
        if (claims.name() != null) sb.append(String.format(Locale.ROOT, fmt, "name", claims.name()));
        if (claims.version() != null) sb.append(String.format(Locale.ROOT, fmt, "version", claims.version()));
        sb.append(String.format(Locale.ROOT, fmt, "issued", claims.issuedAt()));
        sb.append(String.format(Locale.ROOT, fmt, "expires", claims.expiresAt() == null ? "never" : claims.expiresAt().toString()));
    }

    private static StringBuilder nullable(StringBuilder sb, String s) {
        return s == null ? sb.append("null") : Json.string(sb, s);
    }
}
