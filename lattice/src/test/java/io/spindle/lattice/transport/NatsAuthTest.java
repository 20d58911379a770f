package io.spindle.lattice.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.NKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real nats-servers with a PKI generated at test time: TLS required with user/password, mutual TLS with nkey users,
 * and a plaintext one. Right credentials work (KV put, request/reply); wrong ones fail naming the reason.
 */
class NatsAuthTest {
    @TempDir
    static Path dir;
    static TestPki pki;
    static NatsServerProcess tlsUsers, mtlsNkeys, plain;
    static Path goodSeed, wrongSeed;

    @BeforeAll
    static void servers() throws Exception {
        Assumptions.assumeTrue(NatsServerProcess.available(), "nats-server is not installed (Debian package nats-server)");
        Assumptions.assumeTrue(TestPki.available(), "openssl is not installed (needed to generate the test certificates)");
        pki = TestPki.create(dir.resolve("pki"));
        String tls = "tls { cert_file: \"" + pki.serverCert() + "\", key_file: \"" + pki.serverKey() + "\", ca_file: \"" + pki.ca() + "\"";
        tlsUsers = NatsServerProcess.startWithConfig(dir.resolve("tls-users"),
                tls + ", timeout: 2 }\nauthorization { users = [ { user: alice, password: \"s3cret-pw\" } ] }");
        NKey user = NKey.createUser(null);
        goodSeed = Files.writeString(dir.resolve("good.nk"), new String(user.getSeed()) + "\n");
        wrongSeed = Files.writeString(dir.resolve("wrong.nk"), new String(NKey.createUser(null).getSeed()) + "\n");
        mtlsNkeys = NatsServerProcess.startWithConfig(dir.resolve("mtls-nkeys"),
                tls + ", verify: true, timeout: 2 }\nauthorization { users = [ { nkey: " + new String(user.getPublicKey()) + " } ] }");
        plain = NatsServerProcess.start(dir.resolve("plain"));
    }

    @AfterAll
    static void stop() {
        for (NatsServerProcess s : new NatsServerProcess[] {tlsUsers, mtlsNkeys, plain}) if (s != null) s.close();
    }

    private static NatsConnectOptions opts() {
        return NatsConnectOptions.defaults().withConnectTimeout(Duration.ofMillis(1500));
    }

