package io.spindle.lattice.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.NKey;
import io.nats.client.support.JwtUtils;
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
 * JWT creds files against a nats-server in operator mode (operator, account with JetStream, user: all generated here
 * with jnats's JwtUtils, as nsc would): the user's creds work; creds of an account the server does not know fail.
 */
class NatsJwtTest {
    @TempDir
    static Path dir;
    static NatsServerProcess server;
    static Path goodCreds, strangerCreds;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(NatsServerProcess.available(), "nats-server is not installed (Debian package nats-server)");
        NKey operator = NKey.createOperator(null), account = NKey.createAccount(null), stranger = NKey.createAccount(null);
        String opPub = new String(operator.getPublicKey()), accPub = new String(account.getPublicKey());
        String opJwt = JwtUtils.issueJWT(operator, opPub, "spindle-test-op", null, JwtUtils.currentTimeSeconds(), opPub, null,
                () -> "{\"type\":\"operator\",\"version\":2}");
        String accJwt = JwtUtils.issueJWT(operator, accPub, "spindle-test-acc", null, JwtUtils.currentTimeSeconds(), opPub, null,
                () -> "{\"type\":\"account\",\"version\":2,\"limits\":{\"subs\":-1,\"data\":-1,\"payload\":-1,\"imports\":-1,"
                        + "\"exports\":-1,\"wildcards\":true,\"conn\":-1,\"leaf\":-1,\"mem_storage\":-1,\"disk_storage\":-1,"
                        + "\"streams\":-1,\"consumer\":-1}}");
        // JetStream in operator mode needs a system account
        NKey sys = NKey.createAccount(null);
        String sysPub = new String(sys.getPublicKey());
        String sysJwt = JwtUtils.issueJWT(operator, sysPub, "SYS", null, JwtUtils.currentTimeSeconds(), opPub, null,
                () -> "{\"type\":\"account\",\"version\":2}");
        goodCreds = creds("good.creds", account, accPub);
        strangerCreds = creds("stranger.creds", stranger, new String(stranger.getPublicKey()));
        server = NatsServerProcess.startWithConfig(dir.resolve("nats"), "operator: \"" + opJwt + "\"\nresolver: MEMORY\n"
                + "system_account: " + sysPub + "\nresolver_preload: { " + accPub + ": \"" + accJwt + "\", " + sysPub + ": \"" + sysJwt + "\" }");
    }

    private static Path creds(String name, NKey account, String accPub) throws Exception {
        NKey user = NKey.createUser(null);
        String jwt = JwtUtils.issueUserJWT(account, accPub, new String(user.getPublicKey()));
        return Files.writeString(dir.resolve(name), String.format(JwtUtils.NATS_USER_JWT_FORMAT, jwt, new String(user.getSeed())));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void credsFileConnectsAndUsesJetStream() throws Exception {
        try (NatsTransport t = NatsTransport.connect(List.of(server.url()), "jwt-test",
                NatsConnectOptions.defaults().withCredsFile(goodCreds))) {
            assertThat(t.keyValue("JWT").put("k", "v".getBytes(StandardCharsets.UTF_8))).isPositive();
            t.subscribe("jwt.echo", null, m -> t.publish(m.replyTo(), m.data()));
            t.flush(Duration.ofSeconds(2));
            assertThat(new String(t.request("jwt.echo", "hi".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(2)).get().data(),
                    StandardCharsets.UTF_8)).isEqualTo("hi");
        }
    }

    @Test
    void credsOfAnUnknownAccountAreRefused() {
        assertThatThrownBy(() -> NatsTransport.connect(List.of(server.url()), "jwt-test",
                NatsConnectOptions.defaults().withConnectTimeout(Duration.ofMillis(1500)).withCredsFile(strangerCreds)).close())
                .isInstanceOf(TransportException.class).hasMessageContaining("refused the credentials").hasMessageContaining("stranger.creds");
        assertThatThrownBy(() -> NatsTransport.connect(List.of(server.url()), "jwt-test",
                NatsConnectOptions.defaults().withCredsFile(dir.resolve("none.creds"))).close())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("none.creds");
    }
}
