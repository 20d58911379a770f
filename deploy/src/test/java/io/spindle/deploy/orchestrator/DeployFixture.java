package io.spindle.deploy.orchestrator;

import io.spindle.host.Host;
import io.spindle.lattice.CloudEvent;
import io.spindle.lattice.LatticeClient;
import io.spindle.lattice.transport.Subscription;
import io.spindle.lattice.transport.Transport;
import io.spindle.wasm.ComponentRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * A lattice for orchestrator tests: hosts that beat every 200 ms (sharing one component runtime, so a module
 * compiles once per JVM), orchestrators with short timings, a model client, and every event recorded.
 */
final class DeployFixture implements AutoCloseable {
    static final ComponentRuntime RUNTIME = new ComponentRuntime();
    static final Duration HEARTBEAT = Duration.ofMillis(200), EXPIRY = Duration.ofMillis(1000);

    final Transport transport;
    final String lattice;
    final LatticeClient client;
    final ModelClient models;
    final List<CloudEvent> events = new CopyOnWriteArrayList<>();
    final List<Host> hosts = new CopyOnWriteArrayList<>();
    final List<Orchestrator> orchestrators = new CopyOnWriteArrayList<>();
    private final Subscription eventSub;

    DeployFixture(Transport transport, String lattice) {
        this.transport = transport;
        this.lattice = lattice;
        this.client = new LatticeClient(transport, lattice, Duration.ofSeconds(10));
        this.models = new ModelClient(transport, lattice, Duration.ofSeconds(10));
        this.eventSub = client.events(events::add);
    }

    static Path root() {
        Path r = Path.of("..").toAbsolutePath().normalize();
        if (!Files.isDirectory(r.resolve("components"))) r = Path.of("").toAbsolutePath();
        return r;
    }

    static String component(String rel) {
        return root().resolve(rel).toString();
    }

    Host host(String name, Map<String, String> labels) {
        return host(name, labels, transport);
    }

    Host host(String name, Map<String, String> labels, Transport own) {
        return host(name, labels, own, null);
    }

    /** A host on its own transport (a separate machine's connection) with a data directory (or none). */
    Host host(String name, Map<String, String> labels, Transport own, Path dataDir) {
        Host.Builder b = Host.builder(own).lattice(lattice).friendlyName(name).labels(labels).heartbeat(HEARTBEAT).runtime(RUNTIME)
                .discoveryWindow(Duration.ofMillis(150)).checkpointEvery(1000, Duration.ofSeconds(60));
        if (dataDir != null) b.dataDir(dataDir);
        Host h = b.build().start();
        hosts.add(h);
        return h;
    }

    Orchestrator orchestrator() {
        return orchestrator(transport);
    }

    Orchestrator orchestrator(Transport own) {
        Orchestrator o = Orchestrator.builder(own).lattice(lattice).hostExpiry(EXPIRY).leaseTtl(Duration.ofMillis(900))
                .tick(Duration.ofMillis(200)).probation(Duration.ofMillis(800)).retry(Duration.ofMillis(500))
                .requestTimeout(Duration.ofSeconds(20)).discoveryWindow(Duration.ofMillis(200)).build().start();
        orchestrators.add(o);
        return o;
    }

    /** Waits until the application reports status (and, when version is not null, that version). */
    AppStatus awaitStatus(String app, String status, String version) {
        AppStatus[] last = {null};
        await(app + " " + status + (version == null ? "" : " at " + version), () -> {
            last[0] = models.status(app);
            return last[0].status().equals(status) && (version == null || version.equals(last[0].version()));
        }, () -> "last status: " + last[0]);
        return last[0];
    }

    /** Hosts (friendly names) where component id runs. */
    List<String> where(String id) {
        List<String> out = new ArrayList<>();
        for (Host h : hosts) {
            if (h.inventory().components().stream().anyMatch(c -> c.id().equals(id))
                    || h.inventory().providers().stream().anyMatch(p -> p.id().equals(id))) out.add(h.friendlyName());
        }
        return out;
    }

    List<CloudEvent> events(String type) {
        return events.stream().filter(e -> e.event().equals(type)).toList();
    }

    static void await(String what, BooleanSupplier c) {
        await(what, c, () -> "");
    }

    static void await(String what, BooleanSupplier c, java.util.function.Supplier<String> detail) {
        long end = System.nanoTime() + 20_000_000_000L;
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("not within 20 s: " + what + " " + detail.get());
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        for (Orchestrator o : orchestrators) o.close();
        for (Host h : hosts) h.close();
        eventSub.close();
    }
}
