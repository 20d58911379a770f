/*
 * spindle_processor.h: guest SDK for the world spindle:telemetry/processor@0.1.0 (wit/telemetry.wit).
 *
 * The canonical-ABI glue of wit/ABI.md in one header, so that a component is a few dozen lines of C:
 *
 *     #define SPINDLE_PROCESSOR_IMPLEMENTATION   // in exactly one .c file of the component
 *     #include "spindle_processor.h"
 *
 *     int spx_process(spx_str series, const int64_t *times, const double *values, size_t n, spx_out *out) {...}
 *     int spx_flush(spx_str series, spx_out *out) {...}
 *     void spx_snapshot(spx_buf *state) {...}
 *     int spx_restore(const uint8_t *bytes, size_t len) {...}
 *
 * The implementation part defines the core exports `cabi_realloc`, `process`, `flush`, `snapshot`, `restore` and
 * their `cabi_post_*` (return areas laid out as in ABI.md), and the `spindle:world` custom section. The exports call
 * the four callbacks above, which the component defines:
 *
 *  - spx_process / spx_flush append emitted samples to `out` with spx_emit (and spx_break before the first sample
 *    of a segment) and count refused samples in out->late / out->invalid. `out` starts empty on every call; its
 *    arrays are reused across calls. The callbacks return SPX_OK, or SPX_ERR after setting a message with
 *    spx_fail / spx_err_* (the call then returns err(message), and whatever was emitted is dropped).
 *  - spx_snapshot appends the whole state to `state` with the spx_put_* writers (big-endian).
 *  - spx_restore replaces the state with one taken by spx_snapshot, reading with spx_reader; on a bad input it
 *    returns SPX_ERR with a message and must leave the previous state as it was.
 *
 * The input columns are the guest's: the glue frees them after the callback returns (copy what must outlive it).
 * Error messages go to the host as `string`: keep them UTF-8 (do not echo bytes that are not). Return areas and
 * the emitted arrays stay valid until the host's cabi_post_* call; the arrays are then reused by the next call.
 *
 * Memory: malloc/realloc/calloc/free (and memcpy, memmove, memset, strlen) come from this header, a small size-class
 * allocator on memory.grow instead of wasi-libc's dlmalloc (define SPX_LIBC_MALLOC to use wasi-libc's). Nothing
 * imports WASI. An allocation that fails where the SDK cannot report an error (emitting, snapshotting, lowering
 * arguments) traps: the host stops the instance at its memory limit.
 *
 * Imports: spx_log and spx_config_* are the only users of the world's two imports; a component that never calls
 * them has no imports at all (the host then needs to grant nothing). Each import that is used must be granted.
 *
 * Build (components/build.sh): clang --target=wasm32-wasi -mbulk-memory -O2 -c, link with -mexec-model=reactor, wasm-opt.
 */
#ifndef SPINDLE_PROCESSOR_H
#define SPINDLE_PROCESSOR_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SPX_OK 0
#define SPX_ERR 1

/* log levels of the log interface */
enum spx_level { SPX_TRACE = 0, SPX_DEBUG = 1, SPX_INFO = 2, SPX_WARN = 3, SPX_ERROR = 4 };

/* A string the host lowered: UTF-8 bytes, not NUL-terminated. */
typedef struct spx_str {
    const char *ptr;
    size_t len;
} spx_str;

/* What a call emitted; the glue lays it out as the `emitted` record. */
typedef struct spx_out {
    int64_t *times;
    double *values;
    uint32_t n, cap;        /* emitted samples, capacity of times/values */
    uint32_t *breaks;
    uint32_t nbreaks, capbreaks;
    uint32_t late, invalid; /* this call's refused samples */
} spx_out;

/* A growable byte buffer (snapshots). */
typedef struct spx_buf {
    uint8_t *data;
    size_t len, cap;
} spx_buf;

/* A bounds-checked big-endian reader: reading past the end sets `bad` and yields zeros. */
typedef struct spx_reader {
    const uint8_t *p;
    size_t len, pos;
    int bad;
} spx_reader;

