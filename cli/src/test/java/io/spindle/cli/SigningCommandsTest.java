package io.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spindle.wasm.ModuleShape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keys gen, component sign, verify and inspect's claims: files, output and exit codes. */
class SigningCommandsTest {
    @TempDir
    Path tmp;

    private static Path lttb() {
        return Cli.root().resolve("components/lttb/lttb.wasm");
    }

    /** A new account key in tmp: its public key. */
    private String account(String file) {
        Cli.Result r = Cli.run("keys", "gen", "--type", "account", "--out", tmp.resolve(file).toString());
        assertThat(r.exit()).as(r.err()).isZero();
        return r.out().strip();
    }

    @Test
    void keysGenWritesTheSeed0600AndPrintsThePublicKey() throws Exception {
        String pub = account("issuer.nk");
        Path seed = tmp.resolve("issuer.nk");
        assertThat(pub).matches("A[A-Z2-7]{55}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(seed))).isEqualTo("rw-------");
        assertThat(Files.readString(seed).strip()).matches("SA[A-Z2-7]{56}");
        assertThat(Files.list(tmp)).containsExactly(seed); // no temporary file left behind

        Cli.Result again = Cli.run("keys", "gen", "--type", "account", "--out", seed.toString());
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).isEqualTo("spindle: " + seed + ": already exists (a key file is never replaced silently; --force replaces it)\n");
        assertThat(Files.readString(seed).strip()).startsWith("SA");

        Cli.Result stdout = Cli.run("keys", "gen", "--type", "component");
        assertThat(stdout.exit()).isZero();
        assertThat(stdout.out().split("\n")).hasSize(2).satisfies(l -> {
            assertThat(l[0]).matches("M[A-Z2-7]{55}");
            assertThat(l[1]).matches("SM[A-Z2-7]{56}");
        });
        assertThat(stdout.err()).contains("warning: the seed (the private key) is printed on stdout");

        Cli.Result json = Cli.run("keys", "gen", "--type", "host", "--out", tmp.resolve("host.nk").toString(), "--json");
        Map<String, Object> j = JsonParse.object(json.out());
        assertThat(j).containsOnlyKeys("type", "public_key", "seed_file").containsEntry("type", "host");
        assertThat((String) j.get("public_key")).startsWith("N");
        assertThat(Cli.run("keys", "gen", "--type", "operator").exit()).isEqualTo(2);
    }

    @Test
    void signThenVerifyAndInspect() throws Exception {
        String pub = account("issuer.nk");
        Path signed = tmp.resolve("lttb.wasm");
        Cli.Result s = Cli.run("component", "sign", lttb().toString(), "--issuer", tmp.resolve("issuer.nk").toString(),
                "--version", "1.2.0", "--expires", "30d", "--out", signed.toString());
        assertThat(s.exit()).as(s.err()).isZero();
        String hash = ModuleShape.sha256(Files.readAllBytes(lttb()));
        assertThat(s.out()).contains("signature  valid\n").contains("issuer     " + pub + "\n").contains("subject    " + hash)
                .contains("name       lttb\n").contains("version    1.2.0\n");

        Cli.Result v = Cli.run("component", "verify", signed.toString(), "--trusted-issuer", pub, "--json");
        assertThat(v.exit()).as(v.err()).isZero();
        Map<String, Object> j = JsonParse.object(v.out());
        assertThat(j).containsEntry("valid", true).containsEntry("status", "valid").containsEntry("issuer", pub)
                .containsEntry("subject", hash).containsEntry("name", "lttb").containsEntry("version", "1.2.0").containsEntry("error", null);
        assertThat((String) j.get("expires_at")).isNotNull();

        Map<String, Object> inspect = JsonParse.object(Cli.run("component", "inspect", signed.toString(), "--json").out());
        @SuppressWarnings("unchecked")
        Map<String, Object> claims = (Map<String, Object>) inspect.get("claims");
        assertThat(claims).containsEntry("status", "valid").containsEntry("issuer", pub);
        assertThat(Cli.run("component", "inspect", signed.toString()).out()).contains("\nsignature        valid\nissuer           " + pub + "\n");
        assertThat(JsonParse.object(Cli.run("component", "inspect", lttb().toString(), "--json").out())).containsEntry("claims", null);

        assertThat(Files.getPosixFilePermissions(signed)).isEqualTo(Files.getPosixFilePermissions(lttb()));
        // re-signing in place replaces the claims
        String other = account("other.nk");
        assertThat(Cli.run("component", "sign", signed.toString(), "--issuer", tmp.resolve("other.nk").toString()).exit()).isZero();
        assertThat(JsonParse.object(Cli.run("component", "verify", signed.toString(), "--json").out())).containsEntry("issuer", other)
                .containsEntry("version", null).containsEntry("expires_at", null);
    }

