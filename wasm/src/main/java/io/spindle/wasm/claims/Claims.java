package io.spindle.wasm.claims;

import java.time.Instant;

/**
 * What a component's signature asserts.
 *
 * @param issuer    the signer's account public key ({@code A...})
 * @param subject   lowercase hex SHA-256 of the module without its {@code spindle:claims} section
 * @param name      the component's name, or null
 * @param version   its version, or null
 * @param issuedAt  when it was signed (seconds precision)
 * @param expiresAt when the signature stops being valid, or null for never
 */
public record Claims(String issuer, String subject, String name, String version, Instant issuedAt, Instant expiresAt) {
}