/* ---- callbacks the component defines ---- */
int spx_process(spx_str series, const int64_t *times, const double *values, size_t n, spx_out *out);
int spx_flush(spx_str series, spx_out *out);
void spx_snapshot(spx_buf *state);
int spx_restore(const uint8_t *bytes, size_t len);

/* ---- imports (core signatures of ABI.md) ---- */
__attribute__((import_module("spindle:telemetry/log@0.1.0"), import_name("log")))
void spx__import_log(int32_t level, const char *msg, size_t msg_len);
__attribute__((import_module("spindle:telemetry/config@0.1.0"), import_name("get")))
void spx__import_config_get(const char *key, size_t key_len, void *ret);

/* ---- helpers ---- */

/* Stops the instance (an allocation failed where no error can be returned). */
__attribute__((noreturn)) static inline void spx_trap(void) {
    __builtin_trap();
}

void spx__out_grow(spx_out *o);
void spx__breaks_grow(spx_out *o);

/* Appends an emitted sample. */
static inline void spx_emit(spx_out *o, int64_t t, double v) {
    if (__builtin_expect(o->n == o->cap, 0)) spx__out_grow(o);
    o->times[o->n] = t;
    o->values[o->n] = v;
    o->n++;
}

/* Marks the next emitted sample as the first of a segment (a reader draws a break before it). */
static inline void spx_break(spx_out *o) {
    if (o->nbreaks == o->capbreaks) spx__breaks_grow(o);
    o->breaks[o->nbreaks++] = o->n;
}

/* The error message of the current call: reset, append text / bytes / a decimal integer. */
void spx_err_reset(void);
void spx_err_cat(const char *s);
void spx_err_catn(const char *s, size_t n);
void spx_err_i64(int64_t v);
/* Sets the message to msg and returns SPX_ERR: `return spx_fail("bad input");`. */
int spx_fail(const char *msg);

/* Logs a message (imports log). */
void spx_log(int level, const char *msg);
void spx_logn(int level, const char *msg, size_t len);

/* The configured value of key as a NUL-terminated string the caller frees, or NULL when there is none (imports
 * config). *len (if not NULL) gets its length in bytes. */
char *spx_config_getn(const char *key, size_t *len);
static inline char *spx_config_get(const char *key) {
    return spx_config_getn(key, NULL);
}
/* The configured integer of key (decimal, optional sign, surrounding spaces allowed), or dflt when key is not
 * configured. Returns SPX_OK, or SPX_ERR with the message "config <key> = '<value>' is not an integer" (or out of
 * the 64-bit range). */
int spx_config_i64(const char *key, int64_t dflt, int64_t *out);
/* Like spx_config_i64, but a missing key is an error: "config <key> is required". */
int spx_config_i64_req(const char *key, int64_t *out);

/* Big-endian writers (DataOutputStream layout); they trap when memory runs out. */
void spx_put_bytes(spx_buf *b, const void *p, size_t n);
void spx_put_u8(spx_buf *b, uint8_t x);
void spx_put_u32(spx_buf *b, uint32_t x);
void spx_put_u64(spx_buf *b, uint64_t x);
static inline void spx_put_i32(spx_buf *b, int32_t x) { spx_put_u32(b, (uint32_t)x); }
static inline void spx_put_i64(spx_buf *b, int64_t x) { spx_put_u64(b, (uint64_t)x); }
/* As Java's DataOutput.writeDouble: the bits of doubleToLongBits (every NaN written as 0x7ff8000000000000). */
void spx_put_f64(spx_buf *b, double x);

/* Big-endian readers (DataInputStream layout): reading past the end sets r->bad and yields zeros. */
static inline spx_reader spx_reader_of(const uint8_t *p, size_t len) {
    spx_reader r = {p, len, 0, 0};
    return r;
}
static inline size_t spx_remaining(const spx_reader *r) {
    return r->len - r->pos;
}
/* A pointer to the next n bytes (and skips them), or NULL (and bad) if fewer remain. */
const uint8_t *spx_get_bytes(spx_reader *r, size_t n);
uint8_t spx_get_u8(spx_reader *r);
uint32_t spx_get_u32(spx_reader *r);
uint64_t spx_get_u64(spx_reader *r);
static inline int32_t spx_get_i32(spx_reader *r) { return (int32_t)spx_get_u32(r); }
static inline int64_t spx_get_i64(spx_reader *r) { return (int64_t)spx_get_u64(r); }
double spx_get_f64(spx_reader *r);
/* As Java's DataInput.readBoolean: any non-zero byte is true. */
static inline int spx_get_bool(spx_reader *r) { return spx_get_u8(r) != 0; }

