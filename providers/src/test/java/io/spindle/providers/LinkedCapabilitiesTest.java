package io.spindle.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spindle.lattice.Subjects;
import io.spindle.lattice.transport.InProcessTransport;
import io.spindle.lattice.transport.KvEntry;
import io.spindle.lattice.transport.Msg;
import io.spindle.wasm.Component;
import io.spindle.wasm.ComponentException;
import io.spindle.wasm.ComponentRuntime;
import io.spindle.wasm.ConfigCapability;
import io.spindle.wasm.Emitted;
import io.spindle.wasm.Grants;
import io.spindle.wasm.LogCapability;
import io.spindle.wasm.ProcessorInstance;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The linked interfaces from inside a guest ({@code guests/linked.wat}): deny by default until a link binds them,
 * key-value through a bucket with per-component prefixes, publish through the bus, canonical-ABI abuse stops the
 * instance, limits come back as the guest's error.
 */
class LinkedCapabilitiesTest {
    static final ComponentRuntime RT = new ComponentRuntime();
    final InProcessTransport transport = new InProcessTransport();
    final Subjects subjects = new Subjects("test");

    @AfterEach
    void close() {
        transport.close();
    }

    static byte[] guestBytes() {
        try (InputStream in = LinkedCapabilitiesTest.class.getResourceAsStream("/guests/linked.wasm")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    record Guest(ProcessorInstance instance, PublisherCapability publisher, KeyValueCapability keyValue) {
    }

    static Guest start(String id) {
        Component c = RT.load(id, guestBytes());
        PublisherCapability pub = new PublisherCapability(id);
        KeyValueCapability kv = new KeyValueCapability(id);
        ProcessorInstance p = RT.instantiate(c, Grants.of(new ConfigCapability(Map.of()), LogCapability.systemLogger(), pub, kv));
        return new Guest(p, pub, kv);
    }

    static void process(Guest g, String series, int n) {
        g.instance().process(series, new long[n], new double[n], 0, n, new Emitted());
    }

    static long count(InProcessTransport t, String bucket, String key) {
        KvEntry e = t.keyValue(bucket).get(key).orElseThrow();
        return ByteBuffer.wrap(e.value()).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @Test
    void interfacesAreDeniedUntilLinkedAndAgainWhenUnlinked() throws Exception {
        Guest g = start("g1");
        KeyValueProvider kvp = new KeyValueProvider("kv", transport, subjects, Map.of());
        MessagingProvider mp = new MessagingProvider("msg", transport, subjects, Map.of());
        LinkedBlockingQueue<Msg> out = new LinkedBlockingQueue<>();
        transport.subscribe("guest.out", null, out::add);

        assertThatThrownBy(() -> process(g, "s1", 10)).isInstanceOf(ComponentException.class)
                .hasMessageContaining("no link grants spindle:keyvalue/store to component 'g1'")
                .satisfies(e -> assertThat(((ComponentException) e).kind()).isEqualTo(ComponentException.Kind.GUEST_ERROR));

        g.keyValue().link(kvp.store("g1", Map.of()), "g1 -> kv");
        assertThatThrownBy(() -> process(g, "s1", 10)).hasMessageContaining("no link grants spindle:messaging/publisher to component 'g1'");
        assertThat(count(transport, "SPINDLE_KV_test", "g1.count")).isEqualTo(10); // the store worked before publish failed

        g.publisher().link(mp.publisher("g1", Map.of()), "g1 -> msg");
        process(g, "s1", 5);
        assertThat(count(transport, "SPINDLE_KV_test", "g1.count")).isEqualTo(15);
        Msg m = out.poll(5, TimeUnit.SECONDS);
        assertThat(m).isNotNull();
        assertThat(new String(m.data(), StandardCharsets.UTF_8)).isEqualTo("s1");

        g.publisher().unlink();
        assertThatThrownBy(() -> process(g, "s1", 1)).hasMessageContaining("no link grants spindle:messaging/publisher");
        g.keyValue().unlink();
        assertThatThrownBy(() -> process(g, "s1", 1)).hasMessageContaining("no link grants spindle:keyvalue/store");
        assertThat(g.instance().stoppedBy()).as("err results leave the instance usable").isNull();
        g.instance().close();
    }

    @Test
    void keysArePrefixedPerComponentUnlessTheLinkSharesAPrefix() {
        KeyValueProvider kvp = new KeyValueProvider("kv", transport, subjects, Map.of());
        KeyValueCapability.Store a = kvp.store("a", Map.of()), b = kvp.store("b", Map.of());
        a.set("k", new byte[] {1});
        assertThat(a.get("k")).hasValueSatisfying(v -> assertThat(v).containsExactly(1));
        assertThat(b.get("k")).isEmpty();
        KeyValueCapability.Store shared1 = kvp.store("a", Map.of(KeyValueProvider.KEY_PREFIX, "plant")),
                shared2 = kvp.store("b", Map.of(KeyValueProvider.KEY_PREFIX, "plant"));
        shared1.set("x.y", new byte[] {7});
        assertThat(shared2.get("x.y")).hasValueSatisfying(v -> assertThat(v).containsExactly(7));
        assertThat(transport.keyValue("SPINDLE_KV_test").keys()).containsExactlyInAnyOrder("a.k", "plant.x.y");
        a.delete("k");
        a.delete("missing"); // not an error
        assertThat(a.get("k")).isEmpty();
        KeyValueCapability.Store other = kvp.store("a", Map.of(KeyValueProvider.BUCKET, "SPINDLE_KV_other"));
        other.set("k", new byte[] {2});
        assertThat(transport.keyValue("SPINDLE_KV_other").keys()).containsExactly("a.k");
    }

    @Test
    void badKeysAndValuesAreErrorsNotTraps() {
        KeyValueProvider kvp = new KeyValueProvider("kv", transport, subjects, Map.of(KeyValueProvider.MAX_VALUE_BYTES, "4"));
        KeyValueCapability.Store s = kvp.store("a", Map.of());
        for (String bad : List.of("", ".x", "x.", "a..b", "a b", "a*", "a>", "ü"))
            assertThatThrownBy(() -> s.set(bad, new byte[1])).isInstanceOf(ProviderException.class).hasMessageContaining("key");
        assertThatThrownBy(() -> s.set("k", new byte[5])).isInstanceOf(ProviderException.class)
                .hasMessage("value of 5 bytes exceeds the link's max-value-bytes of 4");
        assertThat(transport.keyValue("SPINDLE_KV_test").keys()).isEmpty();
    }

    @Test
    void aValueOverTheDefaultLimitComesBackAsTheGuestsError() {
        Guest g = start("g2");
        g.keyValue().link(new KeyValueProvider("kv", transport, subjects, Map.of()).store("g2", Map.of()), "g2 -> kv");
        assertThatThrownBy(() -> process(g, "huge", 1)).isInstanceOf(ComponentException.class)
                .hasMessageContaining("value of 300000 bytes exceeds the link's max-value-bytes of 262144");
        assertThat(g.instance().stoppedBy()).isNull();
        g.instance().close();
    }

    @Test
    void aPointerOutsideGuestMemoryStopsTheInstance() {
        Guest g = start("g3");
        g.publisher().link((subject, body) -> { }, "test");
        assertThatThrownBy(() -> process(g, "bad", 1)).isInstanceOf(ComponentException.class)
                .satisfies(e -> assertThat(((ComponentException) e).kind()).isEqualTo(ComponentException.Kind.ABI_VIOLATION))
                .hasMessageContaining("messaging.publish: subject [4294967280, 4294967380) lies outside linear memory");
        assertThat(g.instance().stoppedBy()).isNotNull();
        assertThatThrownBy(() -> process(g, "s", 1)).satisfies(e -> assertThat(((ComponentException) e).kind()).isEqualTo(ComponentException.Kind.STOPPED));
        g.instance().close();
    }

    @Test
    void publisherRefusesReservedInvalidAndDisallowedSubjects() throws Exception {
        MessagingProvider mp = new MessagingProvider("msg", transport, subjects, Map.of());
        PublisherCapability.Publisher any = mp.publisher("c", Map.of());
        for (String s : List.of("spindle.ctl.v1.test.link.put", "spindle.evt.test.host_started", "_INBOX.x", "$JS.API.STREAM.LIST"))
            assertThatThrownBy(() -> any.publish(s, new byte[0])).isInstanceOf(ProviderException.class).hasMessageContaining("reserved");
        for (String s : List.of("a.*", "a.>", "a..b", "a b", ""))
            assertThatThrownBy(() -> any.publish(s, new byte[0])).isInstanceOf(ProviderException.class).hasMessageContaining("not a valid subject");
        assertThatThrownBy(() -> any.publish("big", new byte[(1 << 20) + 1])).isInstanceOf(ProviderException.class)
                .hasMessageContaining("exceeds the maximum");
        PublisherCapability.Publisher some = mp.publisher("c", Map.of(MessagingProvider.PUBLISH_ALLOW, "plant.>, alarms.*"));
        LinkedBlockingQueue<Msg> got = new LinkedBlockingQueue<>();
        transport.subscribe(">", null, got::add);
        some.publish("plant.a.b", new byte[] {1});
        some.publish("alarms.x", new byte[] {2});
        assertThatThrownBy(() -> some.publish("alarms.x.y", new byte[0])).hasMessageContaining("outside the link's publish-allow (plant.>, alarms.*)");
        assertThat(got.poll(5, TimeUnit.SECONDS).subject()).isEqualTo("plant.a.b");
        assertThat(got.poll(5, TimeUnit.SECONDS).subject()).isEqualTo("alarms.x");
        assertThat(got.poll(100, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void providerAndLinkConfigsAreCheckedWithReasons() {
        assertThat(KeyValueProvider.checkConfig(subjects, Map.of(KeyValueProvider.BUCKET, "SPINDLE_LINKS_test"), true))
                .containsExactly("bucket 'SPINDLE_LINKS_test' is reserved for the lattice (buckets starting SPINDLE_ must start SPINDLE_KV_)");
        assertThat(KeyValueProvider.checkConfig(subjects, Map.of(KeyValueProvider.BUCKET, "a.b", KeyValueProvider.KEY_PREFIX, ".x",
                KeyValueProvider.MAX_VALUE_BYTES, "lots"), true)).hasSize(3);
        assertThat(KeyValueProvider.checkConfig(subjects, Map.of(KeyValueProvider.MAX_VALUE_BYTES, "2000000"), true))
                .containsExactly("max-value-bytes 2000000 must be in [1, 1000000]");
        assertThatThrownBy(() -> new KeyValueProvider("kv", transport, subjects, Map.of(KeyValueProvider.BUCKET, "SPINDLE_CONFIG_test")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");

        assertThat(MessagingProvider.checkFeedConfig(subjects, Map.of(), true))
                .containsExactly("subscribe is missing: the subject pattern whose messages feed the component");
        assertThat(MessagingProvider.checkFeedConfig(subjects, Map.of(), false)).isEmpty();
        assertThat(MessagingProvider.checkFeedConfig(subjects, Map.of("subscribe", "plant.>", "durable", "true"), true))
                .containsExactly("durable is true but subscribe 'plant.>' is not in the lattice's data subjects spindle.data.test.>");
        assertThat(MessagingProvider.checkFeedConfig(subjects, Map.of("subscribe", "spindle.data.test.>", "publish-prefix", "spindle.data.test.out"), true))
                .containsExactly("publish-prefix 'spindle.data.test.out' is matched by subscribe 'spindle.data.test.>': the component would read its own output");
        assertThat(MessagingProvider.checkFeedConfig(subjects, Map.of("subscribe", "a..b", "durable", "maybe", "deliver", "some",
                "queue-group", "a.b", "publish-prefix", "spindle.ctl.x"), true)).hasSize(5);
        assertThat(MessagingProvider.checkPublisherConfig(Map.of("publish-allow", " , "))).hasSize(1);
        assertThat(MessagingProvider.checkPublisherConfig(Map.of("publish-allow", "a.>.b"))).containsExactly("publish-allow pattern 'a.>.b' is not a valid subject pattern");
        MessagingProvider mp = new MessagingProvider("msg", transport, subjects, Map.of());
        assertThat(mp.checkLinkConfig(Interfaces.STORE, "c", Map.of())).containsExactly("provider msg (spindle:messaging) neither offers nor drives spindle:keyvalue/store");
    }

    @Test
    void seriesNamesBecomeSubjectTokens() {
        assertThat(MessagingProvider.seriesSubject("okuma/Xload")).isEqualTo("okuma/Xload");
        assertThat(MessagingProvider.seriesSubject("a.b")).isEqualTo("a.b");
        assertThat(MessagingProvider.seriesSubject("a b.*.>..")).isEqualTo("a_b._._._._");
        assertThat(MessagingProvider.seriesSubject("")).isEqualTo("_");
    }

    @Test
    void theCommittedGuestIsWhatItsSourceBuildsTo(@TempDir Path tmp) throws Exception {
        Path wat2wasm = Path.of("/usr/bin/wat2wasm");
        String root = System.getProperty("spindle.root");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(wat2wasm) && root != null, "wat2wasm not installed");
        Path src = Path.of(root, "providers/src/test/resources/guests/linked.wat");
        Path out = tmp.resolve("linked.wasm");
        Process p = new ProcessBuilder(wat2wasm.toString(), src.toString(), "-o", out.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();
        assertThat(Files.readAllBytes(out)).as("rebuild with: wat2wasm linked.wat -o linked.wasm").isEqualTo(guestBytes());
    }
}
