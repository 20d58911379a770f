/* Streaming LTTB over one series: a C port of io.spindle.downsample.stream.StreamingLttb (with BucketHull and
 * Robust) that emits exactly what the Java engine emits and snapshots to the same bytes. */
#ifndef SPINDLE_LTTB_ENGINE_H
#define SPINDLE_LTTB_ENGINE_H

#include "../sdk/spindle_processor.h"

typedef struct lttb_config {
    int64_t bucket_nanos, lateness_nanos;
    int32_t gap_buckets, reorder_cap, hull_cap;
} lttb_config;

typedef struct lttb_engine lttb_engine;

/* Checks settings as StreamConfig's constructor does; on SPX_ERR the message is set (spx_err_*). */
int lttb_config_check(const lttb_config *c);

/* A fresh series (settings already checked). Traps when memory runs out. */
lttb_engine *lttb_new(const lttb_config *c);
void lttb_free(lttb_engine *e);

/* StreamingLttb.add(t, v, from, to) over samples [0, n), emitting into out; adds this call's late and invalid
 * counts to out->late / out->invalid. */
void lttb_add(lttb_engine *e, const int64_t *t, const double *v, int n, spx_out *out);
/* StreamingLttb.flush(), emitting into out. */
void lttb_flush(lttb_engine *e, spx_out *out);

/* StreamingLttb.snapshot(): the same bytes. */
void lttb_snapshot(const lttb_engine *e, spx_buf *b);
/* StreamingLttb.restore(bytes): a new engine, or NULL with the reason set (spx_err_*). */
lttb_engine *lttb_restore(const uint8_t *bytes, size_t len);

#endif