/* Whether s[0..n) is well-formed UTF-8. */
int spx_utf8_valid(const char *s, size_t n);

#endif /* SPINDLE_PROCESSOR_H */

/* ================================================================================================================ */
#ifdef SPINDLE_PROCESSOR_IMPLEMENTATION
#undef SPINDLE_PROCESSOR_IMPLEMENTATION

/* The world marker: custom section `spindle:world` (kept by wasm-opt --strip-debug --strip-producers). */
__asm__(".section \".custom_section.spindle:world\",\"\",@\n"
        ".ascii \"spindle:telemetry/processor@0.1.0\"\n"
        ".text\n");

#define SPX_COLD __attribute__((minsize, noinline))

/* ---- allocation ---- */

#ifndef SPX_LIBC_MALLOC
/* A small allocator in place of wasi-libc's dlmalloc (which would triple the size of a small component). Blocks have
 * an 8-byte header and sizes in classes 2^k * {1, 1.25, 1.5, 1.75} (at least 32 bytes); a freed block goes to its
 * class's free list and is reused for that class only; new blocks are cut from the top of the heap, which grows
 * with memory.grow, and the block at the top grows in place on realloc. Waste is below 25% per block plus the
 * freed blocks of classes no longer asked for. Define SPX_LIBC_MALLOC to use wasi-libc's malloc (and memcpy, memmove,
 * memset) instead. */
#define SPX__LIVE 0x53505841u  /* "SPXA" */
#define SPX__FREED 0x46524545u /* "FREE" */
#define SPX__CLASSES 124       /* up to class 30 * 4 + 3 */
#define SPX__MAX ((size_t)1 << 30)

extern unsigned char __heap_base;
static uintptr_t spx__top, spx__end;
static void *spx__free_list[SPX__CLASSES];

typedef struct spx__hdr {
    uint32_t cls, magic;
} spx__hdr;

static size_t spx__class_size(unsigned c) {
    unsigned k = c >> 2;
    return ((size_t)1 << k) + ((size_t)(c & 3) << (k - 2));
}

/* The smallest class whose blocks hold total bytes (total <= SPX__MAX + 8). */
static unsigned spx__class_of(size_t total) {
    if (total <= 32) return 5 << 2;
    unsigned k = 31 - (unsigned)__builtin_clz((unsigned)total);
    size_t quarter = (size_t)1 << (k - 2);
    unsigned q = (unsigned)((total - ((size_t)1 << k) + quarter - 1) >> (k - 2));
    if (q == 4) return (k + 1) << 2;
    return k << 2 | q;
}

/* size bytes from the top of the heap, growing memory as needed; NULL when it cannot grow. */
SPX_COLD static void *spx__take(size_t size) {
    if (!spx__top) {
        spx__top = ((uintptr_t)&__heap_base + 15) & ~(uintptr_t)15;
        uint64_t end = (uint64_t)__builtin_wasm_memory_size(0) << 16;
        spx__end = end > 0xFFFFFFF0u ? 0xFFFFFFF0u : (uintptr_t)end;
    }
    if (size > spx__end - spx__top) {
        uint64_t pages = ((uint64_t)(size - (spx__end - spx__top)) + 65535) >> 16;
        if (__builtin_wasm_memory_grow(0, (size_t)pages) == (size_t)-1) return NULL;
        uint64_t end = (uint64_t)spx__end + (pages << 16);
        spx__end = end > 0xFFFFFFF0u ? 0xFFFFFFF0u : (uintptr_t)end;
        if (size > spx__end - spx__top) return NULL;
    }
    void *p = (void *)spx__top;
    spx__top += size;
    return p;
}

