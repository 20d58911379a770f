package io.spindle.wasm.claims;

import io.spindle.wasm.ModuleShape;
import io.spindle.wasm.claims.ClaimsException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/**
 * Signs modules and verifies their signatures: a claims token (see {@link ClaimsToken}) in a {@code spindle:claims}
 * custom section, whose subject is the SHA-256 of the module without that section.
 */
public final class ComponentClaims {
    /** The custom section that holds the token. */
    public static final String SECTION = ClaimsSection.NAME;

    private ComponentClaims() {
    }

    /**
     * The module signed by the account seed: any claims section replaced by a new one at the end. IllegalArgumentException
     * when module is not a module or seed is not an account seed.
     */
    public static byte[] sign(byte[] module, String seed, String name, String version, Duration expiresIn, Instant now) {
        NKeys.KeyPair issuer = NKeys.fromSeed(seed);
        if (issuer.type() != NKeys.Type.ACCOUNT)
            throw new IllegalArgumentException("the issuer seed is a " + issuer.type().name().toLowerCase(java.util.Locale.ROOT) + " key; sign with an account key (keys gen --type account)");
        if (expiresIn != null && (expiresIn.isNegative() || expiresIn.isZero()))
            throw new IllegalArgumentException("expiry must be positive, got " + expiresIn);
        byte[] unsigned = ClaimsSection.split(module).unsigned();
        Instant iat = Instant.ofEpochSecond(now.getEpochSecond());
        Claims c = new Claims(issuer.publicKey(), ModuleShape.sha256(unsigned), name, version, iat,
                expiresIn == null ? null : iat.plus(expiresIn));
        return ClaimsSection.append(unsigned, ClaimsToken.sign(c, seed).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The verified claims of a signed module, empty for a module without a claims section. ClaimsException (never
     * UNSIGNED) for anything wrong: MALFORMED, BAD_SIGNATURE, TAMPERED, EXPIRED, and UNTRUSTED when trusted is not
     * empty and does not hold the issuer.
     */
    public static Optional<Claims> verify(byte[] module, Collection<String> trusted, Instant now) {
        ClaimsSection.Split split;
        try {
            split = ClaimsSection.split(module);
        } catch (IllegalArgumentException e) {
            throw new ClaimsException(Reason.MALFORMED, e.getMessage());
        }
        if (split.payloads().isEmpty()) return Optional.empty();
        if (split.payloads().size() > 1)
            throw new ClaimsException(Reason.MALFORMED, "the module has " + split.payloads().size() + " " + SECTION + " sections, a signed module has one");
        ClaimsToken.Parsed t = ClaimsToken.parse(split.payloads().get(0));
        Claims c = t.claims();
        if (!NKeys.verify(c.issuer(), t.signingInput(), t.signature()))
            throw new ClaimsException(Reason.BAD_SIGNATURE, "the token's signature does not verify with its issuer " + c.issuer()
                    + " (the claims were changed or forged)");
        String actual = ModuleShape.sha256(split.unsigned());
        if (!actual.equals(c.subject()))
            throw new ClaimsException(Reason.TAMPERED, "the module's SHA-256 (without " + SECTION + ") is " + actual
                    + ", the claims were signed for " + c.subject() + " (the code changed after signing, or the claims come from another module)");
        if (c.expiresAt() != null && !now.isBefore(c.expiresAt()))
            throw new ClaimsException(Reason.EXPIRED, "the signature expired at " + c.expiresAt() + " (now " + now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + ")");
        if (!trusted.isEmpty() && !trusted.contains(c.issuer()))
            throw new ClaimsException(Reason.UNTRUSTED, "issuer " + c.issuer() + " is not among the " + trusted.size() + " trusted issuer(s)");
        return Optional.of(c);
    }

    /**
     * Verifies under a policy: like {@link #verify} but an unsigned module is ClaimsException UNSIGNED when
     * requireSigned. Returns the claims, or null for an unsigned module that is allowed.
     */
    public static Claims check(byte[] module, boolean requireSigned, Collection<String> trusted, Instant now) {
        Optional<Claims> c = verify(module, trusted, now);
        if (c.isEmpty() && requireSigned)
            throw new ClaimsException(Reason.UNSIGNED, "the module has no " + SECTION + " section");
        return c.orElse(null);
    }

    /** The claims of a module as written, without verifying them (for inspect); empty when unsigned or unreadable. */
    public static Optional<Claims> read(byte[] module) {
        try {
            ClaimsSection.Split s = ClaimsSection.split(module);
            return s.payloads().size() == 1 ? Optional.of(ClaimsToken.parse(s.payloads().get(0)).claims()) : Optional.empty();
        } catch (IllegalArgumentException | ClaimsException e) {
            return Optional.empty();
        }
    }

    /** An nkey public key's problem, or null when it is a valid account (issuer) key. */
    public static String checkIssuerKey(String publicKey) {
        try {
            NKeys.Type t = NKeys.typeOf(publicKey);
            return t == NKeys.Type.ACCOUNT ? null : "'" + publicKey + "' is a " + t.name().toLowerCase(java.util.Locale.ROOT) + " key, an issuer is an account key (A...)";
        } catch (IllegalArgumentException e) {
            return "'" + publicKey + "' is not an nkey public key: " + e.getMessage();
        }
    }
}
