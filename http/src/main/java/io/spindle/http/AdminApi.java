package io.spindle.http;

import io.javalin.http.Context;
import io.spindle.store.SeriesStore;
import java.io.IOException;

/** Admin endpoints (write token required, see {@link BearerAuth}): {@code POST /api/v1/admin/retention}. */
final class AdminApi {
    private final SeriesStore store;

    AdminApi(SeriesStore store) {
        this.store = store;
    }

    /** Applies the raw ring's retention now: {@code {"rows_removed": n, "took_ms": t}}. */
    void retention(Context ctx) throws IOException {
        long t0 = System.nanoTime();
        long removed = store.enforceRetention();
        JsonOut o = new JsonOut();
        o.g.writeStartObject();
        o.g.writeNumberField("rows_removed", removed);
        o.g.writeNumberField("took_ms", (System.nanoTime() - t0) / 1e6);
        o.g.writeEndObject();
        GrafanaApi.json(ctx, o);
    }
}