static spx__hdr *spx__header(void *p) {
    spx__hdr *h = (spx__hdr *)((char *)p - 8);
    if (h->magic != SPX__LIVE || h->cls >= SPX__CLASSES) spx_trap(); /* not a live block: freed twice or foreign */
    return h;
}

SPX_COLD void *malloc(size_t n) {
    if (n > SPX__MAX) return NULL;
    unsigned c = spx__class_of(n + 8);
    spx__hdr *h = (spx__hdr *)spx__free_list[c];
    if (h) spx__free_list[c] = *(void **)(h + 1);
    else if (!(h = (spx__hdr *)spx__take(spx__class_size(c)))) return NULL;
    h->cls = c;
    h->magic = SPX__LIVE;
    return h + 1;
}

SPX_COLD void free(void *p) {
    if (!p) return;
    spx__hdr *h = spx__header(p);
    h->magic = SPX__FREED;
    *(void **)p = spx__free_list[h->cls];
    spx__free_list[h->cls] = h;
}

SPX_COLD void *realloc(void *p, size_t n) {
    if (!p) return malloc(n);
    spx__hdr *h = spx__header(p);
    size_t have = spx__class_size(h->cls);
    if (n > SPX__MAX) return NULL;
    if (n + 8 <= have) return p;
    unsigned c = spx__class_of(n + 8);
    if ((uintptr_t)h + have == spx__top) { /* the top block grows in place */
        if (!spx__take(spx__class_size(c) - have)) return NULL;
        h->cls = c;
        return p;
    }
    void *q = malloc(n);
    if (!q) return NULL;
    memcpy(q, p, have - 8);
    free(p);
    return q;
}

SPX_COLD void *calloc(size_t n, size_t size) {
    if (size && n > SPX__MAX / size) return NULL;
    void *p = malloc(n * size);
    if (p) memset(p, 0, n * size);
    return p;
}
/* memcpy, memmove, memset: single bulk-memory instructions (memory.copy, memory.fill; build with -mbulk-memory), which
 * Chicory runs as System.arraycopy / Arrays.fill, instead of wasi-libc's 4-byte loops (2.5 KB). strlen: a loop;
 * no_builtin keeps clang from turning it back into a call to itself. */
void *memcpy(void *restrict dst, const void *restrict src, size_t n) {
    __builtin_memcpy(dst, src, n);
    return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
    __builtin_memmove(dst, src, n);
    return dst;
}

__attribute__((no_builtin("strlen"), minsize)) size_t strlen(const char *s) {
    const char *p = s;
    while (*p) p++;
    return (size_t)(p - s);
}

void *memset(void *dst, int c, size_t n) {
    __builtin_memset(dst, c, n);
    return dst;
}
#endif

__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *old, size_t old_size, size_t align, size_t new_size) {
    (void)old_size;
    if (align == 0 || align > 8 || (align & (align - 1))) spx_trap(); /* no canonical type is aligned beyond 8 */
    if ((uintptr_t)old <= 8) old = NULL; /* the pointer given for an empty list */
    if (new_size == 0) { /* an empty list or string: a dangling aligned pointer, never freed */
        free(old);
        return (void *)align;
    }
    void *p = realloc(old, new_size);
    if (!p) spx_trap(); /* the host cannot lower the argument */
    return p;
}

/* Frees an argument the host lowered (an empty one was never allocated). */
static void spx__free_arg(const void *p, size_t len) {
    if (len) free((void *)p);
}

/* ---- output builder ---- */

static spx_out spx__out;

/* realloc to n elements of size bytes, trapping when memory runs out. */
SPX_COLD static void *spx__grow(void *p, uint64_t n, size_t size) {
    uint64_t bytes = n * size;
    if (bytes >> 31) spx_trap();
    p = realloc(p, (size_t)bytes);
    if (!p) spx_trap();
    return p;
}

SPX_COLD void spx__out_grow(spx_out *o) {
    uint32_t cap = o->cap ? o->cap * 2 : 1024;
    o->times = (int64_t *)spx__grow(o->times, cap, 8);
    o->values = (double *)spx__grow(o->values, cap, 8);
    o->cap = cap;
}

