package io.spindle.wasm.claims;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.NKey;
import io.spindle.wasm.ComponentRuntime;
import io.spindle.wasm.ModuleShape;
import io.spindle.wasm.claims.ClaimsException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComponentClaimsTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private static final NKeys.KeyPair ISSUER = NKeys.generate(NKeys.Type.ACCOUNT, RANDOM);

    @TempDir
    Path tmp;

    static byte[] module(String relative) throws IOException {
        String p = System.getProperty("spindle.root");
        Path root = p != null ? Path.of(p) : Path.of("..").toAbsolutePath().normalize();
        return Files.readAllBytes(root.resolve("components").resolve(relative));
    }

    private static byte[] signed(String relative) throws IOException {
        return ComponentClaims.sign(module(relative), ISSUER.seed(), "lttb", "1.2.0", Duration.ofDays(30), NOW);
    }

    private static ClaimsException refusal(byte[] module, Set<String> trusted, Instant now) {
        try {
            ComponentClaims.verify(module, trusted, now);
        } catch (ClaimsException e) {
            return e;
        }
        throw new AssertionError("the module was accepted");
    }

    // ---- nkeys ----

    @Test
    void keysMatchJnatsForAccountAndHostSeeds() throws Exception {
        for (NKey theirs : List.of(NKey.createAccount(RANDOM), NKey.createServer(RANDOM))) {
            NKeys.KeyPair ours = NKeys.fromSeed(new String(theirs.getSeed()));
            assertThat(ours.publicKey()).isEqualTo(new String(theirs.getPublicKey()));
            byte[] data = "the data".getBytes(StandardCharsets.UTF_8);
            assertThat(NKeys.verify(ours.publicKey(), data, theirs.sign(data))).isTrue();
            assertThat(theirs.verify(data, NKeys.sign(ours.seed(), data))).isTrue();
        }
        for (NKeys.Type t : List.of(NKeys.Type.ACCOUNT, NKeys.Type.HOST)) {
            NKeys.KeyPair ours = NKeys.generate(t, RANDOM);
            NKey theirs = NKey.fromSeed(ours.seed().toCharArray());
            assertThat(new String(theirs.getPublicKey())).isEqualTo(ours.publicKey());
            assertThat(theirs.getType()).isEqualTo(t == NKeys.Type.ACCOUNT ? NKey.Type.ACCOUNT : NKey.Type.SERVER);
        }
    }

    @Test
    void componentKeysUseTheModulePrefixAndRoundTrip() {
        NKeys.KeyPair k = NKeys.generate(NKeys.Type.COMPONENT, RANDOM);
        assertThat(k.seed()).startsWith("SM").hasSize(58);
        assertThat(k.publicKey()).startsWith("M").hasSize(56);
        assertThat(NKeys.fromSeed(k.seed())).isEqualTo(k);
        assertThat(NKeys.typeOf(k.publicKey())).isEqualTo(NKeys.Type.COMPONENT);
        assertThat(k.toString()).doesNotContain(k.seed());
    }

    @Test
    void damagedKeysAreRefusedByTheirChecksum() {
        String pub = ISSUER.publicKey();
        String typo = pub.substring(0, 10) + (pub.charAt(10) == 'A' ? 'B' : 'A') + pub.substring(11);
        assertThatThrownBy(() -> NKeys.typeOf(typo)).hasMessageContaining("checksum");
        assertThatThrownBy(() -> NKeys.fromSeed("SAnot-base32")).hasMessageContaining("not base32");
        assertThatThrownBy(() -> NKeys.fromSeed(pub)).hasMessageContaining("34");
        assertThat(ComponentClaims.checkIssuerKey(pub)).isNull();
        assertThat(ComponentClaims.checkIssuerKey(NKeys.generate(NKeys.Type.HOST, RANDOM).publicKey())).contains("host key");
    }

    @Test
    void seedFilesAre0600AndNeverSilentlyReplaced() throws Exception {
        Path f = tmp.resolve("keys/issuer.nk");
        SeedFiles.write(f, ISSUER.seed(), false);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        assertThat(SeedFiles.read(f)).isEqualTo(ISSUER);
        assertThatThrownBy(() -> SeedFiles.write(f, ISSUER.seed(), false)).isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
        assertThat(Files.list(f.getParent())).containsExactly(f);
        Files.writeString(f, "garbage");
        assertThatThrownBy(() -> SeedFiles.read(f)).hasMessageContaining(f.toString()).hasMessageContaining("not a valid nkey seed");
    }

    // ---- sign and verify ----

    @Test
    void aSignedModuleVerifiesLoadsAndHashesWithoutItsClaims() throws Exception {
        byte[] original = module("lttb/lttb.wasm");
        byte[] s = signed("lttb/lttb.wasm");
        Claims c = ComponentClaims.verify(s, Set.of(ISSUER.publicKey()), NOW.plusSeconds(60)).orElseThrow();
        assertThat(c).isEqualTo(new Claims(ISSUER.publicKey(), ModuleShape.sha256(original), "lttb", "1.2.0", NOW, NOW.plus(Duration.ofDays(30))));
        assertThat(ComponentClaims.verify(s, Set.of(), NOW)).contains(c);
        assertThat(ComponentClaims.read(s)).contains(c);
        assertThat(Arrays.copyOf(s, original.length)).isEqualTo(original);
        assertThat(ModuleShape.read("lttb", s).customSections()).extracting(ModuleShape.Section::name).contains(ComponentClaims.SECTION);
        assertThat(new ComponentRuntime().load("lttb", s).world().id()).isEqualTo("spindle:telemetry/processor@0.1.0");
    }

    @Test
    void resigningReplacesTheClaims() throws Exception {
        NKeys.KeyPair other = NKeys.generate(NKeys.Type.ACCOUNT, RANDOM);
        byte[] once = signed("lttb/lttb.wasm");
        byte[] twice = ComponentClaims.sign(once, other.seed(), null, null, null, NOW);
        Claims c = ComponentClaims.verify(twice, Set.of(other.publicKey()), NOW.plus(Duration.ofDays(9999))).orElseThrow();
        assertThat(c.issuer()).isEqualTo(other.publicKey());
        assertThat(c.name()).isNull();
        assertThat(c.expiresAt()).isNull();
        assertThat(c.subject()).isEqualTo(ModuleShape.sha256(module("lttb/lttb.wasm")));
        assertThat(ModuleShape.read("x", twice).customSections().stream().filter(x -> x.name().equals(ComponentClaims.SECTION))).hasSize(1);
    }

    @Test
    void signingNeedsAnAccountSeed() throws Exception {
        byte[] m = module("lttb/lttb.wasm");
        assertThatThrownBy(() -> ComponentClaims.sign(m, NKeys.generate(NKeys.Type.HOST, RANDOM).seed(), null, null, null, NOW))
                .hasMessageContaining("host key").hasMessageContaining("account");
        assertThatThrownBy(() -> ComponentClaims.sign("nope".getBytes(), ISSUER.seed(), null, null, null, NOW))
                .hasMessageContaining("not a WebAssembly module");
    }

    @Test
    void unsignedModulesHaveNoClaimsAndAreRefusedWhenSignaturesAreRequired() throws Exception {
        byte[] m = module("lttb/lttb.wasm");
        assertThat(ComponentClaims.verify(m, Set.of(ISSUER.publicKey()), NOW)).isEmpty();
        assertThat(ComponentClaims.check(m, false, Set.of(), NOW)).isNull();
        assertThatThrownBy(() -> ComponentClaims.check(m, true, Set.of(), NOW)).isInstanceOfSatisfying(ClaimsException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.UNSIGNED))
                .hasMessage("unsigned: the module has no spindle:claims section");
    }

    @Test
    void flippingOneByteOfCodeIsTampering() throws Exception {
        byte[] s = signed("lttb/lttb.wasm");
        int[] code = section(s, 10);
        s[code[0] + code[1] / 2] ^= 0x01;
        ClaimsException e = refusal(s, Set.of(), NOW);
        assertThat(e.reason()).isEqualTo(Reason.TAMPERED);
        assertThat(e.getMessage()).startsWith("tampered: the module's SHA-256 (without spindle:claims) is ")
                .contains("the claims were signed for " + ModuleShape.sha256(module("lttb/lttb.wasm")));
    }

    @Test
    void flippingOneByteOfTheSignatureOrChangingAClaimIsABadSignature() throws Exception {
        byte[] s = signed("lttb/lttb.wasm");
        String token = token(s);
        int sigAt = token.lastIndexOf('.') + 10;
        byte[] flipped = s.clone();
        int at = s.length - token.length() + sigAt;
        flipped[at] = (byte) (flipped[at] == 'A' ? 'B' : 'A');
        ClaimsException e = refusal(flipped, Set.of(), NOW);
        assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(e.getMessage()).isEqualTo("bad signature: the token's signature does not verify with its issuer " + ISSUER.publicKey()
                + " (the claims were changed or forged)");

        // a claim rewritten to valid JSON under the old signature: a longer expiry
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String longer = payload.replaceFirst("\"exp\":(\\d+)", "\"exp\":4102444800");
        assertThat(longer).isNotEqualTo(payload);
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(longer.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        byte[] f = ClaimsSection.append(ClaimsSection.split(s).unsigned(), forged.getBytes(StandardCharsets.US_ASCII));
        assertThat(refusal(f, Set.of(), NOW).reason()).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void everyOneByteFlipInTheTokenIsRefused() throws Exception {
        byte[] s = signed("passthrough/passthrough.wasm");
        int from = s.length - token(s).length();
        for (int i = from; i < s.length; i++) {
            for (int bit : new int[] {0x01, 0x20}) {
                byte[] f = s.clone();
                f[i] ^= (byte) bit;
                ClaimsException e = refusal(f, Set.of(), NOW);
                assertThat(e.reason()).as("byte %d ^ %x: %s", i - from, bit, e.getMessage()).isIn(Reason.MALFORMED, Reason.BAD_SIGNATURE);
            }
        }
    }

    @Test
    void claimsSwappedBetweenTwoSignedModulesAreTampering() throws Exception {
        byte[] a = signed("lttb/lttb.wasm"), b = signed("passthrough/passthrough.wasm");
        byte[] swapped = ClaimsSection.append(ClaimsSection.split(b).unsigned(), token(a).getBytes(StandardCharsets.US_ASCII));
        ClaimsException e = refusal(swapped, Set.of(ISSUER.publicKey()), NOW);
        assertThat(e.reason()).isEqualTo(Reason.TAMPERED);
        assertThat(e.getMessage()).contains("is " + ModuleShape.sha256(module("passthrough/passthrough.wasm")))
                .contains("signed for " + ModuleShape.sha256(module("lttb/lttb.wasm")));
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        byte[] s = ComponentClaims.sign(module("lttb/lttb.wasm"), ISSUER.seed(), "lttb", null, Duration.ofHours(1), NOW);
        assertThat(ComponentClaims.verify(s, Set.of(), NOW.plusSeconds(3599))).isPresent();
        ClaimsException e = refusal(s, Set.of(), NOW.plusSeconds(3600));
        assertThat(e.reason()).isEqualTo(Reason.EXPIRED);
        assertThat(e.getMessage()).isEqualTo("expired: the signature expired at 2026-11-29T13:00:00Z (now 2026-11-29T13:00:00Z)");
    }

    @Test
    void anUntrustedIssuerIsRefusedWhenIssuersAreTrusted() throws Exception {
        byte[] s = signed("lttb/lttb.wasm");
        String other = NKeys.generate(NKeys.Type.ACCOUNT, RANDOM).publicKey();
        ClaimsException e = refusal(s, Set.of(other), NOW);
        assertThat(e.reason()).isEqualTo(Reason.UNTRUSTED);
        assertThat(e.getMessage()).isEqualTo("untrusted: issuer " + ISSUER.publicKey() + " is not among the 1 trusted issuer(s)");
        assertThat(ComponentClaims.verify(s, Set.of(other, ISSUER.publicKey()), NOW)).isPresent();
    }

    @Test
    void malformedTokensNameTheProblem() throws Exception {
        byte[] unsigned = module("passthrough/passthrough.wasm");
        String good = token(signed("passthrough/passthrough.wasm"));
        String[] p = good.split("\\.");
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(malformed(unsigned, none + "." + p[1] + ".")).contains("alg is \"none\", only \"Ed25519\" is accepted");
        assertThat(malformed(unsigned, p[0] + "." + p[1])).contains("2 dot-separated parts, not 3");
        assertThat(malformed(unsigned, p[0] + ".!!." + p[2])).contains("payload is not base64url");
        String hostIss = Base64.getUrlEncoder().withoutPadding().encodeToString(("{\"iss\":\"" + NKeys.generate(NKeys.Type.HOST, RANDOM).publicKey()
                + "\",\"sub\":\"" + ModuleShape.sha256(unsigned) + "\",\"iat\":1}").getBytes(StandardCharsets.UTF_8));
        assertThat(malformed(unsigned, p[0] + "." + hostIss + "." + p[2])).contains("is a host key; components are issued by account keys");
        byte[] twice = ClaimsSection.append(ClaimsSection.append(unsigned, good.getBytes(StandardCharsets.US_ASCII)), good.getBytes(StandardCharsets.US_ASCII));
        assertThat(refusal(twice, Set.of(), NOW).getMessage()).isEqualTo("malformed: the module has 2 spindle:claims sections, a signed module has one");
    }

    private static String malformed(byte[] unsigned, String token) {
        ClaimsException e = refusal(ClaimsSection.append(unsigned, token.getBytes(StandardCharsets.US_ASCII)), Set.of(), NOW);
        assertThat(e.reason()).as(e.getMessage()).isEqualTo(Reason.MALFORMED);
        assertThat(e.getMessage()).startsWith("malformed: ");
        return e.getMessage();
    }

    /** The token of a signed module (its only claims section). */
    private static String token(byte[] signed) {
        return new String(ClaimsSection.split(signed).payloads().get(0), StandardCharsets.US_ASCII);
    }

    /** {offset of the payload, payload length} of the first section with id. */
    private static int[] section(byte[] b, int id) {
        int pos = 8;
        while (pos < b.length) {
            int sid = b[pos++] & 0xff;
            long len = 0;
            int shift = 0, c;
            do {
                c = b[pos++] & 0xff;
                len |= (long) (c & 0x7f) << shift;
                shift += 7;
            } while ((c & 0x80) != 0);
            if (sid == id) return new int[] {pos, (int) len};
            pos += (int) len;
        }
        throw new AssertionError("no section " + id);
    }
}
