package io.spindle.deploy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Unmodifiable maps that keep the document's order (Map.copyOf does not). */
final class Maps {
    private Maps() {
    }

    static <K, V> Map<K, V> copy(Map<K, V> m) {
        return m == null || m.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }
}
