package io.spindle.providers;

import com.dylibso.chicory.runtime.HostFunction;
import io.spindle.wasm.Capability;
import io.spindle.wasm.GuestContext;
import io.spindle.wasm.World;
import java.util.List;
import java.util.Optional;

/**
 * {@code spindle:keyvalue/store} for one component: get, set, delete. Like {@link PublisherCapability}, unlinked
 * until a link from the component to a key-value provider is applied; unlinked calls return {@code err}.
 */
public final class KeyValueCapability implements Capability {
    /** Longest key accepted from the guest, in bytes. */
    public static final int MAX_KEY_BYTES = 512;
    /** Largest value read from the guest, in bytes (the link's max-value-bytes applies too). */
    public static final int MAX_VALUE_BYTES = 8 << 20;

    /** What a link binds the capability to: the provider side (see {@link KeyValueProvider#store}). */
    public interface Store {
        Optional<byte[]> get(String key);

        void set(String key, byte[] value);

        void delete(String key);
    }

    private final String componentId;
    private volatile Store binding;
    private volatile String linkedBy;

    /** Unlinked capability for componentId. */
    public KeyValueCapability(String componentId) {
        this.componentId = componentId;
    }

    /** Applies a link. */
    public void link(Store s, String description) {
        this.binding = s;
        this.linkedBy = description;
    }

    /** Removes the link. */
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
        return World.KEYVALUE_STORE;
    }

    private Store store() {
        Store s = binding;
        if (s == null) throw new ProviderException(PublisherCapability.notLinked(componentId, "spindle:keyvalue/store", "spindle:keyvalue"));
        return s;
    }

    @Override
    public List<HostFunction> bind(GuestContext guest) {
        HostFunction get = new HostFunction(World.KEYVALUE_STORE, "get", World.fn(3, 0), (instance, args) -> {
            GuestAbi abi = new GuestAbi(guest, instance, "keyvalue.get");
            int ret = abi.area(args[2], 16);
            try {
                String key = abi.string(args[0], args[1], MAX_KEY_BYTES, "key");
                Optional<byte[]> v = store().get(key);
                abi.u8(ret, 0);
                if (v.isEmpty()) {
                    abi.u8(ret + 4, 0);
                } else {
                    int p = abi.lower(v.get());
                    abi.u8(ret + 4, 1);
                    abi.i32(ret + 8, p);
                    abi.i32(ret + 12, v.get().length);
                }
            } catch (ProviderException e) {
                abi.err(ret, e.getMessage());
            }
            return null;
        });
        HostFunction set = new HostFunction(World.KEYVALUE_STORE, "set", World.fn(5, 0), (instance, args) -> {
            GuestAbi abi = new GuestAbi(guest, instance, "keyvalue.set");
            int ret = abi.area(args[4], 12);
            try {
                String key = abi.string(args[0], args[1], MAX_KEY_BYTES, "key");
                byte[] value = abi.bytes(args[2], args[3], MAX_VALUE_BYTES, "value");
                store().set(key, value);
                abi.ok(ret);
            } catch (ProviderException e) {
                abi.err(ret, e.getMessage());
            }
            return null;
        });
        HostFunction delete = new HostFunction(World.KEYVALUE_STORE, "delete", World.fn(3, 0), (instance, args) -> {
            GuestAbi abi = new GuestAbi(guest, instance, "keyvalue.delete");
            int ret = abi.area(args[2], 12);
            try {
                String key = abi.string(args[0], args[1], MAX_KEY_BYTES, "key");
                store().delete(key);
                abi.ok(ret);
            } catch (ProviderException e) {
                abi.err(ret, e.getMessage());
            }
            return null;
        });
        return List.of(get, set, delete);
    }
}
