package io.spindle.lattice;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.lattice.transport.Msg;
import io.spindle.lattice.transport.Subscription;
import io.spindle.lattice.transport.Transport;
import io.spindle.lattice.transport.TransportException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * The control interface from the caller's side (the CLI, tests, the orchestrator): one method per operation of
 * {@code lattice/README.md}. A refusal ({@code success: false}) or a missing answer is a {@link CtlException} with
 * the host's message. Thread-safe.
 */
public final class LatticeClient {
    private final Transport transport;
    private final Subjects subjects;
    private final Duration timeout;

    /** A client of lattice over transport; timeout bounds each request and each scatter-gather window. */
    public LatticeClient(Transport transport, String lattice, Duration timeout) {
        this.transport = transport;
        this.subjects = new Subjects(lattice);
        this.timeout = timeout;
    }

    /** The lattice's subjects. */
    public Subjects subjects() {
        return subjects;
    }

    /** Every host that answers within the timeout, by friendly name. */
    public List<HostInfo> getHosts() {
        return scatter("host.get", HostInfo.class);
    }

    /** Every host that answers a ping within the timeout. */
    public List<HostInfo> ping() {
        return scatter("host.ping", HostInfo.class);
    }

    /** What runs on a host. */
    public HostInventory inventory(String hostId) {
        return call(subjects.ctl("host.inventory", hostId), new byte[0], type(HostInventory.class));
    }

    /** Sets (value non-null) or removes (value null) a label on a host. */
    public HostInfo label(String hostId, String key, String value) {
        return call(subjects.ctl("host.label", hostId), Json.write(new Commands.Label(key, value)), type(HostInfo.class));
    }

    /** Asks a host to drain and stop. */
    public void stopHost(String hostId, Long timeoutMs) {
        call(subjects.ctl("host.stop", hostId), Json.write(new Commands.StopHost(hostId, timeoutMs)), null);
    }

    /** Starts componentRef (a file path or {@code sha256-<hex>}) as componentId on a host. */
    public HostInventory.ComponentDescription startComponent(String hostId, String componentRef, String componentId,
                                                             Map<String, String> annotations, List<String> config) {
        return call(subjects.ctl("component.start", hostId), Json.write(new Commands.ScaleComponent(componentRef, componentId,
                hostId, 1, annotations, config)), type(HostInventory.ComponentDescription.class));
    }

    /** Scales a component on a host to count instances (0 stops it). */
    public HostInventory.ComponentDescription scaleComponent(String hostId, String componentRef, String componentId, int count,
                                                             Map<String, String> annotations, List<String> config) {
        return call(subjects.ctl("component.scale", hostId), Json.write(new Commands.ScaleComponent(componentRef, componentId,
                hostId, count, annotations, config)), type(HostInventory.ComponentDescription.class));
    }

    /** Stops a component on a host. */
    public void stopComponent(String hostId, String componentId) {
        call(subjects.ctl("component.stop", hostId), Json.write(new Commands.ScaleComponent(null, componentId, hostId, 0,
                null, null)), null);
    }

    /** Starts a built-in provider (e.g. {@code spindle:messaging}) as providerId on a host. */
    public HostInventory.ProviderDescription startProvider(String hostId, String providerRef, String providerId,
                                                           List<String> config) {
        return call(subjects.ctl("provider.start", hostId), Json.write(new Commands.StartProvider(providerRef, providerId,
                hostId, config, null)), type(HostInventory.ProviderDescription.class));
    }

    /** Starts a built-in provider with annotations (the orchestrator marks what it manages). */
    public HostInventory.ProviderDescription startProvider(String hostId, String providerRef, String providerId,
                                                           List<String> config, Map<String, String> annotations) {
        return call(subjects.ctl("provider.start", hostId), Json.write(new Commands.StartProvider(providerRef, providerId,
                hostId, config, annotations)), type(HostInventory.ProviderDescription.class));
    }

    /** The transport this client talks over. */
    public Transport transport() {
        return transport;
    }

