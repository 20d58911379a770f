package io.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spindle.host.Host;
import io.spindle.lattice.transport.NatsConnectOptions;
import io.spindle.lattice.transport.NatsServerProcess;
import io.spindle.lattice.transport.NatsTransport;
import io.spindle.lattice.transport.TestPki;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lattice commands' credentials and TLS options against a nats-server that requires TLS and a password. */
class LatticeAuthCliTest {
    static final String PASSWORD = "cli-s3cret-pw";
    @TempDir
    static Path dir;
    static TestPki pki;
    static NatsServerProcess nats;
    static NatsTransport hostTransport;
    static Host host;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(NatsServerProcess.available() && TestPki.available(), "needs nats-server and openssl");
        pki = TestPki.create(dir.resolve("pki"));
        nats = NatsServerProcess.startWithConfig(dir.resolve("nats"), "tls { cert_file: \"" + pki.serverCert() + "\", key_file: \""
                + pki.serverKey() + "\" }\nauthorization { users = [ { user: ops, password: \"" + PASSWORD + "\" } ] }");
        hostTransport = NatsTransport.connect(List.of(nats.tlsUrl()), "auth-host",
                NatsConnectOptions.defaults().withUserPassword("ops", PASSWORD).withTlsCa(pki.ca()).withRequireTls(true));
        host = Host.builder(hostTransport).lattice("authtest").dataDir(dir.resolve("host")).build().start();
    }

    @AfterAll
    static void stop() {
        if (host != null) host.close();
        if (hostTransport != null) hostTransport.close();
        if (nats != null) nats.close();
    }

    private static Cli.Result run(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 4);
        all[args.length] = "--lattice";
        all[args.length + 1] = "authtest";
        all[args.length + 2] = "--timeout";
        all[args.length + 3] = "10s";
        return Cli.run(all);
    }

    @Test
    void rightCredentialsOverTls() {
        Cli.Result put = run("config", "put", "c1", "k=v", "--nats", nats.tlsUrl(), "--require-tls", "--tls-ca", pki.ca().toString(),
                "--nats-user", "ops", "--nats-password", PASSWORD);
        assertThat(put.exit()).as(put.err()).isZero();
        Cli.Result get = run("config", "get", "c1", "--json", "--nats", nats.tlsUrl(), "--tls-ca", pki.ca().toString(),
                "--nats-user", "ops", "--nats-password", PASSWORD);
        assertThat(get.out().strip()).isEqualTo("{\"k\":\"v\"}");
    }

    @Test
    void wrongPasswordFailsNamingTheReasonWithoutEchoingIt() {
        Cli.Result r = run("config", "get", "c1", "--nats", nats.tlsUrl(), "--tls-ca", pki.ca().toString(),
                "--nats-user", "ops", "--nats-password", "not-the-password");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("refused the credentials", "user 'ops'").doesNotContain("not-the-password");
    }

    @Test
    void plaintextAndUntrustedAreRefused() {
        Cli.Result plain = run("config", "get", "c1", "--nats", nats.url(), "--require-tls", "--nats-user", "ops", "--nats-password", PASSWORD);
        assertThat(plain.exit()).isEqualTo(2);
        assertThat(plain.err()).contains("--require-tls", "is plaintext");
        Cli.Result untrusted = run("config", "get", "c1", "--nats", nats.tlsUrl(), "--tls-ca", pki.otherCa().toString(),
                "--nats-user", "ops", "--nats-password", PASSWORD);
        assertThat(untrusted.exit()).isEqualTo(1);
        assertThat(untrusted.err()).contains("certificate is not trusted");
        Cli.Result noPassword = run("config", "get", "c1", "--nats", nats.tlsUrl(), "--nats-user", "ops");
        assertThat(noPassword.exit()).isEqualTo(2);
        assertThat(noPassword.err()).contains("--nats-user 'ops' has no --nats-password");
    }
}
