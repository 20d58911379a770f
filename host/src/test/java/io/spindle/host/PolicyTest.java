package io.spindle.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.lattice.CloudEvent;
import io.spindle.lattice.CtlException;
import io.spindle.lattice.Json;
import io.spindle.lattice.Link;
import io.spindle.lattice.transport.NatsServerProcess;
import io.spindle.lattice.transport.NatsTransport;
import io.spindle.lattice.transport.Transport;
import io.spindle.policy.PolicyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hosts asking the policy service ({@code spindle policy serve}'s {@link PolicyServer}) over a real nats-server:
 * denied component and provider starts (reply and event), a denied link (stored, not applied, event with phase
 * policy), no service or a silent one (the default: deny, or allow when configured), a malformed answer, and the
 * cache dropped when the rules file changes.
 */
class PolicyTest {
    static final String RULES = """
            default: deny
            rules:
              - {effect: deny, message: "untrusted-* may not run here", match: {kind: start_component, component: "untrusted-*"}}
              - {effect: allow, match: {kind: start_component, host_labels: {zone: edge}}}
              - {effect: deny, message: no key-value stores, match: {kind: start_provider, provider: "spindle:keyvalue"}}
              - {effect: allow, match: {kind: start_provider}}
              - {effect: deny, message: nothing feeds quarantined components, match: {kind: apply_link, component: "quarantine-*"}}
              - {effect: allow, match: {kind: apply_link, link: {namespace: spindle, interfaces: processor}}}
            """;

    @TempDir
    static Path dir;
    static NatsServerProcess server;
    final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        Assumptions.assumeTrue(NatsServerProcess.available(), "nats-server is not installed (Debian package nats-server)");
        server = NatsServerProcess.start(dir);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) server.close();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing.reversed()) c.close();
    }

    <T extends AutoCloseable> T closing(T c) {
        closing.add(c);
        return c;
    }

    Transport connect(String name) {
        return closing(NatsTransport.connect(server.url(), name));
    }

    TestLattice lattice(String name) {
        return closing(new TestLattice(connect("client"), name));
    }

    Host host(TestLattice lat, String name, PolicyConfig policy) {
        return lat.add(lat.builder(name, connect(name)).label("zone", "edge").policy(policy).build().start());
    }

    PolicyServer serve(TestLattice lat, Path rules, String subject) throws Exception {
        return closing(PolicyServer.start(connect("policy"), rules, subject, null, Duration.ofMillis(50)));
    }

    static Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    /** Rewrites a file as editors and deploy tools should: a whole new file moved over the old one. */
    static void replace(Path file, String text) throws Exception {
        Path tmp = Files.writeString(file.resolveSibling(file.getFileName() + ".tmp"), text);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    static String error(CloudEvent e) {
        return e.data().path("error").asText();
    }

    @Test
    void deniedStartsAndLinksAreRefusedWithThePolicysMessage() throws Exception {
        TestLattice lat = lattice("pol1");
        PolicyServer ps = serve(lat, write("deny.yaml", RULES), "spindle.policy.pol1");
        Host h = host(lat, "edge-1", PolicyConfig.of("spindle.policy.pol1"));

        assertThatThrownBy(() -> lat.client.startComponent(h.id(), TestLattice.lttb(), "untrusted-1", null, null))
                .isInstanceOf(CtlException.class).hasMessage("component.start: denied by policy: untrusted-* may not run here");
        CloudEvent failed = lat.awaitEvent("component_scale_failed", e -> e.data().path("component_id").asText().equals("untrusted-1"));
        assertThat(error(failed)).isEqualTo("denied by policy: untrusted-* may not run here");
        assertThat(lat.client.inventory(h.id()).components()).isEmpty();

        assertThatThrownBy(() -> lat.client.startProvider(h.id(), "spindle:keyvalue", "kv", null))
                .isInstanceOf(CtlException.class).hasMessage("provider.start: denied by policy: no key-value stores");
        assertThat(error(lat.awaitEvent("provider_start_failed", e -> e.data().path("provider_id").asText().equals("kv"))))
                .isEqualTo("denied by policy: no key-value stores");
        assertThat(lat.client.inventory(h.id()).providers()).isEmpty();

        lat.client.startProvider(h.id(), "spindle:messaging", "msg", null);
        lat.client.startComponent(h.id(), TestLattice.lttb(), "lttb", null, null);
        lat.client.startComponent(h.id(), TestLattice.lttb(), "quarantine-1", null, null);
        lat.client.putConfig("feed-a", Map.of("subscribe", "spindle.data.pol1.a.>"));
        lat.client.putConfig("feed-b", Map.of("subscribe", "spindle.data.pol1.b.>"));
        lat.client.putLink(new Link("msg", "lttb", "a", "spindle", "telemetry", List.of("processor"), List.of("feed-a"), null));
        Link denied = lat.client.putLink(new Link("msg", "quarantine-1", "b", "spindle", "telemetry", List.of("processor"), List.of("feed-b"), null));
        TestLattice.await("links decided", () -> h.linkStatus().size() == 2 && !h.linkStatus().containsValue("pending: waiting for the policy service's decision"));
        assertThat(h.linkStatus()).containsExactly(Map.entry("msg.a.spindle.telemetry", "applied"),
                Map.entry("msg.b.spindle.telemetry", "refused: policy: nothing feeds quarantined components"));
        assertThat(h.feeds()).extracting(f -> f.componentId()).containsExactly("lttb");
        CloudEvent lf = lat.awaitEvent("link_put_failed", e -> e.data().path("phase").asText().equals("policy"));
        assertThat(Json.MAPPER.treeToValue(lf.data().get("link"), Link.class)).isEqualTo(denied);
        assertThat(error(lf)).isEqualTo("link msg.b.spindle.telemetry not applied on host edge-1: policy: nothing feeds quarantined components");

        PolicyClient.Stats s = h.policyStats().orElseThrow();
        assertThat(s.denied()).isEqualTo(3);
        assertThat(s.permitted()).isEqualTo(4); // msg, lttb, quarantine-1, link a
        assertThat(s.timeouts() + s.malformed()).isZero();
        assertThat(ps.stats().requests()).isEqualTo(s.requests());
    }

    @Test
    void noAnswerAppliesTheDefault() throws Exception {
        TestLattice lat = lattice("pol2");
        // nobody subscribed: NATS says "no responders" at once
        Host deny = host(lat, "deny", new PolicyConfig("spindle.policy.none", Duration.ofMillis(300), Duration.ofSeconds(60), null, false));
        assertThatThrownBy(() -> lat.client.startComponent(deny.id(), TestLattice.lttb(), "c1", null, null))
                .hasMessageStartingWith("component.start: denied by policy: the policy service on spindle.policy.none did not answer within 300 ms")
                .hasMessageEndingWith("; the host's default applies: deny");
        // a service that takes the request and never answers: the timeout
        Transport silent = connect("silent");
        AtomicInteger asked = new AtomicInteger();
        closing(silent.subscribe("spindle.policy.silent", null, m -> asked.incrementAndGet()));
        Host slow = host(lat, "slow", new PolicyConfig("spindle.policy.silent", Duration.ofMillis(300), Duration.ofSeconds(60), null, false));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> lat.client.startProvider(slow.id(), "spindle:messaging", "m", null))
                .hasMessageContaining("timed out after 300 ms").hasMessageEndingWith("; the host's default applies: deny");
        assertThat((System.nanoTime() - t0) / 1e6).isGreaterThanOrEqualTo(300);
        assertThat(asked.get()).isEqualTo(1);
        // defaults are not cached: asked again
        assertThatThrownBy(() -> lat.client.startProvider(slow.id(), "spindle:messaging", "m", null)).isInstanceOf(CtlException.class);
        assertThat(asked.get()).isEqualTo(2);
        assertThat(slow.policyStats().orElseThrow().timeouts()).isEqualTo(2);
        // default allow
        Host allow = host(lat, "allow", new PolicyConfig("spindle.policy.none", Duration.ofMillis(300), Duration.ofSeconds(60), null, true));
        lat.client.startComponent(allow.id(), TestLattice.lttb(), "c2", null, null);
        assertThat(lat.client.inventory(allow.id()).components()).hasSize(1);
        assertThat(allow.policyStats().orElseThrow().timeouts()).isEqualTo(1);
        // an answer that is not one: the default, counted
        Transport liar = connect("liar");
        List<JsonNode> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        closing(liar.subscribe("spindle.policy.liar", null, m -> {
            seen.add(Json.tree(m.data(), "request"));
            liar.publish(m.replyTo(), "{\"request_id\":\"other\",\"permitted\":true}".getBytes());
        }));
        Host h = host(lat, "lied-to", new PolicyConfig("spindle.policy.liar", Duration.ofMillis(300), Duration.ofSeconds(60), null, false));
        assertThatThrownBy(() -> lat.client.startComponent(h.id(), TestLattice.lttb(), "c3", null, null))
                .hasMessageContaining("denied by policy: the policy service's answer is malformed: request_id \"other\" is not ");
        assertThat(h.policyStats().orElseThrow().malformed()).isEqualTo(1);
        // the request as sent: snake_case, claims present (null: this module is unsigned)
        JsonNode r = seen.get(0);
        assertThat(r.get("kind").asText()).isEqualTo("start_component");
        assertThat(r.get("version").asText()).isEqualTo("v1");
        assertThat(r.get("request_id").asText()).hasSize(36);
        assertThat(r.get("request").get("component_id").asText()).isEqualTo("c3");
        assertThat(r.get("request").get("world").asText()).isEqualTo("spindle:telemetry/processor@0.1.0");
        assertThat(r.get("request").get("digest").asText()).startsWith("sha256-");
        assertThat(r.get("request").has("claims")).isTrue();
        assertThat(r.get("request").get("claims").isNull()).isTrue();
        assertThat(r.get("host").get("public_key").asText()).isEqualTo(h.id());
        assertThat(r.get("host").get("labels").toString()).isEqualTo("{\"zone\":\"edge\"}");
    }

    @Test
    void signedClaimsReachThePolicyServiceAndIssuerRulesDecide() throws Exception {
        TestLattice lat = lattice("pol4");
        io.spindle.wasm.claims.NKeys.KeyPair ops = io.spindle.wasm.claims.NKeys.generate(io.spindle.wasm.claims.NKeys.Type.ACCOUNT,
                new java.security.SecureRandom());
        byte[] module = Files.readAllBytes(Path.of(TestLattice.lttb()));
        Path signed = dir.resolve("lttb-signed.wasm");
        Files.write(signed, io.spindle.wasm.claims.ComponentClaims.sign(module, ops.seed(), "lttb", "1.2.0", null, java.time.Instant.now()));
        serve(lat, write("issuers.yaml", """
                default: deny
                rules:
                  - {effect: allow, match: {kind: start_component, issuer: [%s]}}
                """.formatted(ops.publicKey())), "spindle.policy.pol4");
        Host h = host(lat, "edge-4", PolicyConfig.of("spindle.policy.pol4"));
        lat.client.startComponent(h.id(), signed.toString(), "signed-lttb", null, null); // signed by the allowed account
        assertThatThrownBy(() -> lat.client.startComponent(h.id(), TestLattice.lttb(), "unsigned-lttb", null, null))
                .isInstanceOf(CtlException.class).hasMessageContaining("denied by policy"); // unsigned: claims null, no issuer matches
        assertThat(lat.client.inventory(h.id()).components()).extracting(c -> c.id()).containsExactly("signed-lttb");
    }

    @Test
    void aChangedRulesFileDropsCachedDecisions() throws Exception {
        TestLattice lat = lattice("pol3");
        Path rules = write("change.yaml", RULES);
        PolicyServer ps = serve(lat, rules, "spindle.policy.pol3");
        Host h = host(lat, "edge-3", PolicyConfig.of("spindle.policy.pol3")); // decisions cached for 60 s
        lat.client.startProvider(h.id(), "spindle:messaging", "msg", null);
        lat.client.putConfig("feed", Map.of("subscribe", "spindle.data.pol3.in.>"));
        lat.client.startComponent(h.id(), TestLattice.lttb(), "quarantine-2", null, null);
        lat.client.putLink(new Link("msg", "quarantine-2", null, "spindle", "telemetry", List.of("processor"), List.of("feed"), null));
        TestLattice.await("link refused", () -> String.valueOf(h.linkStatus().get("msg.default.spindle.telemetry")).startsWith("refused: policy"));
        assertThatThrownBy(() -> lat.client.startComponent(h.id(), TestLattice.lttb(), "untrusted-2", null, null)).isInstanceOf(CtlException.class);
        long asked = ps.stats().requests();
        assertThatThrownBy(() -> lat.client.startComponent(h.id(), TestLattice.lttb(), "untrusted-2", null, null)).isInstanceOf(CtlException.class);
        assertThat(ps.stats().requests()).isEqualTo(asked); // the cached decision
        assertThat(h.policyStats().orElseThrow().cacheHits()).isGreaterThanOrEqualTo(1);

        replace(rules, "default: allow\nrules: []\n"); // picked up by the poll; hosts told on the changes subject
        TestLattice.await("rules reloaded", () -> ps.stats().reloads() == 1);
        TestLattice.await("link applied", () -> "applied".equals(h.linkStatus().get("msg.default.spindle.telemetry")));
        lat.client.startComponent(h.id(), TestLattice.lttb(), "untrusted-2", null, null);
        assertThat(h.policyStats().orElseThrow().invalidations()).isGreaterThanOrEqualTo(1);

        replace(rules, "default: allow\nrules: [{effect: permit}]\n"); // refused: the old rules stay
        TestLattice.await("bad file refused", () -> ps.stats().reloadFailures() == 1);
        assertThat(ps.lastError()).isEqualTo(rules + ": 1 problem: rules[0].effect: must be allow or deny, got 'permit'");
        assertThat(ps.rules().defaultAllow()).isTrue();
        assertThat(ps.reload()).isEqualTo(null); // same broken file: nothing new to say
    }
}