    private static void works(String url, NatsConnectOptions o) throws Exception {
        try (NatsTransport t = NatsTransport.connect(List.of(url), "auth-test", o)) {
            assertThat(t.keyValue("AUTH").put("k", "v".getBytes(StandardCharsets.UTF_8))).isPositive();
            assertThat(new String(t.keyValue("AUTH").get("k").orElseThrow().value(), StandardCharsets.UTF_8)).isEqualTo("v");
            t.subscribe("auth.echo", null, m -> t.publish(m.replyTo(), ("re:" + new String(m.data(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)));
            t.flush(Duration.ofSeconds(2));
            Msg reply = t.request("auth.echo", "hi".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(2)).get();
            assertThat(new String(reply.data(), StandardCharsets.UTF_8)).isEqualTo("re:hi");
            assertThat(t.connection().getServerInfo().isTLSRequired()).isTrue();
        }
    }

    private static String failure(String url, NatsConnectOptions o) {
        Throwable[] caught = new Throwable[1];
        try (NatsTransport t = NatsTransport.connect(List.of(url), "auth-test", o)) {
            throw new AssertionError("connected to " + url + " with " + o);
        } catch (TransportException | IllegalArgumentException e) {
            caught[0] = e;
        }
        return caught[0].getMessage();
    }

    @Test
    void userPasswordOverTls() throws Exception {
        works(tlsUsers.tlsUrl(), opts().withUserPassword("alice", "s3cret-pw").withTlsCa(pki.ca()).withRequireTls(true));
        // a nats:// URL with TLS options is upgraded too: the SSLContext makes jnats insist on TLS
        works(tlsUsers.url(), opts().withUserPassword("alice", "s3cret-pw").withTlsCa(pki.ca()));
    }

    @Test
    void wrongPasswordIsRefusedNamingTheCredentials() {
        assertThat(failure(tlsUsers.tlsUrl(), opts().withUserPassword("alice", "nope").withTlsCa(pki.ca())))
                .contains("refused the credentials", "user 'alice'", "Authorization Violation").doesNotContain("nope");
        assertThat(failure(tlsUsers.tlsUrl(), opts().withTlsCa(pki.ca()))).contains("refused the credentials", "no credentials");
    }

    @Test
    void untrustedCaIsRefused() {
        assertThat(failure(tlsUsers.tlsUrl(), opts().withUserPassword("alice", "s3cret-pw").withTlsCa(pki.otherCa())))
                .contains("certificate is not trusted", pki.otherCa().toString());
        // and the JDK's own trust store does not know the test CA either
        assertThat(failure(tlsUsers.tlsUrl(), opts().withUserPassword("alice", "s3cret-pw")))
                .contains("certificate is not trusted", "JDK's trust store");
    }

    @Test
    void plaintextClientToTlsServerIsRefused() {
        assertThat(failure(tlsUsers.url(), opts().withUserPassword("alice", "s3cret-pw"))).contains("server requires TLS");
    }

    @Test
    void nkeyWithMutualTls() throws Exception {
        works(mtlsNkeys.tlsUrl(), opts().withNkeySeedFile(goodSeed).withTlsCa(pki.ca()).withClientCert(pki.clientCert(), pki.clientKey()));
        assertThat(failure(mtlsNkeys.tlsUrl(), opts().withNkeySeedFile(wrongSeed).withTlsCa(pki.ca()).withClientCert(pki.clientCert(), pki.clientKey())))
                .contains("refused the credentials", "nkey seed " + wrongSeed);
    }

    @Test
    void mutualTlsWithoutClientCertIsRefused() {
        assertThat(failure(mtlsNkeys.tlsUrl(), opts().withNkeySeedFile(goodSeed).withTlsCa(pki.ca()))).contains("client certificate", "none given");
    }

    @Test
    void requireTlsRefusesPlaintext() {
        assertThat(failure(plain.url(), opts().withRequireTls(true))).contains("TLS is required", "is plaintext", plain.url());
        assertThat(failure(plain.tlsUrl(), opts().withRequireTls(true))).contains("does not offer TLS");
        assertThat(failure(plain.url(), opts().withTlsCa(pki.ca()))).contains("does not offer TLS");
    }

    @Test
    void badOptionsNameTheInput() throws Exception {
        assertThatThrownBy(() -> opts().withUserPassword("alice", null)).hasMessageContaining("user 'alice' has no password");
        assertThatThrownBy(() -> opts().withUserPassword("alice", "x").withNkeySeedFile(goodSeed)).hasMessageContaining("one NATS identity");
        assertThatThrownBy(() -> opts().withClientCert(pki.clientCert(), null)).hasMessageContaining("has no key file");
        assertThat(failure(tlsUsers.tlsUrl(), opts().withTlsCa(dir.resolve("missing.pem")))).contains("missing.pem", "does not exist");
        Path notSeed = Files.writeString(dir.resolve("bad.nk"), "hello\n");
        assertThat(failure(tlsUsers.tlsUrl(), opts().withNkeySeedFile(notSeed))).contains("bad.nk", "no user seed");
        Path rsa1 = Files.writeString(dir.resolve("pkcs1.key"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        assertThat(failure(tlsUsers.tlsUrl(), opts().withTlsCa(pki.ca()).withClientCert(pki.clientCert(), rsa1))).contains("pkcs1.key", "PKCS#8");
        assertThat(opts().withUserPassword("alice", "s3cret-pw").toString()).doesNotContain("s3cret-pw");
    }
}
