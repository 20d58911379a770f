package io.spindle.wasm.claims;

/** A component's claims were refused; {@link #reason()} says why (for counters and events), the message names the detail. */
public final class ClaimsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why claims were refused. */
    public enum Reason {
        /** No {@code spindle:claims} section, and a signature is required. */
        UNSIGNED,
        /** The section or token cannot be read: not three base64url parts, bad JSON, missing or mistyped claims. */
        MALFORMED,
        /** The Ed25519 signature does not verify with the issuer's key: the token was changed or forged. */
        BAD_SIGNATURE,
        /** The module's hash differs from the signed subject: the code was changed after signing. */
        TAMPERED,
        /** The token's expiry time has passed. */
        EXPIRED,
        /** The issuer is not one of the trusted issuers. */
        UNTRUSTED
    }

    private final Reason reason;

    ClaimsException(Reason reason, String detail) {
        super(label(reason) + ": " + detail);
        this.reason = reason;
    }

    /** Why. */
    public Reason reason() {
        return reason;
    }

    /** The reason as the lowercase word messages start with, e.g. {@code bad signature}. */
    public static String label(Reason r) {
        return r.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
