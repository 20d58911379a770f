package io.spindle.providers;

import com.dylibso.chicory.runtime.HostFunction;
import io.spindle.wasm.Capability;
import io.spindle.wasm.GuestContext;
import io.spindle.wasm.World;
import java.util.List;

/**
 * {@code spindle:messaging/publisher} for one component: {@code publish(subject, body) -> result<_, string>}. The
 * host gives every component of a world that imports it one of these, unlinked; a call succeeds only while a link
 * from the component to a messaging provider is applied ({@link #link}), else it returns {@code err} naming the
 * missing link (deny by default). Linking and unlinking take effect at the next call, without restarting the guest.
 */
public final class PublisherCapability implements Capability {
    /** Longest subject accepted, in bytes. */
    public static final int MAX_SUBJECT_BYTES = 1024;
    /** Largest body read from the guest, in bytes (the bus's own maximum payload applies too). */
    public static final int MAX_BODY_BYTES = 8 << 20;

    /** What a link binds the capability to: the provider side (see {@link MessagingProvider#publisher}). */
    @FunctionalInterface
    public interface Publisher {
        /** Publishes body on subject; a refusal is a {@link ProviderException} with the reason. */
        void publish(String subject, byte[] body);
    }

    private final String componentId;
    private volatile Publisher binding;
    private volatile String linkedBy;

    /** Unlinked capability for componentId. */
    public PublisherCapability(String componentId) {
        this.componentId = componentId;
    }

    /** Applies a link: later calls publish through p; description names the link in logs. */
    public void link(Publisher p, String description) {
        this.binding = p;
        this.linkedBy = description;
    }

    /** Removes the link: later calls fail. */
    public void unlink() {
        this.binding = null;
        this.linkedBy = null;
    }

    /** The description of the applied link, or null. */
    public String linkedBy() {
        return linkedBy;
    }

    @Override
    public String interfaceId() {
        return World.MESSAGING_PUBLISHER;
    }

    @Override
    public List<HostFunction> bind(GuestContext guest) {
        return List.of(new HostFunction(World.MESSAGING_PUBLISHER, "publish", World.fn(5, 0), (instance, args) -> {
            GuestAbi abi = new GuestAbi(guest, instance, "messaging.publish");
            int ret = abi.area(args[4], 12);
            try {
                String subject = abi.string(args[0], args[1], MAX_SUBJECT_BYTES, "subject");
                byte[] body = abi.bytes(args[2], args[3], MAX_BODY_BYTES, "body");
                Publisher p = binding;
                if (p == null) throw new ProviderException(notLinked(componentId, "spindle:messaging/publisher", "spindle:messaging"));
                p.publish(subject, body);
                abi.ok(ret);
            } catch (ProviderException e) {
                abi.err(ret, e.getMessage());
            }
            return null;
        }));
    }

    static String notLinked(String componentId, String iface, String provider) {
        return "no link grants " + iface + " to component '" + componentId + "' (deny by default: put a link from '"
                + componentId + "' to a " + provider + " provider)";
    }
}
