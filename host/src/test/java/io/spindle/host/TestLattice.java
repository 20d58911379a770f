package io.spindle.host;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.lattice.CloudEvent;
import io.spindle.lattice.Json;
import io.spindle.lattice.LatticeClient;
import io.spindle.lattice.transport.Msg;
import io.spindle.lattice.transport.Subscription;
import io.spindle.lattice.transport.Transport;
import io.spindle.wasm.ComponentRuntime;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Several hosts in one lattice on one transport, a control client, and every event recorded. Hosts share one
 * component runtime (a module compiles once per test JVM) and beat every 300 ms.
 */
final class TestLattice implements AutoCloseable {
    static final ComponentRuntime RUNTIME = new ComponentRuntime();

    final Transport transport;
    final String lattice;
    /** For requests (5 s). */
    final LatticeClient client;
    /** For scatter-gather (host.get, ping): a 300 ms window. */
    final LatticeClient scatter;
    final List<CloudEvent> events = new CopyOnWriteArrayList<>();
    final List<Host> hosts = new CopyOnWriteArrayList<>();
    private final Subscription eventSub;

    TestLattice(Transport transport, String lattice) {
        this.transport = transport;
        this.lattice = lattice;
        this.client = new LatticeClient(transport, lattice, Duration.ofSeconds(5));
        this.scatter = new LatticeClient(transport, lattice, Duration.ofMillis(300));
        this.eventSub = client.events(events::add);
    }

    static Path root() {
        String p = System.getProperty("spindle.root");
        Path r = p != null ? Path.of(p) : Path.of("..").toAbsolutePath().normalize();
        if (!Files.isDirectory(r.resolve("components"))) r = Path.of("").toAbsolutePath().getParent();
        return r;
    }

    static String lttb() {
        return root().resolve("components/lttb/lttb.wasm").toString();
    }

    static String linkedGuest() {
        return root().resolve("providers/src/test/resources/guests/linked.wasm").toString();
    }

    static String adversarial(String name) {
        return root().resolve("components/adversarial/" + name + ".wasm").toString();
    }

    Host.Builder builder(String name) {
        return builder(name, transport);
    }

    /** A host on its own transport (on NATS: its own connection, as a separate process would have). */
    Host.Builder builder(String name, Transport own) {
        return Host.builder(own).lattice(lattice).friendlyName(name).heartbeat(Duration.ofMillis(300)).runtime(RUNTIME)
                .discoveryWindow(Duration.ofMillis(150)).checkpointEvery(1000, Duration.ofSeconds(60));
    }

    Host host(String name, Map<String, String> labels) {
        Host h = builder(name).labels(labels).build().start();
        hosts.add(h);
        return h;
    }

    Host add(Host started) {
        hosts.add(started);
        return started;
    }

    /** A raw request: the reply envelope as a tree. */
    JsonNode raw(String subject, String body) {
        try {
            Msg m = transport.request(subject, body.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5)).get();
            return Json.tree(m.data(), "reply");
        } catch (Exception e) {
            throw new AssertionError(subject + ": " + e, e);
        }
    }

    /** The message of a refused raw request (fails when it succeeded). */
    String refused(String subject, String body) {
        JsonNode r = raw(subject, body);
        if (r.path("success").asBoolean(true)) throw new AssertionError(subject + " with " + body + " succeeded: " + r);
        if (r.has("response")) throw new AssertionError("a refusal carries no response: " + r);
        return r.path("message").asText();
    }

    static void await(String what, BooleanSupplier c) {
        long end = System.nanoTime() + 15_000_000_000L;
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("not within 15 s: " + what);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    List<CloudEvent> events(String type) {
        List<CloudEvent> out = new ArrayList<>();
        for (CloudEvent e : events) if (e.event().equals(type)) out.add(e);
        return out;
    }

    CloudEvent awaitEvent(String type, Predicate<CloudEvent> p) {
        await("event " + type, () -> events(type).stream().anyMatch(p));
        return events(type).stream().filter(p).findFirst().orElseThrow();
    }

    @Override
    public void close() {
        for (Host h : hosts) h.close();
        eventSub.close();
    }
}