SPX_COLD void spx__breaks_grow(spx_out *o) {
    uint32_t cap = o->capbreaks ? o->capbreaks * 2 : 64;
    o->breaks = (uint32_t *)spx__grow(o->breaks, cap, 4);
    o->capbreaks = cap;
}

/* ---- error message ---- */

static spx_buf spx__err; /* the message of the current call */

void spx_err_reset(void) {
    spx__err.len = 0;
}

SPX_COLD void spx_err_catn(const char *s, size_t n) {
    spx_put_bytes(&spx__err, s, n);
}

SPX_COLD void spx_err_cat(const char *s) {
    spx_err_catn(s, strlen(s));
}

SPX_COLD void spx_err_i64(int64_t v) {
    char d[24];
    int i = 24;
    uint64_t m = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        d[--i] = (char)('0' + m % 10);
        m /= 10;
    } while (m);
    if (v < 0) d[--i] = '-';
    spx_err_catn(d + i, (size_t)(24 - i));
}

SPX_COLD int spx_fail(const char *msg) {
    spx_err_reset();
    spx_err_cat(msg);
    return SPX_ERR;
}

/* ---- imports ---- */

SPX_COLD void spx_logn(int level, const char *msg, size_t len) {
    spx__import_log(level, msg, len);
}

SPX_COLD void spx_log(int level, const char *msg) {
    spx__import_log(level, msg, strlen(msg));
}

SPX_COLD char *spx_config_getn(const char *key, size_t *len) {
    _Alignas(4) uint8_t ret[12];
    memset(ret, 0, sizeof ret);
    spx__import_config_get(key, strlen(key), ret);
    if (ret[0] != 1) return NULL;
    uint32_t ptr, n;
    memcpy(&ptr, ret + 4, 4);
    memcpy(&n, ret + 8, 4);
    char *s;
    if (n == 0) {
        s = (char *)malloc(1);
    } else {
        s = (char *)realloc((void *)(uintptr_t)ptr, (size_t)n + 1);
    }
    if (!s) spx_trap();
    s[n] = 0;
    if (len) *len = n;
    return s;
}

SPX_COLD static int spx__config_i64(const char *key, int required, int64_t dflt, int64_t *out) {
    size_t n;
    char *s = spx_config_getn(key, &n);
    if (!s) {
        if (required) {
            spx_err_reset();
            spx_err_cat("config ");
            spx_err_cat(key);
            spx_err_cat(" is required");
            return SPX_ERR;
        }
        *out = dflt;
        return SPX_OK;
    }
    size_t i = 0, end = n;
    while (i < end && (s[i] == ' ' || s[i] == '\t')) i++;
    while (end > i && (s[end - 1] == ' ' || s[end - 1] == '\t')) end--;
    int neg = 0;
    if (i < end && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
    const char *why = i < end ? NULL : "is not an integer";
    uint64_t m = 0, limit = neg ? (uint64_t)1 << 63 : ((uint64_t)1 << 63) - 1;
    for (; i < end && !why; i++) {
        unsigned d = (unsigned)(unsigned char)s[i] - '0';
        if (d > 9) why = "is not an integer";
        else if (m > (limit - d) / 10) why = "is out of the 64-bit integer range";
        else m = m * 10 + d;
    }
    if (why) {
        spx_err_reset();
        spx_err_cat("config ");
        spx_err_cat(key);
        spx_err_cat(" = '");
        spx_err_catn(s, n);
        spx_err_cat("' ");
        spx_err_cat(why);
        free(s);
        return SPX_ERR;
    }
    free(s);
    *out = neg ? (int64_t)(0 - m) : (int64_t)m;
    return SPX_OK;
}

int spx_config_i64(const char *key, int64_t dflt, int64_t *out) {
    return spx__config_i64(key, 0, dflt, out);
}

int spx_config_i64_req(const char *key, int64_t *out) {
    return spx__config_i64(key, 1, 0, out);
}

/* ---- byte buffers ---- */

SPX_COLD static uint8_t *spx__buf_room(spx_buf *b, size_t need) {
    if (need > b->cap - b->len) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap - b->len < need) {
            if (cap > SIZE_MAX / 2) spx_trap();
            cap *= 2;
        }
        uint8_t *d = (uint8_t *)realloc(b->data, cap);
        if (!d) spx_trap();
        b->data = d;
        b->cap = cap;
    }
    uint8_t *d = b->data + b->len;
    b->len += need;
    return d;
}

