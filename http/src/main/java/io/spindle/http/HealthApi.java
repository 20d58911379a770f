package io.spindle.http;

import io.javalin.http.Context;
import io.spindle.store.SeriesStore;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code GET /healthz}: the process is up and serving. {@code GET /readyz}: the store answers a cheap query (a
 * series-id lookup) within {@code probeMillis}; otherwise 503 with the reason. A probe that hangs (a database that
 * stopped answering) is not piled up on: until it returns, later checks answer 503 at once.
 */
final class HealthApi implements AutoCloseable {
    private static final String PROBE_SERIES = "\u0001spindle-readyz-probe";

    private final SeriesStore store;
    private final long probeMillis;
    private final ExecutorService probes = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "spindle-http-readyz");
        t.setDaemon(true);
        return t;
    });
    private Future<?> running;

    HealthApi(SeriesStore store, long probeMillis) {
        this.store = store;
        this.probeMillis = probeMillis;
    }

    void healthz(Context ctx) {
        ctx.contentType("application/json").result("{\"status\":\"up\"}");
    }

    void readyz(Context ctx) throws IOException {
        String reason = probe();
        JsonOut o = new JsonOut();
        o.g.writeStartObject();
        o.g.writeStringField("status", reason == null ? "ready" : "not ready");
        if (reason != null) o.g.writeStringField("reason", reason);
        o.g.writeStringField("store", store.location());
        o.g.writeEndObject();
        ctx.status(reason == null ? 200 : 503);
        GrafanaApi.json(ctx, o);
    }

    /** Null when the store answered, else why not. */
    private String probe() {
        Future<?> f;
        synchronized (this) {
            if (running != null && !running.isDone()) return "the store has not answered the previous readiness probe yet";
            f = running = probes.submit(() -> store.count(PROBE_SERIES, SeriesStore.RAW, 0, 1));
        }
        try {
            f.get(probeMillis, TimeUnit.MILLISECONDS);
            return null;
        } catch (TimeoutException e) {
            return "the store did not answer within " + probeMillis + " ms";
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            return "store query failed: " + (c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while probing the store";
        }
    }

    @Override
    public void close() {
        probes.shutdownNow();
    }
}
