package io.spindle.sources.shdr;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Settings of an {@link ShdrSource}.
 *
 * @param host           the adapter's host name or address
 * @param port           its TCP port (MTConnect adapters listen on 7878 by default)
 * @param device         device name for data items without a {@code device:} prefix; series are {@code <device>/<key>}
 * @param connectTimeout how long one connection attempt may take
 * @param heartbeat      the PING interval until the adapter's {@code * PONG <ms>} sets its own; a connection that
 *                       brings neither data nor a PONG for twice the interval in force is dead
 * @param backoffMin     the first wait before reconnecting; it doubles with every failed attempt ...
 * @param backoffMax     ... up to this bound, with jitter, and starts over after a connection that brought data
 * @param maxLineBytes   longest line accepted; a longer one is refused and skipped up to its end
 */
public record ShdrSourceConfig(String host, int port, String device, Duration connectTimeout, Duration heartbeat,
                               Duration backoffMin, Duration backoffMax, int maxLineBytes) {
    /** The MTConnect adapter port. */
    public static final int DEFAULT_PORT = 7878;
    /** Keys that {@link #fromConfig} reads. */
    public static final String HOST = "host", PORT = "port", DEVICE = "device", CONNECT_TIMEOUT = "connect-timeout",
            HEARTBEAT = "heartbeat", BACKOFF_MIN = "backoff-min", BACKOFF_MAX = "backoff-max",
            MAX_LINE_BYTES = "max-line-bytes";
    private static final List<String> KEYS = List.of(HOST, PORT, DEVICE, CONNECT_TIMEOUT, HEARTBEAT, BACKOFF_MIN,
            BACKOFF_MAX, MAX_LINE_BYTES);
    private static final Duration MIN_HEARTBEAT = Duration.ofMillis(10), MAX_HEARTBEAT = Duration.ofHours(1);

    public ShdrSourceConfig {
        if (host == null || host.isBlank()) throw new IllegalArgumentException(HOST + ": must not be blank");
        if (port < 1 || port > 65_535) throw new IllegalArgumentException(PORT + ": " + port + " is not a TCP port (1-65535)");
        if (device == null || device.isBlank() || device.chars().anyMatch(c -> c == '/' || Character.isWhitespace(c)))
            throw new IllegalArgumentException(DEVICE + ": '" + device + "' must be a non-blank name without '/' or spaces");
        positive(CONNECT_TIMEOUT, connectTimeout);
        positive(HEARTBEAT, heartbeat);
        if (heartbeat.compareTo(MIN_HEARTBEAT) < 0 || heartbeat.compareTo(MAX_HEARTBEAT) > 0)
            throw new IllegalArgumentException(HEARTBEAT + ": " + heartbeat.toMillis() + "ms is outside 10ms..1h");
        positive(BACKOFF_MIN, backoffMin);
        positive(BACKOFF_MAX, backoffMax);
        if (backoffMax.compareTo(backoffMin) < 0)
            throw new IllegalArgumentException(BACKOFF_MAX + ": " + backoffMax.toMillis() + "ms is below "
                    + BACKOFF_MIN + " (" + backoffMin.toMillis() + "ms)");
        if (maxLineBytes < 1024 || maxLineBytes > (64 << 20))
            throw new IllegalArgumentException(MAX_LINE_BYTES + ": " + maxLineBytes + " is outside 1024..67108864");
    }

    /** Defaults for everything but the adapter's address and the device name. */
    public static Builder builder(String host, String device) {
        return new Builder(host, device);
    }

    /**
     * Reads link config: {@code host} and {@code device} are required; {@code port} (default 7878),
     * {@code connect-timeout} (5s), {@code heartbeat} (10s), {@code backoff-min} (250ms), {@code backoff-max} (30s)
     * and {@code max-line-bytes} (1048576) are optional. Durations need a unit: {@code ms}, {@code s} or {@code m}.
     *
     * @throws IllegalArgumentException naming the key and the reason, for an unknown key, a missing one or a bad value
     */
    public static ShdrSourceConfig fromConfig(Map<String, String> config) {
        Map<String, String> c = new LinkedHashMap<>(config);
        for (String key : c.keySet())
            if (!KEYS.contains(key)) throw new IllegalArgumentException("unknown key '" + key + "' (known: "
                    + String.join(", ", KEYS) + ")");
        Builder b = builder(required(c, HOST), required(c, DEVICE));
        if (c.containsKey(PORT)) b.port(integer(c, PORT));
        if (c.containsKey(CONNECT_TIMEOUT)) b.connectTimeout(duration(c, CONNECT_TIMEOUT));
        if (c.containsKey(HEARTBEAT)) b.heartbeat(duration(c, HEARTBEAT));
        if (c.containsKey(BACKOFF_MIN)) b.backoffMin(duration(c, BACKOFF_MIN));
        if (c.containsKey(BACKOFF_MAX)) b.backoffMax(duration(c, BACKOFF_MAX));
        if (c.containsKey(MAX_LINE_BYTES)) b.maxLineBytes(integer(c, MAX_LINE_BYTES));
        return b.build();
    }

    private static void positive(String key, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException(key + ": must be a positive duration");
    }

    private static String required(Map<String, String> c, String key) {
        String v = c.get(key);
        if (v == null || v.isBlank()) throw new IllegalArgumentException(key + ": required");
        return v.strip();
    }

    private static int integer(Map<String, String> c, String key) {
        String v = c.get(key) == null ? "" : c.get(key).strip();
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + v + "' is not an integer");
        }
    }

    /** A number with a unit: 500ms, 2s, 1.5s, 1m. */
    static Duration duration(Map<String, String> c, String key) {
        String v = c.get(key) == null ? "" : c.get(key).strip().toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < v.length() && (Character.isDigit(v.charAt(i)) || v.charAt(i) == '.')) i++;
        long unitNanos = switch (v.substring(i)) {
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> -1;
        };
        try {
            if (unitNanos < 0 || i == 0) throw new NumberFormatException();
            return Duration.ofNanos(new BigDecimal(v.substring(0, i)).multiply(BigDecimal.valueOf(unitNanos)).longValueExact());
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(key + ": '" + c.get(key) + "' is not a duration (e.g. 500ms, 2s, 1m)");
        }
    }

    /** Builds a config; every setter has a default but host and device. */
    public static final class Builder {
        private final String host, device;
        private int port = DEFAULT_PORT;
        private Duration connectTimeout = Duration.ofSeconds(5), heartbeat = Duration.ofSeconds(10),
                backoffMin = Duration.ofMillis(250), backoffMax = Duration.ofSeconds(30);
        private int maxLineBytes = 1 << 20;

        private Builder(String host, String device) {
            this.host = host;
            this.device = device;
        }

        /** The adapter's TCP port (default 7878). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Time allowed for one connection attempt (default 5s). */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = d;
            return this;
        }

        /** PING interval until the adapter's PONG sets one (default 10s). */
        public Builder heartbeat(Duration d) {
            this.heartbeat = d;
            return this;
        }

        /** First reconnect wait (default 250ms). */
        public Builder backoffMin(Duration d) {
            this.backoffMin = d;
            return this;
        }

        /** Longest reconnect wait (default 30s). */
        public Builder backoffMax(Duration d) {
            this.backoffMax = d;
            return this;
        }

        /** Longest accepted line in bytes (default 1 MiB). */
        public Builder maxLineBytes(int n) {
            this.maxLineBytes = n;
            return this;
        }

        /** The checked config. */
        public ShdrSourceConfig build() {
            return new ShdrSourceConfig(host, port, device, connectTimeout, heartbeat, backoffMin, backoffMax, maxLineBytes);
        }
    }
}
