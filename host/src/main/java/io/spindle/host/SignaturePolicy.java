package io.spindle.host;

import io.spindle.wasm.claims.ClaimsException;
import io.spindle.wasm.claims.ComponentClaims;
import java.time.Clock;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a host demands of a module's signature before it compiles it (the checks are {@link ComponentClaims}'s): a
 * signed module is always verified in full (signature, hash, expiry, and the issuer when issuers are trusted);
 * an unsigned one is refused only when signatures are required. Counts refusals by reason.
 */
final class SignaturePolicy {
    private final boolean requireSigned;
    private final Set<String> trusted;
    private final Clock clock;
    private final Map<ClaimsException.Reason, AtomicLong> refused = new EnumMap<>(ClaimsException.Reason.class);

    SignaturePolicy(boolean requireSigned, Set<String> trusted, Clock clock) {
        this.requireSigned = requireSigned;
        this.trusted = Set.copyOf(new LinkedHashSet<>(trusted));
        this.clock = clock;
        for (ClaimsException.Reason r : ClaimsException.Reason.values()) refused.put(r, new AtomicLong());
    }

    /** Null when the module may run, else why not ("signature refused: tampered: ..."). */
    String refusal(String componentId, byte[] module) {
        try {
            ComponentClaims.check(module, requireSigned, trusted, clock.instant());
            return null;
        } catch (ClaimsException e) {
            refused.get(e.reason()).incrementAndGet();
            return "component '" + componentId + "' refused before compilation, its signature is not acceptable: " + e.getMessage()
                    + (e.reason() == ClaimsException.Reason.UNSIGNED ? " (this host requires signed components)" : "");
        }
    }

    /** Refusals so far by reason (lowercase, e.g. "bad_signature"), every reason present. */
    Map<String, Long> refusals() {
        Map<String, Long> m = new TreeMap<>();
        refused.forEach((r, n) -> m.put(r.name().toLowerCase(java.util.Locale.ROOT), n.get()));
        return m;
    }
}