    /** Stops a provider on a host. */
    public void stopProvider(String hostId, String providerId) {
        call(subjects.ctl("provider.stop", hostId), Json.write(new Commands.StopProvider(providerId, hostId)), null);
    }

    /** Validates and stores a link; every host applies it. */
    public Link putLink(Link link) {
        return call(subjects.ctl("link.put"), Json.write(link), type(Link.class));
    }

    /** Deletes the link of source, name, namespace and package. */
    public void deleteLink(String sourceId, String name, String witNamespace, String witPackage) {
        call(subjects.ctl("link.del"), Json.write(new Commands.DeleteLink(sourceId, name, witNamespace, witPackage)), null);
    }

    /** Every link of the lattice. */
    public List<Link> getLinks() {
        return call(subjects.ctl("link.get"), new byte[0], Json.MAPPER.getTypeFactory().constructCollectionType(List.class, Link.class));
    }

    /** Stores named config (replacing it). */
    public void putConfig(String name, Map<String, String> values) {
        call(subjects.ctl("config.put", name), Json.write(values), null);
    }

    /** A named config. */
    public Map<String, String> getConfig(String name) {
        return call(subjects.ctl("config.get", name), new byte[0], Json.MAPPER.getTypeFactory().constructType(new TypeReference<Map<String, String>>() { }));
    }

    /** Deletes a named config. */
    public void deleteConfig(String name) {
        call(subjects.ctl("config.del", name), new byte[0], null);
    }

    /** Follows the lattice's events; malformed events are skipped. Close the subscription to stop. */
    public Subscription events(Consumer<CloudEvent> listener) {
        return transport.subscribe(subjects.allEvents(), null, msg -> {
            CloudEvent e;
            try {
                e = Json.read(msg.data(), CloudEvent.class, "event on " + msg.subject());
            } catch (IllegalArgumentException bad) {
                return;
            }
            listener.accept(e);
        });
    }

    private static JavaType type(Class<?> c) {
        return Json.MAPPER.getTypeFactory().constructType(c);
    }

    private <T> T call(String subject, byte[] body, JavaType responseType) {
        Msg reply;
        try {
            reply = transport.request(subject, body, timeout).get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw new CtlException(c instanceof TransportException ? c.getMessage() : subject + ": " + c, c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CtlException(subject + ": interrupted", e);
        }
        return unwrap(subject, reply, responseType);
    }

    /**
     * The payload of a reply envelope on subject as responseType (null: none expected); a refusal, a reply that is not
     * an envelope, or a payload of another shape is a {@link CtlException} (also used by the orchestrator's client).
     */
    public static <T> T unwrap(String subject, Msg reply, JavaType responseType) {
        JsonNode env = Json.tree(reply.data(), "reply on " + subject);
        if (!env.isObject() || !env.path("success").isBoolean())
            throw new CtlException("reply on " + subject + " is not a control response envelope");
        if (!env.get("success").asBoolean())
            throw new CtlException(env.path("message").asText("refused without a message"));
        if (responseType == null) return null;
        JsonNode payload = env.get("response");
        if (payload == null || payload.isNull()) throw new CtlException("reply on " + subject + " has no response payload");
        try {
            return Json.MAPPER.convertValue(payload, responseType);
        } catch (IllegalArgumentException e) {
            throw new CtlException("reply on " + subject + " has an unexpected payload: " + e.getMessage(), e);
        }
    }

    private <T> List<T> scatter(String operation, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Msg m : transport.requestMany(subjects.ctl(operation), new byte[0], timeout)) {
            try {
                T t = unwrap(subjects.ctl(operation), m, type(type));
                if (t != null) out.add(t);
            } catch (CtlException | IllegalArgumentException skipped) {
                // one host's bad reply does not hide the others
            }
        }
        if (type == HostInfo.class)
            out.sort(Comparator.comparing(h -> ((HostInfo) h).friendlyName() + ((HostInfo) h).id()));
        return out;
    }
}
