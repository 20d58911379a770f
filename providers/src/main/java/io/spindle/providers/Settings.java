package io.spindle.providers;

import java.util.List;
import java.util.Map;

/** Reading a provider's string settings: a bad value becomes a problem naming the key and the allowed range. */
public final class Settings {
    private Settings() {
    }

    /** config[key] as an integer in [min, max], def when absent; adds a problem (and returns def) when it is not. */
    public static long integer(Map<String, String> config, String key, long def, long min, long max, List<String> problems) {
        String s = config.get(key);
        if (s == null) return def;
        try {
            long v = Long.parseLong(s.trim());
            if (v >= min && v <= max) return v;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        problems.add(key + " '" + s + "' must be an integer in [" + min + ", " + max + "]");
        return def;
    }
}
