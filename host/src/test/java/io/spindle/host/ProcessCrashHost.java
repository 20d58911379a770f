package io.spindle.host;

import io.spindle.lattice.LatticeClient;
import io.spindle.lattice.Link;
import io.spindle.lattice.transport.NatsTransport;
import io.spindle.providers.MessagingProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A whole deployment in a process of its own, for {@link ProcessCrashTest}:
 * {@code ProcessCrashHost NATS_URL LATTICE DATA_DIR LTTB_WASM BUCKET_NANOS CHECKPOINT_MESSAGES CHECKPOINT_INTERVAL_MS}.
 *
 * <p>Starts a host on NATS with a data directory (its id and compiled-module cache survive incarnations), then, as an
 * operator would after a restart, over the control interface: config {@code lttb-cfg} (bucket-nanos) and {@code feed}
 * (subscribe {@code spindle.data.<lattice>.raw.>}, publish-prefix {@code spindle.data.<lattice>.lttb}), the messaging
 * provider {@code msg}, the LTTB component {@code lttb} (which restores its checkpoint) and the link that feeds it from
 * the data stream (all idempotent). Prints {@code READY <host id> <first stream sequence the feed reads>} once the
 * feed runs. SIGTERM closes it cleanly; SIGKILL is the crash under test.
 */
public final class ProcessCrashHost {
    private ProcessCrashHost() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0], lattice = args[1], lttb = args[3];
        Path dir = Path.of(args[2]);
        long bucket = Long.parseLong(args[4]);
        String every = args[5], intervalMs = args[6];
        NatsTransport t = NatsTransport.connect(url, "crash-host");
        Host h = Host.builder(t).lattice(lattice).friendlyName("crash-host").dataDir(dir).heartbeat(Duration.ofSeconds(1)).build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            h.close();
            t.close();
        }));
        LatticeClient c = new LatticeClient(t, lattice, Duration.ofSeconds(20));
        c.putConfig("lttb-cfg", Map.of("bucket-nanos", Long.toString(bucket)));
        c.putConfig("feed", Map.of(MessagingProvider.SUBSCRIBE, "spindle.data." + lattice + ".raw.>", MessagingProvider.PUBLISH_PREFIX,
                "spindle.data." + lattice + ".lttb"));
        c.startProvider(h.id(), "spindle:messaging", "msg", null);
        c.startComponent(h.id(), lttb, "lttb", Map.of(Host.CHECKPOINT_MESSAGES_ANNOTATION, every, Host.CHECKPOINT_INTERVAL_ANNOTATION, intervalMs),
                List.of("lttb-cfg"));
        c.putLink(new Link("msg", "lttb", null, "spindle", "telemetry", List.of("processor"), List.of("feed"), null));
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (h.feeds().isEmpty()) {
            if (System.nanoTime() > end) throw new IllegalStateException("the feed of lttb did not start: " + h.linkStatus());
            Thread.sleep(2);
        }
        System.out.println("READY " + h.id() + " " + h.feeds().get(0).startedFrom());
        System.out.flush();
        h.awaitStopped();
    }
}