SPX_COLD void spx_put_bytes(spx_buf *b, const void *p, size_t n) {
    uint8_t *d = spx__buf_room(b, n);
    if (n) memcpy(d, p, n);
}

SPX_COLD static void spx__put_be(spx_buf *b, uint64_t x, int n) {
    uint8_t *d = spx__buf_room(b, (size_t)n);
    for (int i = n - 1; i >= 0; i--, x >>= 8) d[i] = (uint8_t)x;
}

void spx_put_u8(spx_buf *b, uint8_t x) { spx__put_be(b, x, 1); }
void spx_put_u32(spx_buf *b, uint32_t x) { spx__put_be(b, x, 4); }
void spx_put_u64(spx_buf *b, uint64_t x) { spx__put_be(b, x, 8); }

SPX_COLD void spx_put_f64(spx_buf *b, double x) {
    uint64_t bits = 0x7ff8000000000000ull;
    if (x == x) memcpy(&bits, &x, 8);
    spx__put_be(b, bits, 8);
}

SPX_COLD const uint8_t *spx_get_bytes(spx_reader *r, size_t n) {
    if (r->bad || n > r->len - r->pos) {
        r->bad = 1;
        return NULL;
    }
    const uint8_t *p = r->p + r->pos;
    r->pos += n;
    return p;
}

SPX_COLD static uint64_t spx__get_be(spx_reader *r, int n) {
    const uint8_t *d = spx_get_bytes(r, (size_t)n);
    uint64_t x = 0;
    if (d)
        for (int i = 0; i < n; i++) x = x << 8 | d[i];
    return x;
}

uint8_t spx_get_u8(spx_reader *r) { return (uint8_t)spx__get_be(r, 1); }
uint32_t spx_get_u32(spx_reader *r) { return (uint32_t)spx__get_be(r, 4); }
uint64_t spx_get_u64(spx_reader *r) { return spx__get_be(r, 8); }

double spx_get_f64(spx_reader *r) {
    uint64_t bits = spx__get_be(r, 8);
    double x;
    memcpy(&x, &bits, 8);
    return x;
}

SPX_COLD int spx_utf8_valid(const char *str, size_t n) {
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t k;
        unsigned lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) k = 1;
        else if (c >= 0xE0 && c <= 0xEF) {
            k = 2;
            if (c == 0xE0) lo = 0xA0;
            if (c == 0xED) hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            k = 3;
            if (c == 0xF0) lo = 0x90;
            if (c == 0xF4) hi = 0x8F;
        } else return 0;
        if (n - i <= k) return 0;
        if (s[i + 1] < lo || s[i + 1] > hi) return 0;
        for (size_t j = 2; j <= k; j++)
            if ((s[i + j] & 0xC0) != 0x80) return 0;
        i += k + 1;
    }
    return 1;
}

/* ---- exports ---- */

/* result<emitted, string>: size 36, align 4 (ABI.md). */
typedef struct spx__ret_emitted {
    uint8_t tag;
    uint8_t pad[3];
    uint32_t times, ntimes, values, nvalues, breaks, nbreaks, late, invalid;
} spx__ret_emitted;
_Static_assert(sizeof(spx__ret_emitted) == 36, "result<emitted, string> is 36 bytes");

/* result<_, string>: u8 tag, message pointer at +4, length at +8. */
typedef struct spx__ret_unit {
    uint8_t tag;
    uint8_t pad[3];
    uint32_t msg, nmsg;
} spx__ret_unit;

/* list<u8>: pointer, length. */
typedef struct spx__ret_list {
    uint32_t ptr, len;
} spx__ret_list;

static spx__ret_emitted spx__ret_e;
static spx__ret_unit spx__ret_u;
static spx__ret_list spx__ret_l;
static spx_buf spx__snap;

