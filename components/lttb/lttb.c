/* lttb: streaming Largest-Triangle-Three-Buckets, one engine per series (engine.c ports the Java StreamingLttb).
 *
 * Configuration (config import, read on first use; a bad value makes every call return err):
 *   bucket-nanos    bucket width Δ, required, > 0
 *   lateness-nanos  allowed lateness, default min(bucket-nanos, 1e9)
 *   gap-buckets     empty buckets that make a gap, default 3
 *   reorder-cap     most samples held per series, default 65536
 *   hull-cap        most vertices per hull chain, default 4096
 *   max-series      most series, default 1024 (a new series beyond it is an err naming it)
 *
 * State (snapshot/restore), big-endian: "SPLC" (0x53504C43), version 1 (i32), series count (i32), then per series
 * in byte order of the names: name (i32 length + UTF-8), engine snapshot (i32 length + bytes, byte-identical to
 * StreamingLttb.snapshot()). Restore takes every engine's settings from its snapshot, as StreamingLttb.restore. */
#define SPINDLE_PROCESSOR_IMPLEMENTATION
#include "../sdk/spindle_processor.h"
#include "engine.h"

#define COLD __attribute__((minsize, noinline))

#define SET_MAGIC 0x53504C43 /* "SPLC" */
#define SET_VERSION 1
#define MAX_SERIES_LIMIT (1 << 20)

typedef struct series {
    char *name;
    uint32_t len, hash;
    lttb_engine *engine;
} series;

/* The series table: entries in an array, found through an open-addressing index of entry numbers + 1. */
typedef struct table {
    series *items;
    uint32_t n, cap;
    uint32_t *index;
    uint32_t mask; /* index size - 1 */
} table;

static table tab;
static int configured;
static lttb_config cfg;
static int64_t max_series;

COLD static uint32_t hash_of(const char *s, size_t n) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

COLD static void table_free(table *t) {
    for (uint32_t i = 0; i < t->n; i++) {
        free(t->items[i].name);
        lttb_free(t->items[i].engine);
    }
    free(t->items);
    free(t->index);
    memset(t, 0, sizeof *t);
}

COLD static series *table_find(const table *t, const char *s, size_t n, uint32_t h) {
    if (!t->index) return NULL;
    for (uint32_t k = h & t->mask;; k = (k + 1) & t->mask) {
        uint32_t x = t->index[k];
        if (!x) return NULL;
        series *e = &t->items[x - 1];
        if (e->hash == h && e->len == n && memcmp(e->name, s, n) == 0) return e;
    }
}

/* Adds an entry (not present); traps when memory runs out. */
COLD static series *table_put(table *t, const char *s, size_t n, uint32_t h, lttb_engine *engine) {
    if (t->n == t->cap) {
        uint32_t cap = t->cap ? t->cap * 2 : 8;
        series *items = realloc(t->items, (size_t)cap * sizeof *items);
        if (!items) spx_trap();
        t->items = items;
        t->cap = cap;
    }
    if (!t->index || (t->n + 1) * 2 > t->mask + 1) { /* keep the index at most half full */
        uint32_t size = t->index ? (t->mask + 1) * 2 : 16;
        uint32_t *index = calloc(size, 4);
        if (!index) spx_trap();
        free(t->index);
        t->index = index;
        t->mask = size - 1;
        for (uint32_t i = 0; i < t->n; i++) {
            uint32_t k = t->items[i].hash & t->mask;
            while (index[k]) k = (k + 1) & t->mask;
            index[k] = i + 1;
        }
    }
    series *e = &t->items[t->n];
    e->name = malloc(n ? n : 1);
    if (!e->name) spx_trap();
    if (n) memcpy(e->name, s, n);
    e->len = (uint32_t)n;
    e->hash = h;
    e->engine = engine;
    uint32_t k = h & t->mask;
    while (t->index[k]) k = (k + 1) & t->mask;
    t->index[k] = ++t->n;
    return e;
}

