package io.spindle.host;

import java.time.Duration;
import java.util.Objects;

/**
 * How a host asks the lattice's policy service (see host/README.md "Policy").
 *
 * @param subject        the subject the service answers requests on
 * @param timeout        how long one request may take before the default applies
 * @param cacheTtl       how long a decision is reused for the same request content (zero: never cached)
 * @param changesSubject a message here drops every cached decision (the service publishes when its rules change)
 * @param defaultPermit  the decision when the service does not answer or answers nonsense (false: deny)
 */
public record PolicyConfig(String subject, Duration timeout, Duration cacheTtl, String changesSubject, boolean defaultPermit) {
    public PolicyConfig {
        Objects.requireNonNull(subject, "policy subject");
        if (subject.isBlank() || subject.contains(" ") || subject.contains("*") || subject.contains(">"))
            throw new IllegalArgumentException("policy subject " + LinkRules.quote(subject) + " must be a NATS subject without wildcards or spaces");
        if (timeout == null || timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("policy timeout must be positive");
        if (cacheTtl == null || cacheTtl.isNegative()) throw new IllegalArgumentException("policy cache ttl must be >= 0");
        if (changesSubject == null) changesSubject = subject + ".changes";
    }

    /** Subject S, timeout 1 s, cache 60 s, changes on {@code S.changes}, default deny. */
    public static PolicyConfig of(String subject) {
        return new PolicyConfig(subject, Duration.ofSeconds(1), Duration.ofSeconds(60), null, false);
    }
}
