package io.spindle.wasm.claims;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.wasm.claims.ClaimsException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The claims token: {@code base64url(header).base64url(payload).base64url(signature)} without padding, like a compact
 * JWS/JWT (wasmCloud's embedded claims). Header {@code {"typ":"JWT","alg":"Ed25519"}}; payload {@code {"iss","sub",
 * "name","version","iat","exp"}} (times in epoch seconds, name/version/exp optional); the signature is the issuer's
 * Ed25519 signature of the ASCII {@code header.payload}.
 */
final class ClaimsToken {
    static final int MAX_BYTES = 16 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern B64URL = Pattern.compile("[A-Za-z0-9_-]*");
    private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DEC = Base64.getUrlDecoder();

    /** A token as read: its claims, the signed text and the signature (not yet verified). */
    record Parsed(Claims claims, byte[] signingInput, byte[] signature) {
    }

    private ClaimsToken() {
    }

    /** The token of claims, signed with seed (whose public key must be claims.issuer()). */
    static String sign(Claims c, String seed) {
        ObjectNode header = JSON.createObjectNode().put("typ", "JWT").put("alg", "Ed25519");
        ObjectNode payload = JSON.createObjectNode().put("iss", c.issuer()).put("sub", c.subject());
        if (c.name() != null) payload.put("name", c.name());
        if (c.version() != null) payload.put("version", c.version());
        payload.put("iat", c.issuedAt().getEpochSecond());
        if (c.expiresAt() != null) payload.put("exp", c.expiresAt().getEpochSecond());
        String input = ENC.encodeToString(bytes(header)) + "." + ENC.encodeToString(bytes(payload));
        return input + "." + ENC.encodeToString(NKeys.sign(seed, input.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Reads a token; ClaimsException MALFORMED naming the first problem. Does not verify the signature. */
    static Parsed parse(byte[] token) {
        if (token.length > MAX_BYTES) throw malformed("the token is " + token.length + " bytes, over " + MAX_BYTES);
        String t = new String(token, StandardCharsets.US_ASCII);
        String[] parts = t.split("\\.", -1);
        if (parts.length != 3) throw malformed("the token has " + parts.length + " dot-separated parts, not 3 (header.payload.signature)");
        String[] names = {"header", "payload", "signature"};
        byte[][] raw = new byte[3][];
        for (int i = 0; i < 3; i++) {
            if (!B64URL.matcher(parts[i]).matches()) throw malformed("the token's " + names[i] + " is not base64url");
            try {
                raw[i] = DEC.decode(parts[i]);
            } catch (IllegalArgumentException e) {
                throw malformed("the token's " + names[i] + " is not base64url: " + e.getMessage());
            }
        }
        JsonNode header = object(raw[0], "header");
        if (!"Ed25519".equals(text(header, "alg", "header", true)))
            throw malformed("the header's alg is " + header.get("alg") + ", only \"Ed25519\" is accepted");
        JsonNode p = object(raw[1], "payload");
        String iss = text(p, "iss", "payload", true);
        try {
            if (NKeys.typeOf(iss) != NKeys.Type.ACCOUNT)
                throw malformed("iss " + iss + " is a " + NKeys.typeOf(iss).name().toLowerCase(java.util.Locale.ROOT) + " key; components are issued by account keys (A...)");
        } catch (IllegalArgumentException e) {
            throw malformed("iss is not an nkey public key: " + e.getMessage());
        }
        String sub = text(p, "sub", "payload", true);
        if (!HEX64.matcher(sub).matches()) throw malformed("sub must be the module's SHA-256 as 64 lowercase hex digits, got \"" + clip(sub) + "\"");
        Instant iat = seconds(p, "iat", true);
        Instant exp = seconds(p, "exp", false);
        if (raw[2].length != 64) throw malformed("the signature has " + raw[2].length + " bytes, an Ed25519 signature has 64");
        Claims c = new Claims(iss, sub, text(p, "name", "payload", false), text(p, "version", "payload", false), iat, exp);
        return new Parsed(c, (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII), raw[2]);
    }

    private static JsonNode object(byte[] json, String what) {
        try {
            JsonNode n = JSON.readTree(json);
            if (n == null || !n.isObject()) throw malformed("the token's " + what + " is not a JSON object");
            return n;
        } catch (JsonProcessingException e) {
            throw malformed("the token's " + what + " is not JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw malformed("the token's " + what + " cannot be read: " + e.getMessage());
        }
    }

    private static String text(JsonNode o, String field, String where, boolean required) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            if (required) throw malformed("the " + where + " has no " + field);
            return null;
        }
        if (!v.isTextual()) throw malformed(field + " must be a string, got " + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        return v.textValue();
    }

    private static Instant seconds(JsonNode o, String field, boolean required) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            if (required) throw malformed("the payload has no " + field);
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0 || v.longValue() > 253402300799L)
            throw malformed(field + " must be whole epoch seconds between 0 and 9999-12-31, got " + clip(v.toString()));
        return Instant.ofEpochSecond(v.longValue());
    }

    private static byte[] bytes(ObjectNode n) {
        try {
            return JSON.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String clip(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    private static ClaimsException malformed(String detail) {
        return new ClaimsException(Reason.MALFORMED, detail);
    }
}
