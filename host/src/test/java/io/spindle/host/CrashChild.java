package io.spindle.host;

import io.spindle.lattice.transport.NatsTransport;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A host in a process of its own, for {@link CrashTest}: {@code CrashChild NATS_URL LATTICE DATA_DIR}. Prints
 * {@code READY <host id>} once it has joined; SIGTERM closes it cleanly (checkpoints flushed, host_stopped), SIGKILL
 * is the crash under test. The data directory keeps its id and compiled modules across incarnations.
 */
public final class CrashChild {
    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        NatsTransport t = NatsTransport.connect(args[0], "crash-child");
        Host h = Host.builder(t).lattice(args[1]).friendlyName("crashy").dataDir(Path.of(args[2])).heartbeat(Duration.ofSeconds(1))
                .build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            h.close();
            t.close();
        }));
        System.out.println("READY " + h.id());
        System.out.flush();
        h.awaitStopped();
    }
}
