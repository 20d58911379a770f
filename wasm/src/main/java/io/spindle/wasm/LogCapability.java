package io.spindle.wasm;

import com.dylibso.chicory.runtime.HostFunction;
import java.util.List;

/** {@code spindle:telemetry/log}: guest log lines, attributed to the component and call, truncated to a bound. */
public final class LogCapability implements Capability {
    /** Longest message kept, in bytes; the rest is cut and marked, so a guest cannot flood the host's logs. */
    public static final int MAX_MESSAGE_BYTES = 4096;
    private static final String[] LEVELS = {"trace", "debug", "info", "warn", "error"};

    /** Receives guest log lines. */
    @FunctionalInterface
    public interface Sink {
        /** One line: level is trace, debug, info, warn or error. */
        void log(String component, String call, String level, String message);
    }

    private final Sink sink;

    /** Log lines go to sink. */
    public LogCapability(Sink sink) {
        this.sink = sink;
    }

    /** Log lines go to the JVM's System.Logger named "spindle.component". */
    public static LogCapability systemLogger() {
        System.Logger logger = System.getLogger("spindle.component");
        return new LogCapability((component, call, level, message) -> logger.log(switch (level) {
            case "trace" -> System.Logger.Level.TRACE;
            case "debug" -> System.Logger.Level.DEBUG;
            case "info" -> System.Logger.Level.INFO;
            case "warn" -> System.Logger.Level.WARNING;
            default -> System.Logger.Level.ERROR;
        }, "[{0}] {1}: {2}", component, call, message));
    }

    @Override
    public String interfaceId() {
        return World.LOG;
    }

    @Override
    public List<HostFunction> bind(GuestContext guest) {
        return List.of(new HostFunction(World.LOG, "log", World.fn(3, 0), (instance, args) -> {
            int level = (int) args[0];
            if (level < 0 || level >= LEVELS.length) throw new AbiViolation("log: level " + level + " is not one of 0..4");
            int len = (int) args[2];
            boolean cut = Integer.toUnsignedLong(len) > MAX_MESSAGE_BYTES;
            GuestMemory m = guest.memory(instance);
            m.check((int) args[1], Integer.toUnsignedLong(len), "log: message");
            String text = m.readString((int) args[1], cut ? MAX_MESSAGE_BYTES : len, "log: message");
            sink.log(guest.component(), guest.call(), LEVELS[level], cut ? text + "... (" + len + " bytes, cut)" : text);
            return null;
        }));
    }
}