static void spx__out_reset(void) {
    spx__out.n = 0;
    spx__out.nbreaks = 0;
    spx__out.late = 0;
    spx__out.invalid = 0;
    spx_err_reset();
}

SPX_COLD static void spx__set_err_msg(uint32_t *ptr, uint32_t *len) {
    if (spx__err.len == 0) spx_err_cat("error");
    *ptr = (uint32_t)(uintptr_t)spx__err.data;
    *len = (uint32_t)spx__err.len;
}

static spx__ret_emitted *spx__result_emitted(int rc) {
    spx__ret_emitted *r = &spx__ret_e;
    memset(r, 0, sizeof *r);
    if (rc != SPX_OK) {
        r->tag = 1;
        spx__set_err_msg(&r->times, &r->ntimes);
        return r;
    }
    r->times = (uint32_t)(uintptr_t)spx__out.times;
    r->ntimes = spx__out.n;
    r->values = (uint32_t)(uintptr_t)spx__out.values;
    r->nvalues = spx__out.n;
    r->breaks = (uint32_t)(uintptr_t)spx__out.breaks;
    r->nbreaks = spx__out.nbreaks;
    r->late = spx__out.late;
    r->invalid = spx__out.invalid;
    return r;
}

__attribute__((export_name("process")))
spx__ret_emitted *spx__export_process(const char *series, size_t series_len, int64_t *times, size_t times_len,
                                      double *values, size_t values_len) {
    spx__out_reset();
    int rc;
    if (times_len != values_len) {
        spx_err_cat("times and values differ in length: ");
        spx_err_i64((int64_t)times_len);
        spx_err_cat(" vs ");
        spx_err_i64((int64_t)values_len);
        rc = SPX_ERR;
    } else {
        spx_str s = {series, series_len};
        rc = spx_process(s, times, values, times_len, &spx__out);
    }
    spx__free_arg(series, series_len);
    spx__free_arg(times, times_len);
    spx__free_arg(values, values_len);
    return spx__result_emitted(rc);
}

__attribute__((export_name("cabi_post_process")))
void spx__post_process(spx__ret_emitted *ret) {
    (void)ret; /* the output arrays are reused by the next call */
}

__attribute__((export_name("flush")))
spx__ret_emitted *spx__export_flush(const char *series, size_t series_len) {
    spx__out_reset();
    spx_str s = {series, series_len};
    int rc = spx_flush(s, &spx__out);
    spx__free_arg(series, series_len);
    return spx__result_emitted(rc);
}

__attribute__((export_name("cabi_post_flush")))
void spx__post_flush(spx__ret_emitted *ret) {
    (void)ret;
}

__attribute__((export_name("snapshot")))
spx__ret_list *spx__export_snapshot(void) {
    spx__snap.len = 0;
    spx_snapshot(&spx__snap);
    spx__ret_l.ptr = (uint32_t)(uintptr_t)spx__snap.data;
    spx__ret_l.len = (uint32_t)spx__snap.len;
    return &spx__ret_l;
}

__attribute__((export_name("cabi_post_snapshot")))
void spx__post_snapshot(spx__ret_list *ret) {
    (void)ret; /* snapshots can be large: give the memory back to the allocator */
    free(spx__snap.data);
    spx__snap.data = NULL;
    spx__snap.len = spx__snap.cap = 0;
}

__attribute__((export_name("restore")))
spx__ret_unit *spx__export_restore(const uint8_t *state, size_t state_len) {
    spx_err_reset();
    int rc = spx_restore(state, state_len);
    spx__free_arg(state, state_len);
    spx__ret_unit *r = &spx__ret_u;
    memset(r, 0, sizeof *r);
    if (rc != SPX_OK) {
        r->tag = 1;
        spx__set_err_msg(&r->msg, &r->nmsg);
    }
    return r;
}

__attribute__((export_name("cabi_post_restore")))
void spx__post_restore(spx__ret_unit *ret) {
    (void)ret;
}

#endif /* SPINDLE_PROCESSOR_IMPLEMENTATION */
