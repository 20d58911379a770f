package io.spindle.host;

import io.spindle.lattice.LatticeClient;
import io.spindle.lattice.Subjects;
import io.spindle.lattice.transport.DurableStream;
import io.spindle.lattice.transport.InProcessTransport;
import io.spindle.providers.Provider;
import io.spindle.providers.store.StoreProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The demo's host in a process of its own, for {@link PipelineCrashTest}: {@code PipelineCrashChild DATA_DIR LTTB_WASM}.
 * The embedded lattice (in-process transport, persistent under DATA_DIR/lattice), a host with DATA_DIR/host, and the
 * edge pipeline (messaging -> lttb.wasm -> store in DATA_DIR/store.db) set up through the control interface, all
 * idempotent. Prints {@code READY}, {@code AT <committed> <last>} (the store's
 * committed stream sequence and the stream's last) every 50 ms, then {@code DRAINED <sequence>} once the store has committed the whole stream and
 * nothing moved for 500 ms. SIGTERM closes it cleanly; SIGKILL is the crash under test.
 */
public final class PipelineCrashChild {
    private PipelineCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String lattice = "crash";
        InProcessTransport t = new InProcessTransport(InProcessTransport.Options.persistent(dir.resolve("lattice")).withStreamSync(Duration.ofSeconds(1)));
        Host h = Host.builder(t).lattice(lattice).friendlyName("edge").dataDir(dir.resolve("host")).build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            h.close();
            t.close();
        }));
        LatticeClient c = new LatticeClient(t, lattice, Duration.ofSeconds(30));
        new EdgePipeline(Path.of(args[1]), PipelineCrashTest.BUCKET_NANOS,
                Map.of("uri", "sqlite:" + dir.resolve("store.db"), "commit-ms", "50"), Map.of()).apply(c, h.id());
        System.out.println("READY");
        System.out.flush();
        StoreProvider store = null;
        for (Provider p : h.providers()) if (p instanceof StoreProvider s) store = s;
        Subjects s = new Subjects(lattice);
        DurableStream stream = t.stream(s.dataStream(), List.of(s.dataSubjects()));
        long stableSince = -1, lastSeen = -1, lastSaid = 0;
        while (true) {
            long last = stream.lastSequence();
            long committed = store.stats().committedSequence();
            boolean caughtUp = committed >= last;
            if (System.nanoTime() - lastSaid > 50_000_000L) {
                lastSaid = System.nanoTime();
                System.out.println("AT " + committed + " " + last);
                System.out.flush();
            }
            if (caughtUp && last == lastSeen) {
                if (stableSince < 0) stableSince = System.nanoTime();
                else if (System.nanoTime() - stableSince > 500_000_000L) break;
            } else {
                stableSince = -1;
            }
            lastSeen = last;
            Thread.sleep(10);
        }
        System.out.println("DRAINED " + lastSeen);
        System.out.flush();
        h.awaitStopped();
    }
}
