package io.spindle.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spindle.lattice.CloudEvent;
import io.spindle.lattice.CtlException;
import io.spindle.lattice.transport.InProcessTransport;
import io.spindle.wasm.ComponentRuntime;
import io.spindle.wasm.ModuleShape;
import io.spindle.wasm.claims.ComponentClaims;
import io.spindle.wasm.claims.NKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hosts that require signed components (in-process transport): what they refuse, with which reason in the control
 * reply and the component_scale_failed event, that they refuse before compiling, and that a signed lttb.wasm runs.
 */
class SignedComponentsTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String REFUSED = "component.start: component '%s' refused before compilation, its signature is not acceptable: ";
    final InProcessTransport transport = new InProcessTransport();
    final TestLattice lat = new TestLattice(transport, "sig");
    final NKeys.KeyPair issuer = NKeys.generate(NKeys.Type.ACCOUNT, RANDOM);

    @TempDir
    Path tmp;

    @AfterEach
    void close() {
        lat.close();
        transport.close();
    }

    private Path write(String name, byte[] module) throws Exception {
        Path f = tmp.resolve(name + ".wasm");
        Files.write(f, module);
        return f;
    }

    private static byte[] lttb() throws Exception {
        return Files.readAllBytes(Path.of(TestLattice.lttb()));
    }

    private byte[] signed(NKeys.KeyPair by, Instant at, Duration expires) throws Exception {
        return ComponentClaims.sign(lttb(), by.seed(), "lttb", "1.0.0", expires, at);
    }

    /** The refusal of starting module as id: the reply's message, and the same reason in component_scale_failed. */
    private String refused(Host h, String id, byte[] module) throws Exception {
        Path f = write(id, module);
        String msg;
        try {
            lat.client.startComponent(h.id(), f.toString(), id, null, null);
            throw new AssertionError(id + " started");
        } catch (CtlException e) {
            msg = e.getMessage();
        }
        assertThat(msg).startsWith(REFUSED.formatted(id));
        CloudEvent ev = lat.awaitEvent("component_scale_failed", e -> e.data().path("component_id").asText().equals(id));
        assertThat(ev.source()).isEqualTo(h.id());
        assertThat("component.start: " + ev.data().path("error").asText()).isEqualTo(msg);
        assertThat(ev.data().path("image_ref").asText()).isEqualTo(f.toString());
        assertThat(h.inventory().components()).noneMatch(c -> c.id().equals(id));
        return msg.substring(REFUSED.formatted(id).length());
    }

    @Test
    void aHostThatRequiresSignaturesRefusesEachBadModuleWithItsReasonAndRunsASignedOne() throws Exception {
        ComponentRuntime runtime = new ComponentRuntime();
        Host h = lat.add(lat.builder("strict").runtime(runtime).requireSigned(true).trustedIssuer(issuer.publicKey()).build().start());
        Instant now = Instant.now();
        String hash = ModuleShape.sha256(lttb());

        assertThat(refused(h, "unsigned", lttb()))
                .isEqualTo("unsigned: the module has no spindle:claims section (this host requires signed components)");

        byte[] tampered = signed(issuer, now, null);
        tampered[tampered.length / 3] ^= 0x01; // inside the code section, far from the claims at the end
        assertThat(refused(h, "tampered", tampered)).startsWith("tampered: the module's SHA-256 (without spindle:claims) is ")
                .contains("signed for " + hash);

        byte[] badClaims = signed(issuer, now, null);
        badClaims[badClaims.length - 5] = (byte) (badClaims[badClaims.length - 5] == 'A' ? 'B' : 'A'); // in the signature
        assertThat(refused(h, "badsig", badClaims)).startsWith("bad signature: the token's signature does not verify with its issuer " + issuer.publicKey());

        assertThat(refused(h, "expired", signed(issuer, now.minus(Duration.ofHours(2)), Duration.ofHours(1))))
                .startsWith("expired: the signature expired at ");

        NKeys.KeyPair stranger = NKeys.generate(NKeys.Type.ACCOUNT, RANDOM);
        assertThat(refused(h, "untrusted", signed(stranger, now, null)))
                .isEqualTo("untrusted: issuer " + stranger.publicKey() + " is not among the 1 trusted issuer(s)");

        assertThat(runtime.cacheStats()[2]).as("nothing was compiled").isZero();
        assertThat(h.signatureRefusals()).containsEntry("unsigned", 1L).containsEntry("tampered", 1L).containsEntry("bad_signature", 1L)
                .containsEntry("expired", 1L).containsEntry("untrusted", 1L).containsEntry("malformed", 0L);

        Path ok = write("lttb-signed", signed(issuer, now, Duration.ofDays(1)));
        var started = lat.client.startComponent(h.id(), ok.toString(), "lttb", null, null);
        assertThat(started.id()).isEqualTo("lttb");
        assertThat(h.inventory().components()).extracting(c -> c.id()).containsExactly("lttb");
        lat.awaitEvent("component_scaled", e -> e.data().path("component_id").asText().equals("lttb"));
        // stored by digest, a second host starts it from the bucket and verifies it again
        Host h2 = lat.add(lat.builder("strict2").runtime(runtime).requireSigned(true).trustedIssuer(issuer.publicKey()).build().start());
        String digest = "sha256-" + ModuleShape.sha256(Files.readAllBytes(ok));
        assertThat(lat.client.startComponent(h2.id(), digest, "lttb", null, null).id()).isEqualTo("lttb");
    }

    @Test
    void withoutRequireSignedUnsignedModulesRunButABadSignatureIsStillRefused() throws Exception {
        Host h = lat.host("lenient", Map.of());
        byte[] tampered = signed(issuer, Instant.now(), null);
        tampered[tampered.length / 3] ^= 0x01;
        assertThat(refused(h, "tampered", tampered)).startsWith("tampered: ");
        assertThat(lat.client.startComponent(h.id(), TestLattice.lttb(), "plain", null, null).id()).isEqualTo("plain");
        assertThat(h.signatureRefusals()).containsEntry("tampered", 1L).containsEntry("unsigned", 0L);
    }

    @Test
    void aTrustedIssuerMustBeAnAccountKey() {
        String hostKey = NKeys.generate(NKeys.Type.HOST, RANDOM).publicKey();
        assertThatThrownBy(() -> lat.builder("x").trustedIssuer(hostKey)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trusted issuer '" + hostKey + "' is a host key, an issuer is an account key (A...)");
        assertThatThrownBy(() -> lat.builder("x").trustedIssuer("nonsense")).hasMessageContaining("is not an nkey public key");
    }
}