COLD static int config_int(const char *key, int64_t dflt, int64_t lo, int64_t hi, int64_t *out) {
    if (spx_config_i64(key, dflt, out) != SPX_OK) return SPX_ERR;
    if (*out < lo || *out > hi) {
        spx_err_cat("config ");
        spx_err_cat(key);
        spx_err_cat(" must be in [");
        spx_err_i64(lo);
        spx_err_cat(", ");
        spx_err_i64(hi);
        spx_err_cat("], got ");
        spx_err_i64(*out);
        return SPX_ERR;
    }
    return SPX_OK;
}

/* Reads and checks the configuration once; SPX_ERR (with the message) while it is invalid. */
COLD static int configure(void) {
    if (configured) return SPX_OK;
    int64_t bucket, lateness, gap, reorder, hull, maxs;
    if (spx_config_i64_req("bucket-nanos", &bucket) != SPX_OK) return SPX_ERR;
    if (config_int("lateness-nanos", bucket < 1000000000 ? bucket : 1000000000, INT64_MIN, INT64_MAX, &lateness) != SPX_OK
        || config_int("gap-buckets", 3, 1, INT32_MAX, &gap) != SPX_OK
        || config_int("reorder-cap", 1 << 16, 1, INT32_MAX, &reorder) != SPX_OK
        || config_int("hull-cap", 4096, 4, INT32_MAX, &hull) != SPX_OK
        || config_int("max-series", 1024, 1, MAX_SERIES_LIMIT, &maxs) != SPX_OK)
        return SPX_ERR;
    lttb_config c = {bucket, lateness, (int32_t)gap, (int32_t)reorder, (int32_t)hull};
    spx_err_cat("config: ");
    if (lttb_config_check(&c) != SPX_OK) return SPX_ERR;
    spx_err_reset();
    cfg = c;
    max_series = maxs;
    configured = 1;
    return SPX_OK;
}

/* Appends before + the series name (at most 200 bytes, cut at a character boundary) + after. */
COLD static void err_series(const char *before, spx_str s, const char *after) {
    size_t n = s.len;
    if (n > 200)
        for (n = 200; n > 0 && ((unsigned char)s.ptr[n] & 0xC0) == 0x80;) n--;
    spx_err_cat(before);
    spx_err_catn(s.ptr, n);
    if (n < s.len) spx_err_cat("...");
    spx_err_cat(after);
}

int spx_process(spx_str s, const int64_t *times, const double *values, size_t n, spx_out *out) {
    if (configure() != SPX_OK) return SPX_ERR;
    if (n > INT32_MAX) return spx_fail("batch too large");
    uint32_t h = hash_of(s.ptr, s.len);
    series *e = table_find(&tab, s.ptr, s.len, h);
    if (!e) {
        if ((int64_t)tab.n >= max_series) {
            err_series("series '", s, "' would exceed max-series ");
            spx_err_i64(max_series);
            return SPX_ERR;
        }
        e = table_put(&tab, s.ptr, s.len, h, lttb_new(&cfg));
    }
    lttb_add(e->engine, times, values, (int)n, out);
    return SPX_OK;
}

int spx_flush(spx_str s, spx_out *out) {
    if (configure() != SPX_OK) return SPX_ERR;
    series *e = table_find(&tab, s.ptr, s.len, hash_of(s.ptr, s.len));
    if (e) lttb_flush(e->engine, out); /* a series never seen holds nothing */
    return SPX_OK;
}

static int by_name(const series *x, const series *y) {
    uint32_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->name, y->name, n);
    if (c) return c;
    return x->len < y->len ? -1 : x->len > y->len;
}

/* Heapsort of the entries by name (snapshot order). */
COLD static void sort_by_name(const series **a, uint32_t n) {
    for (uint32_t end = n, start = n / 2;;) {
        uint32_t root;
        if (start > 0) {
            root = --start;
        } else {
            if (end <= 1) return;
            const series *top = a[0];
            a[0] = a[--end];
            a[end] = top;
            root = 0;
        }
        for (uint32_t child; (child = 2 * root + 1) < end; root = child) {
            if (child + 1 < end && by_name(a[child], a[child + 1]) < 0) child++;
            if (by_name(a[root], a[child]) >= 0) break;
            const series *x = a[root];
            a[root] = a[child];
            a[child] = x;
        }
    }
}

