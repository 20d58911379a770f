package io.spindle.wasm;

import com.dylibso.chicory.runtime.HostFunction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** {@code spindle:telemetry/config}: read-only key lookup in the configuration a link or deployment gives. */
public final class ConfigCapability implements Capability {
    private static final int MAX_KEY_BYTES = 1024;
    private final Map<String, String> values;

    /** The given configuration. */
    public ConfigCapability(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** The configuration. */
    public Map<String, String> values() {
        return values;
    }

    @Override
    public String interfaceId() {
        return World.CONFIG;
    }

    @Override
    public List<HostFunction> bind(GuestContext guest) {
        return List.of(new HostFunction(World.CONFIG, "get", World.fn(3, 0), (instance, args) -> {
            GuestMemory m = guest.memory(instance);
            int len = (int) args[1];
            if (Integer.toUnsignedLong(len) > MAX_KEY_BYTES) throw new AbiViolation("config.get: key of " + Integer.toUnsignedLong(len) + " bytes exceeds " + MAX_KEY_BYTES);
            String key = m.readString((int) args[0], len, "config.get: key");
            int ret = (int) args[2];
            m.check(ret, 12, "config.get: return area");
            if ((ret & 3) != 0) throw new AbiViolation("config.get: return area " + Integer.toUnsignedString(ret) + " is not 4-byte aligned");
            String value = values.get(key);
            if (value == null) {
                m.writeU8(ret, 0, "config.get: return area");
                return null;
            }
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            int ptr = m.lowerBytes(bytes);
            m.writeU8(ret, 1, "config.get: return area");
            m.writeInt(ret + 4, ptr, "config.get: return area");
            m.writeInt(ret + 8, bytes.length, "config.get: return area");
            return null;
        }));
    }
}
