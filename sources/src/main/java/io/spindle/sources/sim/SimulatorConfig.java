package io.spindle.sources.sim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The settings of a {@link MachineSimulator}.
 *
 * @param machine  the device part of every series name ({@code <machine>/<channel>}): letters, digits, '.', '_', '-'
 * @param seed     everything the simulator generates is a function of the seed (and time)
 * @param channels vibration channels (vib0..vibN-1), 1 to 1,024
 * @param rateHz   vibration sample rate, 1,000 to 50,000 Hz
 * @param paced    true: samples are delivered as wall-clock time reaches them; false: as fast as the sink takes them
 * @param startNs  epoch ns of sample 0, or {@link #START_AT_WALL_CLOCK} for the moment {@code start} is called
 * @param chunkMs  how much signal time each delivery covers, 1 to 1,000 ms
 */
public record SimulatorConfig(String machine, long seed, int channels, int rateHz, boolean paced, long startNs, int chunkMs) {
    /** Most vibration channels (a pipeline benchmark runs hundreds to reach millions of samples per second). */
    public static final int MAX_CHANNELS = 1024;
    /** startNs meaning: the wall-clock time when the source starts. */
    public static final long START_AT_WALL_CLOCK = Long.MIN_VALUE;
    /** The keys {@link #fromMap} reads. */
    public static final List<String> KEYS = List.of("machine", "seed", "channels", "rate_hz", "paced", "start_ns", "chunk_ms");
    private static final Pattern MACHINE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public SimulatorConfig {
        if (machine == null || !MACHINE.matcher(machine).matches())
            throw bad("machine", machine, "must be 1-64 letters, digits, '.', '_' or '-'");
        if (channels < 1 || channels > MAX_CHANNELS) throw bad("channels", channels, "must be 1 to " + MAX_CHANNELS);
        if (rateHz < 1_000 || rateHz > 50_000) throw bad("rate_hz", rateHz, "must be 1000 to 50000");
        if (chunkMs < 1 || chunkMs > 1_000) throw bad("chunk_ms", chunkMs, "must be 1 to 1000");
        if (startNs < 0 && startNs != START_AT_WALL_CLOCK) throw bad("start_ns", startNs, "must be >= 0 (epoch ns)");
    }

    /** Machine "sim", seed 1, 3 channels at 10 kHz, paced, starting at the wall clock, 10 ms chunks. */
    public static SimulatorConfig defaults() {
        return new SimulatorConfig("sim", 1, 3, 10_000, true, START_AT_WALL_CLOCK, 10);
    }

    /** The defaults overridden by settings (keys {@link #KEYS}); unknown keys and bad values are refused by name. */
    public static SimulatorConfig fromMap(Map<String, String> settings) {
        SimulatorConfig d = defaults();
        Map<String, String> s = new LinkedHashMap<>(settings);
        for (String key : s.keySet())
            if (!KEYS.contains(key)) throw new IllegalArgumentException("simulator config: unknown key '" + key + "' (known: " + String.join(", ", KEYS) + ")");
        return new SimulatorConfig(
                s.getOrDefault("machine", d.machine()),
                s.containsKey("seed") ? parseLong("seed", s.get("seed")) : d.seed(),
                s.containsKey("channels") ? (int) parseLong("channels", s.get("channels"), 1, MAX_CHANNELS) : d.channels(),
                s.containsKey("rate_hz") ? (int) parseLong("rate_hz", s.get("rate_hz"), 1_000, 50_000) : d.rateHz(),
                s.containsKey("paced") ? parseBoolean("paced", s.get("paced")) : d.paced(),
                s.containsKey("start_ns") ? parseLong("start_ns", s.get("start_ns"), 0, Long.MAX_VALUE) : d.startNs(),
                s.containsKey("chunk_ms") ? (int) parseLong("chunk_ms", s.get("chunk_ms"), 1, 1_000) : d.chunkMs());
    }

    /** The same settings for another machine name. */
    public SimulatorConfig withMachine(String m) {
        return new SimulatorConfig(m, seed, channels, rateHz, paced, startNs, chunkMs);
    }

    /** The same settings with another seed. */
    public SimulatorConfig withSeed(long s) {
        return new SimulatorConfig(machine, s, channels, rateHz, paced, startNs, chunkMs);
    }

    /** The same settings with n vibration channels. */
    public SimulatorConfig withChannels(int n) {
        return new SimulatorConfig(machine, seed, n, rateHz, paced, startNs, chunkMs);
    }

    /** The same settings with another vibration rate. */
    public SimulatorConfig withRateHz(int hz) {
        return new SimulatorConfig(machine, seed, channels, hz, paced, startNs, chunkMs);
    }

    /** The same settings, paced or not. */
    public SimulatorConfig withPaced(boolean p) {
        return new SimulatorConfig(machine, seed, channels, rateHz, p, startNs, chunkMs);
    }

    /** The same settings with sample 0 at epoch ns t. */
    public SimulatorConfig withStartNs(long t) {
        return new SimulatorConfig(machine, seed, channels, rateHz, paced, t, chunkMs);
    }

    /** The same settings with another delivery chunk. */
    public SimulatorConfig withChunkMs(int ms) {
        return new SimulatorConfig(machine, seed, channels, rateHz, paced, startNs, ms);
    }

    private static IllegalArgumentException bad(String key, Object value, String why) {
        return new IllegalArgumentException("simulator config '" + key + "': " + value + " " + why);
    }

    private static long parseLong(String key, String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException | NullPointerException e) {
            throw bad(key, "'" + text + "'", "is not a whole number");
        }
    }

    private static long parseLong(String key, String text, long min, long max) {
        long x = parseLong(key, text);
        if (x < min || x > max) throw bad(key, x, "must be " + min + " to " + max);
        return x;
    }

    private static boolean parseBoolean(String key, String text) {
        String t = text == null ? "" : text.strip();
        if (t.equalsIgnoreCase("true")) return true;
        if (t.equalsIgnoreCase("false")) return false;
        throw bad(key, "'" + text + "'", "is not true or false");
    }
}