COLD void spx_snapshot(spx_buf *b) {
    spx_put_i32(b, SET_MAGIC);
    spx_put_i32(b, SET_VERSION);
    spx_put_i32(b, (int32_t)tab.n);
    const series **order = malloc((tab.n ? tab.n : 1) * sizeof *order);
    if (!order) spx_trap();
    for (uint32_t i = 0; i < tab.n; i++) order[i] = &tab.items[i];
    sort_by_name(order, tab.n);
    for (uint32_t i = 0; i < tab.n; i++) {
        const series *e = order[i];
        spx_put_i32(b, (int32_t)e->len);
        spx_put_bytes(b, e->name, e->len);
        size_t at = b->len;
        spx_put_i32(b, 0); /* block length, patched below */
        lttb_snapshot(e->engine, b);
        uint32_t block = (uint32_t)(b->len - at - 4);
        b->data[at] = (uint8_t)(block >> 24);
        b->data[at + 1] = (uint8_t)(block >> 16);
        b->data[at + 2] = (uint8_t)(block >> 8);
        b->data[at + 3] = (uint8_t)block;
    }
    free(order);
}

COLD int spx_restore(const uint8_t *bytes, size_t len) {
    if (configure() != SPX_OK) return SPX_ERR;
    spx_reader r = spx_reader_of(bytes, len);
    table fresh;
    memset(&fresh, 0, sizeof fresh);
    uint32_t magic = spx_get_u32(&r);
    int32_t version = spx_get_i32(&r);
    int32_t count = spx_get_i32(&r);
    if (r.bad) goto truncated;
    if (magic != SET_MAGIC) return spx_fail("not an lttb component snapshot (bad magic)");
    if (version != SET_VERSION) {
        spx_err_cat("lttb snapshot version ");
        spx_err_i64(version);
        spx_err_cat(" is not supported (expected 1)");
        return SPX_ERR;
    }
    if (count < 0 || count > max_series) {
        spx_err_cat("lttb snapshot holds ");
        spx_err_i64(count);
        spx_err_cat(" series, outside [0, max-series ");
        spx_err_i64(max_series);
        spx_err_cat("]");
        return SPX_ERR;
    }
    for (int32_t i = 0; i < count; i++) {
        /* a negative length is taken as a huge one: too long for the bytes left */
        size_t nlen = (size_t)spx_get_i32(&r);
        const char *name = (const char *)spx_get_bytes(&r, nlen);
        size_t blen = (size_t)spx_get_i32(&r);
        const uint8_t *block = spx_get_bytes(&r, blen);
        if (r.bad) goto truncated;
        spx_str s = {name, nlen};
        uint32_t h = hash_of(name, nlen);
        if (!spx_utf8_valid(name, nlen)) {
            spx_err_cat("lttb snapshot is corrupt: a series name is not UTF-8");
            goto fail;
        }
        if (table_find(&fresh, name, nlen, h)) {
            err_series("lttb snapshot is corrupt: series '", s, "' appears twice");
            goto fail;
        }
        lttb_engine *engine = lttb_restore(block, blen);
        if (!engine) { /* the engine's reason is in the message; say which series */
            err_series(" (series '", s, "')");
            goto fail;
        }
        table_put(&fresh, name, nlen, h, engine);
    }
    if (spx_remaining(&r) != 0) {
        spx_err_cat("lttb snapshot has trailing bytes");
        goto fail;
    }
    table_free(&tab);
    tab = fresh;
    return SPX_OK;
truncated:
    spx_err_cat("lttb snapshot is truncated or corrupt");
fail:
    table_free(&fresh);
    return SPX_ERR;
}
