package io.spindle.wasm;

import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A WIT world at the core-module level (see {@code wit/ABI.md}): the core functions a guest must export, those it may
 * export, and, per imported interface, the core functions it may import. A guest importing anything else, or with
 * a signature that differs, is refused before it runs.
 *
 * @param id              e.g. {@code spindle:telemetry/processor@0.1.0}, also the content of the guest's
 *                        {@code spindle:world} custom section
 * @param requiredExports core export name to type; {@code memory} is always required too
 * @param optionalExports exports the host calls when present (e.g. {@code _initialize})
 * @param imports         interface id (the core import module) to its functions, name to type
 */
public record World(String id, Map<String, FunctionType> requiredExports, Map<String, FunctionType> optionalExports,
                    Map<String, Map<String, FunctionType>> imports) {
    /** The custom section naming a guest's world. */
    public static final String WORLD_SECTION = "spindle:world";
    /** The interface id of {@code spindle:telemetry/log}. */
    public static final String LOG = "spindle:telemetry/log@0.1.0";
    /** The interface id of {@code spindle:telemetry/config}. */
    public static final String CONFIG = "spindle:telemetry/config@0.1.0";

    /** The interface id of {@code spindle:messaging/publisher} ({@code wit/messaging.wit}), granted by links only. */
    public static final String MESSAGING_PUBLISHER = "spindle:messaging/publisher@0.1.0";
    /** The interface id of {@code spindle:keyvalue/store} ({@code wit/keyvalue.wit}), granted by links only. */
    public static final String KEYVALUE_STORE = "spindle:keyvalue/store@0.1.0";

    private static final ValType I = ValType.I32;

    /**
     * {@code spindle:telemetry/processor@0.1.0}: process, flush, snapshot, restore; imports log and config, and may
     * import messaging/publisher and keyvalue/store (which a host grants through links only).
     */
    public static final World PROCESSOR = new World("spindle:telemetry/processor@0.1.0",
            ordered("cabi_realloc", fn(4, 1),
                    "process", fn(6, 1), "cabi_post_process", fn(1, 0),
                    "flush", fn(2, 1), "cabi_post_flush", fn(1, 0),
                    "snapshot", fn(0, 1), "cabi_post_snapshot", fn(1, 0),
                    "restore", fn(2, 1), "cabi_post_restore", fn(1, 0)),
            ordered("_initialize", fn(0, 0)),
            Map.of(LOG, ordered("log", fn(3, 0)), CONFIG, ordered("get", fn(3, 0)),
                    MESSAGING_PUBLISHER, ordered("publish", fn(5, 0)),
                    KEYVALUE_STORE, ordered("get", fn(3, 0), "set", fn(5, 0), "delete", fn(3, 0))));

    public World {
        requiredExports = Map.copyOf(requiredExports);
        optionalExports = Map.copyOf(optionalExports);
        imports = Map.copyOf(imports);
    }

    /** A core function type of i32 parameters and results (for capabilities' host functions). */
    public static FunctionType fn(int params, int results) {
        return FunctionType.of(java.util.Collections.nCopies(params, I), java.util.Collections.nCopies(results, I));
    }

    private static Map<String, FunctionType> ordered(Object... kv) {
        Map<String, FunctionType> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], (FunctionType) kv[i + 1]);
        return m;
    }

    /** The worlds this runtime knows, by id. */
    public static List<World> known() {
        return List.of(PROCESSOR);
    }
}