    @Test
    void verifyExitsOneNamingTheReason() throws Exception {
        String pub = account("issuer.nk");
        Path signed = tmp.resolve("lttb.wasm");
        assertThat(Cli.run("component", "sign", lttb().toString(), "--issuer", tmp.resolve("issuer.nk").toString(), "--out", signed.toString()).exit()).isZero();

        Cli.Result unsigned = Cli.run("component", "verify", lttb().toString());
        assertThat(unsigned.exit()).isEqualTo(1);
        assertThat(unsigned.err()).isEqualTo("spindle: " + lttb() + ": unsigned: the module has no spindle:claims section\n");

        byte[] b = Files.readAllBytes(signed);
        b[b.length / 3] ^= 1;
        Path tampered = tmp.resolve("tampered.wasm");
        Files.write(tampered, b);
        Cli.Result t = Cli.run("component", "verify", tampered.toString(), "--json");
        assertThat(t.exit()).isEqualTo(1);
        assertThat(JsonParse.object(t.out())).containsEntry("valid", false).containsEntry("status", "tampered").containsEntry("issuer", pub);
        assertThat(t.err()).startsWith("spindle: " + tampered + ": tampered: the module's SHA-256 (without spindle:claims) is ");

        String stranger = account("stranger.nk");
        Cli.Result u = Cli.run("component", "verify", signed.toString(), "--trusted-issuer", stranger);
        assertThat(u.exit()).isEqualTo(1);
        assertThat(u.err()).isEqualTo("spindle: " + signed + ": untrusted: issuer " + pub + " is not among the 1 trusted issuer(s)\n");
        assertThat(Cli.run("component", "verify", signed.toString(), "--trusted-issuer", stranger, "--trusted-issuer", pub).exit()).isZero();

        Cli.Result badKey = Cli.run("component", "verify", signed.toString(), "--trusted-issuer", "NOPE");
        assertThat(badKey.exit()).isEqualTo(2);
        assertThat(badKey.err()).contains("--trusted-issuer 'NOPE' is not an nkey public key");
    }

    @Test
    void hostRefusesATrustedIssuerThatIsNoAccountKeyBeforeConnecting() {
        Cli.Result r = Cli.run("host", "--require-signed", "--trusted-issuer", "NOPE", "--nats", "nats://127.0.0.1:1", "--data-dir", tmp.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("spindle: host: --trusted-issuer 'NOPE' is not an nkey public key");
    }

    @Test
    void signRefusesNonAccountKeysAndBadInput() throws Exception {
        Path hostKey = tmp.resolve("host.nk");
        assertThat(Cli.run("keys", "gen", "--type", "host", "--out", hostKey.toString()).exit()).isZero();
        Cli.Result r = Cli.run("component", "sign", lttb().toString(), "--issuer", hostKey.toString(), "--out", tmp.resolve("x.wasm").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("spindle: " + hostKey + ": holds a host key; components are signed with an account key (spindle keys gen --type account)\n");
        Path junk = tmp.resolve("junk.wasm");
        Files.writeString(junk, "not wasm");
        account("issuer.nk");
        Cli.Result j = Cli.run("component", "sign", junk.toString(), "--issuer", tmp.resolve("issuer.nk").toString());
        assertThat(j.exit()).isEqualTo(1);
        assertThat(j.err()).startsWith("spindle: " + junk + ": cannot sign: component 'junk' load: not a valid WebAssembly module");
        assertThat(Files.readString(junk)).isEqualTo("not wasm");
        assertThat(JsonParse.object(Cli.run("component", "inspect", junk.toString(), "--json").out())).containsEntry("claims", null);
        assertThat(Cli.run("component", "sign", lttb().toString(), "--issuer", tmp.resolve("nope.nk").toString()).err())
                .isEqualTo("spindle: --issuer: " + tmp.resolve("nope.nk") + ": no such key file\n");
        assertThat(Cli.run("component", "sign", lttb().toString(), "--issuer", tmp.resolve("issuer.nk").toString(), "--expires", "0s").exit()).isEqualTo(2);
        assertThat(Files.list(tmp)).allMatch(p -> !p.getFileName().toString().endsWith(".tmp"));
    }
}
