/* Streaming LTTB engine: a faithful port of StreamingLttb, BucketHull and Robust (downsample module). Every
 * floating-point operation is the Java one, in the same order (compiled with -ffp-contract=off); Java's wrapping
 * long and int arithmetic is done in unsigned types; Java's BigDecimal fallbacks are exact here too (exact
 * fixed-point sums of products of two doubles, see "Exact arithmetic"). */
#include "engine.h"

/* Hot loops stay separate functions: the host compiles each wasm function to one JVM method, and the JIT
 * optimises small methods far better than one large inlined body (measured: 3x). */
#define NOINLINE __attribute__((noinline))
/* Rare paths (exact arithmetic, snapshots, set-up) are optimised for size. */
#define COLD __attribute__((minsize, noinline))

#define MIN64 INT64_MIN
#define MAX64 INT64_MAX

/* Java's wrapping long / int arithmetic. */
static inline int64_t subw(int64_t a, int64_t b) { return (int64_t)((uint64_t)a - (uint64_t)b); }
static inline int64_t addw(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }
static inline int64_t mulw(int64_t a, int64_t b) { return (int64_t)((uint64_t)a * (uint64_t)b); }
static inline int32_t addw32(int32_t a, int32_t b) { return (int32_t)((uint32_t)a + (uint32_t)b); }

static inline uint64_t bits_of(double x) {
    uint64_t b;
    memcpy(&b, &x, 8);
    return b;
}

/* 1 when x is negative (or -0.0), else 0: BucketHull.signBit. */
static inline int sign_bit(double x) { return (int)(bits_of(x) >> 63); }

/* Java's Math.max / Math.min on doubles (NaN wins, -0.0 < 0.0): wasm's f64.max / f64.min. */
static inline double jmax(double a, double b) { return __builtin_wasm_max_f64(a, b); }
static inline double jmin(double a, double b) { return __builtin_wasm_min_f64(a, b); }

static inline int64_t floor_div(int64_t x, int64_t y) { /* y > 0 */
    int64_t q = x / y;
    if (x % y != 0 && (x ^ y) < 0) q--;
    return q;
}

/* realloc of n elements of size bytes; traps when memory runs out (or the size does not fit in 32 bits). */
static void *xrealloc(void *p, uint64_t n, size_t size) {
    uint64_t bytes = n * size;
    void *q = bytes >> 31 ? NULL : realloc(p, bytes ? (size_t)bytes : 1);
    if (!q) spx_trap();
    return q;
}

static void *xcalloc(size_t n, size_t size) {
    void *q = calloc(n ? n : 1, size);
    if (!q) spx_trap();
    return q;
}

/* ============================================ Exact arithmetic ============================================= */
/* A quantity Σ ±a_i·b_i with a_i, b_i doubles or longs is an integer multiple of 2^-2148 below 2^2050 in magnitude:
 * it is held exactly as two non-negative fixed-point sums (the positive and the negative products) of XL 64-bit
 * limbs, bit k standing for 2^(k - XOFF). Only the touched limbs [lo, hi) are cleared and compared. */
#define XL 68
#define XOFF 2176

typedef struct acc {
    uint64_t w[XL];
    int lo, hi;
} acc;

static acc acc_pos = {{0}, XL, 0}, acc_neg = {{0}, XL, 0}, acc_cur = {{0}, XL, 0}, acc_best = {{0}, XL, 0};

COLD static void acc_clear(acc *a) {
    if (a->hi > a->lo) memset(&a->w[a->lo], 0, (size_t)(a->hi - a->lo) * 8);
    a->lo = XL;
    a->hi = 0;
}

/* Adds m1·m2·2^(shift - XOFF) (shift >= 0). */
COLD static void acc_add(acc *a, uint64_t m1, uint64_t m2, int shift) {
    if (!m1 || !m2) return;
    unsigned __int128 p = (unsigned __int128)m1 * m2;
    uint64_t p0 = (uint64_t)p, p1 = (uint64_t)(p >> 64);
    int li = shift >> 6, bi = shift & 63;
    uint64_t w0, w1, w2;
    if (bi) {
        w0 = p0 << bi;
        w1 = (p0 >> (64 - bi)) | (p1 << bi);
        w2 = p1 >> (64 - bi);
    } else {
        w0 = p0;
        w1 = p1;
        w2 = 0;
    }
    uint64_t *w = a->w;
    uint64_t s = w[li] + w0, c = s < w0;
    w[li] = s;
    s = w[li + 1] + w1;
    uint64_t c1 = s < w1;
    s += c;
    c1 |= s < c;
    w[li + 1] = s;
    s = w[li + 2] + w2;
    uint64_t c2 = s < w2;
    s += c1;
    c2 |= s < c1;
    w[li + 2] = s;
    int k = li + 3;
    while (c2) {
        w[k] += 1;
        c2 = w[k] == 0;
        k++;
    }
    if (li < a->lo) a->lo = li;
    if (k > a->hi) a->hi = k;
}

/* A finite double as sign, mantissa and exponent: x = ±m·2^e. */
static inline int dec_double(double x, uint64_t *m, int *e) {
    uint64_t b = bits_of(x);
    int ex = (int)((b >> 52) & 0x7ff);
    uint64_t f = b & (((uint64_t)1 << 52) - 1);
    if (ex == 0) {
        *m = f;
        *e = -1074;
    } else {
        *m = f | ((uint64_t)1 << 52);
        *e = ex - 1075;
    }
    return (int)(b >> 63);
}

/* Adds sign·n·x (n a long, x a double) to pos/neg. */
COLD static void term_ld(int sign, int64_t n, double x) {
    uint64_t mx;
    int ex;
    int sx = dec_double(x, &mx, &ex);
    uint64_t mn = n < 0 ? 0 - (uint64_t)n : (uint64_t)n;
    int s = sign ^ sx ^ (n < 0);
    acc_add(s ? &acc_neg : &acc_pos, mn, mx, ex + XOFF);
}

/* Adds sign·x·y (doubles) to pos/neg. */
COLD static void term_dd(int sign, double x, double y) {
    uint64_t mx, my;
    int ex, ey;
    int sx = dec_double(x, &mx, &ex), sy = dec_double(y, &my, &ey);
    acc_add((sign ^ sx ^ sy) ? &acc_neg : &acc_pos, mx, my, ex + ey + XOFF);
}

COLD static int acc_cmp(const acc *a, const acc *b) {
    int hi = a->hi > b->hi ? a->hi : b->hi, lo = a->lo < b->lo ? a->lo : b->lo;
    for (int k = hi - 1; k >= lo; k--) {
        if (a->w[k] != b->w[k]) return a->w[k] > b->w[k] ? 1 : -1;
    }
    return 0;
}

/* out = |a - b| (out cleared first). */
COLD static void acc_absdiff(const acc *a, const acc *b, acc *out) {
    int c = acc_cmp(a, b);
    if (c < 0) {
        const acc *t = a;
        a = b;
        b = t;
    }
    acc_clear(out);
    if (c == 0) return;
    int hi = a->hi > b->hi ? a->hi : b->hi, lo = a->lo < b->lo ? a->lo : b->lo;
    uint64_t borrow = 0;
    for (int k = lo; k < hi; k++) {
        uint64_t x = a->w[k], y = b->w[k];
        uint64_t d = x - y;
        uint64_t b1 = x < y;
        uint64_t d2 = d - borrow;
        b1 |= d < borrow;
        out->w[k] = d2;
        borrow = b1;
    }
    out->lo = lo;
    out->hi = hi;
}

COLD static void acc_copy(const acc *a, acc *out) {
    acc_clear(out);
    if (a->hi > a->lo) memcpy(&out->w[a->lo], &a->w[a->lo], (size_t)(a->hi - a->lo) * 8);
    out->lo = a->lo;
    out->hi = a->hi;
}

/* ================================================== Robust ================================================== */

static const double ERR = (3.0 + 16.0 * 0x1p-53) * 0x1p-53;
static const double TINY = 0x1p-960;
static const double MIN_NORMAL = 0x1p-1022;

/* Robust.orientExact: sign of (mt-ot)·(pv-ov) - (mv-ov)·(pt-ot), exactly. */
COLD static int orient_exact(int64_t ot, double ov, int64_t mt, double mv, int64_t pt, double pv) {
    if (pv == ov && mv == ov) return 0;
    int64_t dx1 = subw(mt, ot), dx2 = subw(pt, ot);
    acc_clear(&acc_pos);
    acc_clear(&acc_neg);
    term_ld(0, dx1, pv);
    term_ld(1, dx1, ov);
    term_ld(1, dx2, mv);
    term_ld(0, dx2, ov);
    return acc_cmp(&acc_pos, &acc_neg);
}

/* Robust.orient: +1 left turn o→m→p, -1 right, 0 collinear. */
static inline int orient(int64_t ot, double ov, int64_t mt, double mv, int64_t pt, double pv) {
    double dx1 = (double)subw(mt, ot), dx2 = (double)subw(pt, ot);
    double l = dx1 * (pv - ov), r = (mv - ov) * dx2;
    double det = l - r, bound = ERR * (__builtin_fabs(l) + __builtin_fabs(r));
    if (det > bound && bound > TINY) return 1;
    if (det < -bound && bound > TINY) return -1;
    return orient_exact(ot, ov, mt, mv, pt, pv);
}

static inline double area2(int64_t pt, double pv, int64_t at, double av, double cxr, double cyr) {
    return __builtin_fabs((double)subw(pt, at) * cyr - cxr * (pv - av));
}

static inline double area2_bound(int64_t pt, double pv, int64_t at, double av, double cxr, double cyr) {
    double l = (double)subw(pt, at) * cyr, r = cxr * (pv - av);
    return ERR * (__builtin_fabs(l) + __builtin_fabs(r)) + MIN_NORMAL;
}

/* Robust.area2Exact into acc_cur: |(pt-at)·cyr - cxr·(pv-av)|, exactly. */
COLD static void area2_exact(int64_t pt, double pv, int64_t at, double av, double cxr, double cyr) {
    acc_clear(&acc_pos);
    acc_clear(&acc_neg);
    term_ld(0, subw(pt, at), cyr);
    term_dd(1, cxr, pv);
    term_dd(0, cxr, av);
    acc_absdiff(&acc_pos, &acc_neg, &acc_cur);
}

/* ================================================ BucketHull ================================================ */

#define FIRST INT32_MAX
#define BLOCK_SHIFT 6
#define BLOCK (1 << BLOCK_SHIFT)
static const double TINY_BOUND = 0x1p-960;

/* One chain: per vertex its time, value and release order in the bucket; len is the allocated length (Java's array
 * length, which only decides when the chain grows). */
typedef struct chain {
    int64_t *t;
    double *v;
    int32_t *s;
    int32_t n, len;
} chain;

typedef struct hull {
    int32_t cap;
    chain up, lo; /* the upper chain (maximises the value side) and the lower chain */
    int64_t compactions;
    int has_first;
    int64_t first_t;
    double first_v;
    int32_t first_seq;
} hull;

/* Resizes a chain's arrays to len (new entries zero, like Java's fresh arrays). */
COLD static void chain_resize(chain *c, int32_t len) {
    c->t = xrealloc(c->t, (uint64_t)len, 8);
    c->v = xrealloc(c->v, (uint64_t)len, 8);
    c->s = xrealloc(c->s, (uint64_t)len, 4);
    for (int32_t i = c->len; i < len; i++) {
        c->t[i] = 0;
        c->v[i] = 0;
        c->s[i] = 0;
    }
    c->len = len;
}

COLD static void hull_init(hull *h, int32_t cap) {
    memset(h, 0, sizeof *h);
    h->cap = cap;
    chain_resize(&h->up, cap < 16 ? cap : 16);
    chain_resize(&h->lo, cap < 16 ? cap : 16);
}

COLD static void hull_free(hull *h) {
    chain *c[2] = {&h->up, &h->lo};
    for (int i = 0; i < 2; i++) {
        free(c[i]->t);
        free(c[i]->v);
        free(c[i]->s);
    }
}

static inline void hull_clear(hull *h) {
    h->up.n = 0;
    h->lo.n = 0;
    h->has_first = 0;
}

static inline void note_first(hull *h, int64_t t, double v, int32_t seq) {
    if (!h->has_first) {
        h->has_first = 1;
        h->first_t = t;
        h->first_v = v;
        h->first_seq = seq;
    }
}

static inline int hull_empty(const hull *h) { return h->up.n == 0; }

/* The chain is full (n == its length): grows it up to the cap, or at the cap MinMax-compacts it (of each pair keep
 * the higher (upper) or lower (lower) one; always keep the first). The new vertex count. */
COLD static int32_t chain_full(hull *h, chain *c, int upper, int32_t n) {
    if (n < h->cap) {
        chain_resize(c, (int64_t)n * 2 < h->cap ? n * 2 : h->cap);
        return n;
    }
    h->compactions++;
    int64_t *t = c->t;
    double *v = c->v;
    int32_t *s = c->s;
    int32_t w = 1;
    for (int32_t i = 1; i < n; i += 2) {
        int32_t k = i;
        if (i + 1 < n && (upper ? v[i + 1] > v[i] : v[i + 1] < v[i])) k = i + 1;
        t[w] = t[k];
        v[w] = v[k];
        s[w] = s[k];
        w++;
    }
    return w;
}

/* BucketHull.addUpper (upper) / addLower: adds a vertex; samples arrive in (time, release) order. */
NOINLINE static void add_chain(hull *h, chain *c, int upper, int64_t t, double v, int32_t seq) {
    int32_t n = c->n;
    int64_t *ct = c->t;
    double *cv = c->v;
    if (n > 0 && ct[n - 1] == t) {
        /* Same instant: on a vertical line only the highest (lowest) matters, and on a tie the earlier one. */
        if (upper ? v <= cv[n - 1] : v >= cv[n - 1]) return;
        n--;
    }
    while (n >= 2) {
        int o = orient(ct[n - 2], cv[n - 2], ct[n - 1], cv[n - 1], t, v);
        if (upper ? o < 0 : o > 0) break;
        n--;
    }
    if (n == c->len) n = chain_full(h, c, upper, n);
    c->t[n] = t;
    c->v[n] = v;
    c->s[n] = seq;
    c->n = n + 1;
}

static void hull_add(hull *h, int64_t t, double v, int32_t seq) {
    note_first(h, t, v, seq);
    add_chain(h, &h->up, 1, t, v, seq);
    add_chain(h, &h->lo, 0, t, v, seq);
}

/* Scratch for add_piece (one engine runs at a time). */
static int32_t *up_idx, *lo_idx;
static int32_t idx_len;
static double *suf_max, *suf_min;
static double tail_max[BLOCK + 1], tail_min[BLOCK + 1];

/* BucketHull.refine: the neighbour-chord test among survivors while it keeps removing a good share. */
NOINLINE static int32_t refine(int32_t *idx, int32_t n, const int64_t *t, const double *v, int side) {
    double sd = (double)side;
    while (n > 8) {
        int32_t w = 1;
        /* Java reads idx[k - 1], idx[k], idx[k + 1]: still this pass's originals when k is tested (the survivors are
         * written at w <= k), so a and m carry over from the step before. */
        int32_t m = idx[1];
        int64_t ta = t[idx[0]], tm = t[m];
        double va = v[idx[0]], vm = v[m];
        for (int32_t k = 1; k < n - 1; k++) {
            int32_t b = idx[k + 1];
            int64_t tb = t[b];
            double vb = v[b];
            double dx1 = (double)subw(tm, ta), dx2 = (double)subw(tb, ta);
            double l = dx1 * (vb - va), r = (vm - va) * dx2;
            double det = (l - r) * sd, bound = ERR * (__builtin_fabs(l) + __builtin_fabs(r));
            if (!(bound > TINY_BOUND)) bound = __builtin_inf();
            idx[w] = m;
            w += 1 - sign_bit(bound - det);
            ta = tm;
            va = vm;
            tm = tb;
            vm = vb;
            m = b;
        }
        idx[w++] = idx[n - 1];
        int worth_another = w < n - (n >> 2);
        n = w;
        if (!worth_another) break;
    }
    return n;
}

/* The pre-filter's running state across its passes. */
typedef struct records_state {
    double pmax, pmin;
    int32_t nu, nl;
} records_state;

/* smaxs[b] / smins[b]: Math.max / Math.min over blocks b.. of [from, to) (blocks of 2^shift samples), in Java's order
 * (from the last sample back). A sample strictly inside (bmin, bmax) changes neither, so only the others take the
 * exact f64.max / f64.min path. */
NOINLINE static void block_extremes(const double *v, int32_t from, int32_t to, int32_t blocks, int shift,
                                    double *smaxs, double *smins) {
    smaxs[blocks] = -__builtin_inf();
    smins[blocks] = __builtin_inf();
    for (int32_t b = blocks - 1; b >= 0; b--) {
        double bmax = smaxs[b + 1], bmin = smins[b + 1];
        int32_t start = from + (b << shift), k = to - 1 < start + (1 << shift) - 1 ? to - 1 : start + (1 << shift) - 1;
        for (; k >= start; k--) {
            double x = v[k];
            if (x < bmax && x > bmin) continue;
            bmax = jmax(bmax, x);
            bmin = jmin(bmin, x);
        }
        smaxs[b] = bmax;
        smins[b] = bmin;
    }
}

/* The records filter over blocks [0, nb) of 2^shift samples from `from`: a sample lower than both the highest one
 * before it and the highest one in a later block lies strictly below the segment joining them, so it is off the
 * upper chain; symmetrically for the lower chain (BucketHull's sign-bit tests, exactly). A sample below both maxima
 * and above both minima fails every test and changes neither running extreme: it is skipped after two comparisons.
 * With shift 0 each sample is a block: the last block's test against the exact extremes after each sample. */
NOINLINE static void records(const double *v, int32_t from, int32_t nb, int shift, const double *smaxs,
                             const double *smins, int32_t *up, int32_t *lo, records_state *r) {
    double pmax = r->pmax, pmin = r->pmin;
    int32_t nu1 = r->nu, nl1 = r->nl;
    for (int32_t b = 0; b < nb; b++) {
        double later_max = smaxs[b + 1], later_min = smins[b + 1];
        double tu = pmax < later_max ? pmax : later_max, tl = pmin > later_min ? pmin : later_min;
        for (int32_t k = from + (b << shift), end = k + (1 << shift); k < end; k++) {
            double x = v[k];
            if (x < tu && x > tl) continue;
            if (!(sign_bit(x - pmax) & sign_bit(x - later_max))) up[nu1++] = k;
            if (!(sign_bit(pmin - x) & sign_bit(later_min - x))) lo[nl1++] = k;
            pmax = x > pmax ? x : pmax;
            pmin = x < pmin ? x : pmin;
            tu = pmax < later_max ? pmax : later_max;
            tl = pmin > later_min ? pmin : later_min;
        }
    }
    r->pmax = pmax;
    r->pmin = pmin;
    r->nu = nu1;
    r->nl = nl1;
}

/* BucketHull.addPiece: the pre-filter (records, then neighbour chords), then the exact chains. */
NOINLINE static void add_piece(hull *h, const int64_t *t, const double *v, int32_t from, int32_t to, int32_t seq0) {
    note_first(h, t[from], v[from], seq0);
    int32_t n = to - from;
    if (idx_len < n) {
        up_idx = xrealloc(up_idx, (uint64_t)n, 4);
        lo_idx = xrealloc(lo_idx, (uint64_t)n, 4);
        suf_max = xrealloc(suf_max, (uint64_t)((n >> BLOCK_SHIFT) + 2), 8);
        suf_min = xrealloc(suf_min, (uint64_t)((n >> BLOCK_SHIFT) + 2), 8);
        idx_len = n;
    }
    int32_t *up = up_idx, *lo = lo_idx;
    int32_t blocks = (n + BLOCK - 1) >> BLOCK_SHIFT;
    block_extremes(v, from, to, blocks, BLOCK_SHIFT, suf_max, suf_min);
    records_state r = {-__builtin_inf(), __builtin_inf(), 0, 0};
    records(v, from, blocks - 1, BLOCK_SHIFT, suf_max, suf_min, up, lo, &r);
    int32_t last = from + ((blocks - 1) << BLOCK_SHIFT);
    block_extremes(v, last, to, to - last, 0, tail_max, tail_min);
    records(v, last, to - last, 0, tail_max, tail_min, up, lo, &r);
    int32_t nu1 = refine(up, r.nu, t, v, 1);
    int32_t nl1 = refine(lo, r.nl, t, v, -1);
    for (int32_t k = 0; k < nu1; k++) add_chain(h, &h->up, 1, t[up[k]], v[up[k]], addw32(seq0, up[k] - from));
    for (int32_t k = 0; k < nl1; k++) add_chain(h, &h->lo, 0, t[lo[k]], v[lo[k]], addw32(seq0, lo[k] - from));
}

/* BucketHull.addRun: samples [from, to) (time-ordered, finite), the first with release order seq0. */
NOINLINE static void hull_add_run(hull *h, const int64_t *t, const double *v, int32_t from, int32_t to, int32_t seq0) {
    for (int32_t x = from; x < to;) {
        int32_t room = h->cap - 1 - (h->up.n > h->lo.n ? h->up.n : h->lo.n);
        int32_t piece = to - x < room ? to - x : room;
        if (piece < 8) {
            hull_add(h, t[x], v[x], addw32(seq0, x - from));
            x++;
        } else {
            add_piece(h, t, v, x, x + piece, addw32(seq0, x - from));
            x += piece;
        }
    }
}

static inline int earlier(int64_t t1, int32_t s1, int64_t t2, int32_t s2) {
    return t1 < t2 || (t1 == t2 && s1 < s2);
}

static inline int64_t t_of(const hull *h, int32_t code) {
    return code == FIRST ? h->first_t : code >= 0 ? h->up.t[code] : h->lo.t[-1 - code];
}

static inline double v_of(const hull *h, int32_t code) {
    return code == FIRST ? h->first_v : code >= 0 ? h->up.v[code] : h->lo.v[-1 - code];
}

static inline int32_t seq_of(const hull *h, int32_t code) {
    return code == FIRST ? h->first_seq : code >= 0 ? h->up.s[code] : h->lo.s[-1 - code];
}

COLD static int32_t choose_exact(const hull *h, int64_t at, double av, double cxr, double cyr, double best_low) {
    int32_t best = INT32_MIN;
    int have = 0;
    for (int32_t e = 0; e < h->up.n + h->lo.n; e++) {
        int32_t code = e < h->up.n ? e : -1 - (e - h->up.n);
        int64_t t = t_of(h, code);
        double v = v_of(h, code);
        if (area2(t, v, at, av, cxr, cyr) + area2_bound(t, v, at, av, cxr, cyr) < best_low) continue;
        area2_exact(t, v, at, av, cxr, cyr);
        int c = !have ? 1 : acc_cmp(&acc_cur, &acc_best);
        if (c > 0 || (c == 0 && earlier(t, seq_of(h, code), t_of(h, best), seq_of(h, best)))) {
            acc_copy(&acc_cur, &acc_best);
            have = 1;
            best = code;
        }
    }
    return have ? best : 0; /* some candidate always reaches best_low */
}

/* BucketHull.choose: the candidate maximising the area with A=(at,av) and C=(at+cxr, av+cyr), earliest on ties.
 * Candidates are coded as in Java: upper chain vertex i as i, lower chain vertex i as -1-i; one loop visits the
 * upper chain then the lower one, in Java's order. */
COLD static int32_t hull_choose(const hull *h, int64_t at, double av, double cxr, double cyr) {
    if (cxr == 0.0) return FIRST;
    int32_t best = 0, nu = h->up.n, all = nu + h->lo.n;
    double best_area = -1, best_low = -1;
    for (int32_t e = 0; e < all; e++) {
        int32_t code = e < nu ? e : -1 - (e - nu);
        int64_t t = t_of(h, code);
        double v = v_of(h, code);
        double a = area2(t, v, at, av, cxr, cyr);
        double b = area2_bound(t, v, at, av, cxr, cyr);
        if (a > best_area || (e >= nu && a == best_area && earlier(t, seq_of(h, code), t_of(h, best), seq_of(h, best)))) {
            best_area = a;
            best = code;
        }
        best_low = jmax(best_low, a - b);
    }
    /* Anything else whose error interval reaches the best one's makes it too close to call in doubles. */
    int64_t bt = t_of(h, best);
    int32_t bs = seq_of(h, best);
    for (int32_t e = 0; e < all; e++) {
        int32_t code = e < nu ? e : -1 - (e - nu);
        int64_t t = t_of(h, code);
        double v = v_of(h, code);
        if ((t != bt || seq_of(h, code) != bs)
            && area2(t, v, at, av, cxr, cyr) + area2_bound(t, v, at, av, cxr, cyr) >= best_low)
            return choose_exact(h, at, av, cxr, cyr, best_low);
    }
    return best;
}

COLD static void write_chain(spx_buf *b, const chain *c) {
    spx_put_i32(b, c->n);
    for (int32_t i = 0; i < c->n; i++) {
        spx_put_i64(b, c->t[i]);
        spx_put_f64(b, c->v[i]);
        spx_put_i32(b, c->s[i]);
    }
}

COLD static void hull_write(const hull *h, spx_buf *b) {
    spx_put_i64(b, h->compactions);
    spx_put_u8(b, (uint8_t)(h->has_first != 0));
    spx_put_i64(b, h->first_t);
    spx_put_f64(b, h->first_v);
    spx_put_i32(b, h->first_seq);
    write_chain(b, &h->up);
    write_chain(b, &h->lo);
}

/* Reads one chain; SPX_ERR with the reason when its size is out of range or the bytes are short. */
COLD static int read_chain(spx_reader *r, int32_t cap, chain *c) {
    int32_t k = spx_get_i32(r);
    if (r->bad) return SPX_ERR;
    if (k < 0 || k > cap) {
        spx_err_cat("streaming LTTB snapshot is truncated or corrupt: snapshot hull chain of ");
        spx_err_i64(k);
        spx_err_cat(" vertices exceeds cap ");
        spx_err_i64(cap);
        return SPX_ERR;
    }
    if ((uint64_t)k * 20 > spx_remaining(r)) {
        r->bad = 1;
        return SPX_ERR;
    }
    if (c->len < k) chain_resize(c, k);
    for (int32_t i = 0; i < k; i++) {
        c->t[i] = spx_get_i64(r);
        c->v[i] = spx_get_f64(r);
        c->s[i] = spx_get_i32(r);
    }
    c->n = k;
    return SPX_OK;
}

COLD static int hull_read(hull *h, spx_reader *r) {
    h->compactions = spx_get_i64(r);
    h->has_first = spx_get_bool(r);
    h->first_t = spx_get_i64(r);
    h->first_v = spx_get_f64(r);
    h->first_seq = spx_get_i32(r);
    if (read_chain(r, h->cap, &h->up) != SPX_OK) return SPX_ERR;
    return read_chain(r, h->cap, &h->lo);
}

/* ============================================== StreamingLttb =============================================== */

#define MAGIC 0x534C5442 /* "SLTB" */
#define VERSION 1

struct lttb_engine {
    lttb_config cfg;
    int64_t delta, lateness, gap_span;
    spx_out *sink;
    int64_t floor, max_t;
    int64_t *rt;
    double *rv;
    int32_t rlen, r_head, r_tail;
    int in_segment;
    int64_t a_t;
    double a_v;
    int64_t cur_start, cur_end;
    int cur_closed;
    hull *cur, *wait;
    hull hulls[2];
    int has_wait, has_pending;
    int64_t p_t;
    double p_v;
    int32_t p_seq, seq;
    double sum_dt[4], sum_v[4];
    int64_t count;
    int64_t accepted, late, invalid, emitted, forced, compactions, last_late;
};

COLD int lttb_config_check(const lttb_config *c) {
    const char *what = NULL;
    int64_t got = 0;
    if (c->bucket_nanos <= 0) what = "bucketNanos must be > 0, got ", got = c->bucket_nanos;
    else if (c->lateness_nanos < 0) what = "latenessNanos must be >= 0, got ", got = c->lateness_nanos;
    else if (c->gap_buckets < 1) what = "gapBuckets must be >= 1, got ", got = c->gap_buckets;
    else if (c->reorder_cap < 1) what = "reorderCap must be >= 1, got ", got = c->reorder_cap;
    else if (c->hull_cap < 4) what = "hullCap must be >= 4, got ", got = c->hull_cap;
    if (what) {
        spx_err_cat(what);
        spx_err_i64(got);
        return SPX_ERR;
    }
    if (c->bucket_nanos > ((int64_t)1 << 53) / (c->gap_buckets + (int64_t)3)) {
        spx_err_cat("bucketNanos ");
        spx_err_i64(c->bucket_nanos);
        spx_err_cat(" too large for gapBuckets ");
        spx_err_i64(c->gap_buckets);
        spx_err_cat(": (gapBuckets + 3) * bucketNanos must stay below 2^53 ns (~104 days)");
        return SPX_ERR;
    }
    return SPX_OK;
}

COLD lttb_engine *lttb_new(const lttb_config *c) {
    lttb_engine *e = xcalloc(1, sizeof *e);
    e->cfg = *c;
    e->delta = c->bucket_nanos;
    e->lateness = c->lateness_nanos;
    e->gap_span = c->gap_buckets * c->bucket_nanos;
    e->floor = MIN64;
    e->max_t = MIN64;
    e->last_late = MIN64;
    int32_t initial = c->reorder_cap < 63 ? c->reorder_cap + 1 : 64;
    e->rlen = initial;
    e->rt = xcalloc((size_t)initial, 8);
    e->rv = xcalloc((size_t)initial, 8);
    hull_init(&e->hulls[0], c->hull_cap);
    hull_init(&e->hulls[1], c->hull_cap);
    e->cur = &e->hulls[0];
    e->wait = &e->hulls[1];
    return e;
}

COLD void lttb_free(lttb_engine *e) {
    if (!e) return;
    free(e->rt);
    free(e->rv);
    hull_free(&e->hulls[0]);
    hull_free(&e->hulls[1]);
    free(e);
}

static inline void emit(lttb_engine *e, int64_t t, double v) {
    e->a_t = t;
    e->a_v = v;
    e->emitted++;
    spx_emit(e->sink, t, v);
}

COLD static void choose(lttb_engine *e, hull *h, double cxr, double cyr) {
    int32_t code = hull_choose(h, e->a_t, e->a_v, cxr, cyr);
    emit(e, t_of(h, code), v_of(h, code));
}

COLD static void open_bucket(lttb_engine *e, int64_t t, double v) {
    e->cur_start = mulw(floor_div(t, e->delta), e->delta);
    e->cur_end = addw(e->cur_start, e->delta);
    if (e->cur_end < e->cur_start) e->cur_end = MAX64;
    e->cur_closed = 0;
    e->compactions += e->cur->compactions;
    e->cur->compactions = 0;
    hull_clear(e->cur);
    e->seq = 0;
    e->sum_dt[0] = (double)subw(t, e->cur_start);
    e->sum_v[0] = v;
    e->sum_dt[1] = e->sum_dt[2] = e->sum_dt[3] = 0;
    e->sum_v[1] = e->sum_v[2] = e->sum_v[3] = 0;
    e->count = 1;
}

COLD static void start_segment(lttb_engine *e, int64_t t, double v) {
    e->in_segment = 1;
    e->has_wait = 0;
    spx_break(e->sink);
    emit(e, t, v);
    open_bucket(e, t, v);
    e->has_pending = 0;
}

COLD static void close_current(lttb_engine *e) {
    e->cur_closed = 1;
    if (e->has_wait) {
        double *sd = e->sum_dt, *sv = e->sum_v;
        double cxr = (double)subw(e->cur_start, e->a_t) + ((sd[0] + sd[1]) + (sd[2] + sd[3])) / (double)e->count;
        double cyr = ((sv[0] + sv[1]) + (sv[2] + sv[3])) / (double)e->count - e->a_v;
        choose(e, e->wait, cxr, cyr);
        e->has_wait = 0;
    }
}

COLD static void end_segment(lttb_engine *e) {
    if (e->has_pending) {
        if (!hull_empty(e->cur)) choose(e, e->cur, (double)subw(e->p_t, e->a_t), e->p_v - e->a_v);
        emit(e, e->p_t, e->p_v);
        e->has_pending = 0;
    }
    e->in_segment = 0;
}

NOINLINE static void fire_events_up_to(lttb_engine *e, int64_t x) {
    while (e->in_segment) {
        if (!e->cur_closed) {
            if (e->cur_end > x) return;
            close_current(e);
        } else {
            int64_t deadline = addw(e->cur_end, e->gap_span);
            if (deadline < e->cur_end) deadline = MAX64;
            if (deadline > x) return;
            end_segment(e);
        }
    }
}

static inline void take_pending(lttb_engine *e, int64_t t, double v) {
    e->has_pending = 1;
    e->p_t = t;
    e->p_v = v;
    e->p_seq = e->seq;
    e->seq = addw32(e->seq, 1);
}

NOINLINE static void release(lttb_engine *e, int64_t t, double v) {
    fire_events_up_to(e, t);
    if (!e->in_segment) {
        start_segment(e, t, v);
        return;
    }
    if (t < e->cur_end) {
        if (e->has_pending) hull_add(e->cur, e->p_t, e->p_v, e->p_seq);
        take_pending(e, t, v);
        int lane = (int)(e->count & 3);
        e->sum_dt[lane] += (double)subw(t, e->cur_start);
        e->sum_v[lane] += v;
        e->count++;
        return;
    }
    if (e->has_pending) hull_add(e->cur, e->p_t, e->p_v, e->p_seq);
    if (!hull_empty(e->cur)) {
        hull *h = e->wait;
        e->wait = e->cur;
        e->cur = h;
        e->has_wait = 1;
    }
    open_bucket(e, t, v);
    take_pending(e, t, v);
}

/* The first index in [lo, hi) whose time is >= x, or hi: the end of a scan `while (lo < hi && t[lo] < x) lo++`
 * over time-ordered samples, found by galloping then bisecting. */
NOINLINE static int32_t first_at_or_after(const int64_t *t, int32_t lo, int32_t hi, int64_t x) {
    if (lo >= hi || t[lo] >= x) return lo;
    int32_t below = lo; /* t[below] < x */
    int64_t step = 1, probe;
    for (;;) {
        probe = below + step;
        if (probe >= hi) {
            probe = hi;
            break;
        }
        if (t[probe] >= x) break;
        below = (int32_t)probe;
        step <<= 1;
    }
    int32_t l = below + 1, r = (int32_t)probe;
    while (l < r) {
        int32_t mid = l + ((r - l) >> 1);
        if (t[mid] < x) l = mid + 1;
        else r = mid;
    }
    return l;
}

/* Samples [i, j) all fall in the open current bucket: no event can fire in between. */
NOINLINE static void bucket_run(lttb_engine *e, const int64_t *t, const double *v, int32_t i, int32_t j) {
    double *sd = e->sum_dt, *sw = e->sum_v;
    int64_t cs = e->cur_start;
    int32_t x = i;
    int phase = (int)(e->count & 3);
    for (; x < j && phase != 0; x++, phase = (phase + 1) & 3) {
        sd[phase] += (double)subw(t[x], cs);
        sw[phase] += v[x];
    }
    double d0 = sd[0], d1 = sd[1], d2 = sd[2], d3 = sd[3];
    double w0 = sw[0], w1 = sw[1], w2 = sw[2], w3 = sw[3];
    for (; x + 3 < j; x += 4) {
        d0 += (double)subw(t[x], cs);
        d1 += (double)subw(t[x + 1], cs);
        d2 += (double)subw(t[x + 2], cs);
        d3 += (double)subw(t[x + 3], cs);
        w0 += v[x];
        w1 += v[x + 1];
        w2 += v[x + 2];
        w3 += v[x + 3];
    }
    for (int lane = 0; x < j; x++, lane++) {
        if (lane == 0) {
            d0 += (double)subw(t[x], cs);
            w0 += v[x];
        } else if (lane == 1) {
            d1 += (double)subw(t[x], cs);
            w1 += v[x];
        } else {
            d2 += (double)subw(t[x], cs);
            w2 += v[x];
        }
    }
    sd[0] = d0; sd[1] = d1; sd[2] = d2; sd[3] = d3;
    sw[0] = w0; sw[1] = w1; sw[2] = w2; sw[3] = w3;
    e->count = addw(e->count, j - i);
    if (e->has_pending) hull_add(e->cur, e->p_t, e->p_v, e->p_seq);
    hull_add_run(e->cur, t, v, i, j - 1, e->seq);
    e->seq = addw32(e->seq, j - 1 - i);
    e->has_pending = 1;
    e->p_t = t[j - 1];
    e->p_v = v[j - 1];
    e->p_seq = e->seq;
    e->seq = addw32(e->seq, 1);
}

/* Releases time-ordered samples [i, k), handling whole runs inside the current bucket at once. */
NOINLINE static void release_run(lttb_engine *e, const int64_t *t, const double *v, int32_t i, int32_t k) {
    while (i < k) {
        int64_t ti = t[i];
        if (!e->in_segment || e->cur_closed || ti >= e->cur_end) {
            release(e, ti, v[i]);
            i++;
            continue;
        }
        int32_t j = first_at_or_after(t, i + 1, k, e->cur_end);
        bucket_run(e, t, v, i, j);
        i = j;
    }
}

/* Room for n more at the tail (StreamingLttb.makeRoom). */
COLD static void make_room(lttb_engine *e, int32_t n) {
    int32_t held = e->r_tail - e->r_head;
    int64_t limit = 2 * ((int64_t)e->cfg.reorder_cap + 1);
    if (held + n > e->rlen || (e->r_head < held && e->rlen < limit)) {
        int64_t want = (int64_t)e->rlen * 2 > (int64_t)held + n ? (int64_t)e->rlen * 2 : (int64_t)held + n;
        int64_t len = limit < want ? limit : want;
        if (len > e->rlen) {
            e->rt = xrealloc(e->rt, (uint64_t)len, 8);
            e->rv = xrealloc(e->rv, (uint64_t)len, 8);
            e->rlen = (int32_t)len;
            if (e->r_tail + n <= e->rlen) return;
        }
    }
    memmove(e->rt, e->rt + e->r_head, (size_t)held * 8);
    memmove(e->rv, e->rv + e->r_head, (size_t)held * 8);
    e->r_head = 0;
    e->r_tail = held;
    if (e->r_tail + n > e->rlen) spx_trap(); /* unreachable: the buffer may hold 2 * (reorderCap + 1) */
}

NOINLINE static void insert(lttb_engine *e, int64_t t, double v) {
    if (e->r_head == e->r_tail) e->r_head = e->r_tail = 0;
    if (e->r_tail == e->rlen) make_room(e, 1);
    int64_t *rt = e->rt;
    double *rv = e->rv;
    if (e->r_tail == e->r_head || rt[e->r_tail - 1] <= t) {
        rt[e->r_tail] = t;
        rv[e->r_tail] = v;
        e->r_tail++;
        return;
    }
    int32_t lo = e->r_head, hi = e->r_tail;
    while (lo < hi) {
        int32_t mid = (int32_t)(((uint32_t)lo + (uint32_t)hi) >> 1);
        if (rt[mid] <= t) lo = mid + 1;
        else hi = mid;
    }
    memmove(rt + lo + 1, rt + lo, (size_t)(e->r_tail - lo) * 8);
    memmove(rv + lo + 1, rv + lo, (size_t)(e->r_tail - lo) * 8);
    rt[lo] = t;
    rv[lo] = v;
    e->r_tail++;
}

NOINLINE static void append_in_order(lttb_engine *e, const int64_t *t, const double *v, int32_t from, int32_t to) {
    int32_t n = to - from;
    if (n == 0) return;
    if (e->r_head == e->r_tail) e->r_head = e->r_tail = 0;
    if (e->r_tail + n > e->rlen) make_room(e, n);
    memcpy(e->rt + e->r_tail, t + from, (size_t)n * 8);
    memcpy(e->rv + e->r_tail, v + from, (size_t)n * 8);
    e->r_tail += n;
}

NOINLINE static void advance(lttb_engine *e, int64_t f) {
    int32_t k = first_at_or_after(e->rt, e->r_head, e->r_tail, f);
    int32_t from = e->r_head;
    e->r_head = k;
    release_run(e, e->rt, e->rv, from, k);
    e->floor = f;
    fire_events_up_to(e, f);
}

NOINLINE static void force_oldest(lttb_engine *e) {
    int64_t t = e->rt[e->r_head];
    release(e, t, e->rv[e->r_head]);
    e->r_head++;
    e->forced++;
    if (t > e->floor) e->floor = t;
    fire_events_up_to(e, e->floor);
}

NOINLINE static void add_one(lttb_engine *e, int64_t t, double v) {
    if (!__builtin_isfinite(v)) {
        e->invalid++;
        return;
    }
    if (t < e->floor) {
        e->late++;
        e->last_late = t;
        return;
    }
    e->accepted++;
    if (t > e->max_t) e->max_t = t;
    insert(e, t, v);
    int64_t f = subw(e->max_t, e->lateness);
    if (f > e->max_t) f = MIN64;
    if (f > e->floor) advance(e, f);
    if (e->r_tail - e->r_head > e->cfg.reorder_cap) force_oldest(e);
}

NOINLINE static int in_order_and_finite(const lttb_engine *e, const int64_t *t, const double *v, int32_t from, int32_t to) {
    if (t[from] < e->max_t || (int64_t)(e->r_tail - e->r_head) + (to - from) > e->cfg.reorder_cap) return 0;
    int ok = 1;
    int64_t prev = t[from];
    for (int32_t i = from; i < to; i++) {
        int64_t ti = t[i];
        double vi = v[i];
        ok &= (ti >= prev) & (vi - vi == 0.0);
        prev = ti;
    }
    return ok;
}

NOINLINE static void add_in_order(lttb_engine *e, const int64_t *t, const double *v, int32_t from, int32_t to) {
    int64_t new_max = t[to - 1];
    int64_t f = subw(new_max, e->lateness);
    if (f > new_max) f = MIN64;
    if (f < e->floor) f = e->floor;
    if (f > e->floor) {
        int32_t h = first_at_or_after(e->rt, e->r_head, e->r_tail, f);
        int32_t first = e->r_head;
        e->r_head = h;
        release_run(e, e->rt, e->rv, first, h);
    }
    int32_t k = from;
    if (e->r_head == e->r_tail) {
        int32_t lo = from, hi = to;
        while (lo < hi) {
            int32_t mid = (int32_t)(((uint32_t)lo + (uint32_t)hi) >> 1);
            if (t[mid] < f) lo = mid + 1;
            else hi = mid;
        }
        k = lo;
        release_run(e, t, v, from, k);
    }
    append_in_order(e, t, v, k, to);
    e->accepted += to - from;
    e->max_t = new_max;
    if (f > e->floor) advance(e, f);
}

void lttb_add(lttb_engine *e, const int64_t *t, const double *v, int n, spx_out *out) {
    e->sink = out;
    int64_t late0 = e->late, invalid0 = e->invalid;
    if (n >= 16 && in_order_and_finite(e, t, v, 0, n)) add_in_order(e, t, v, 0, n);
    else
        for (int32_t i = 0; i < n; i++) add_one(e, t[i], v[i]);
    out->late += (uint32_t)(e->late - late0);
    out->invalid += (uint32_t)(e->invalid - invalid0);
    e->sink = NULL;
}

void lttb_flush(lttb_engine *e, spx_out *out) {
    e->sink = out;
    while (e->r_head < e->r_tail) {
        release(e, e->rt[e->r_head], e->rv[e->r_head]);
        e->r_head++;
    }
    e->r_head = e->r_tail = 0;
    if (e->in_segment) {
        if (!e->cur_closed) close_current(e);
        end_segment(e);
    }
    if (e->max_t > e->floor) e->floor = e->max_t;
    e->sink = NULL;
}

COLD void lttb_snapshot(const lttb_engine *e, spx_buf *b) {
    spx_put_i32(b, MAGIC);
    spx_put_i32(b, VERSION);
    spx_put_i64(b, e->cfg.bucket_nanos);
    spx_put_i64(b, e->cfg.lateness_nanos);
    spx_put_i32(b, e->cfg.gap_buckets);
    spx_put_i32(b, e->cfg.reorder_cap);
    spx_put_i32(b, e->cfg.hull_cap);
    int64_t counters[9] = {e->accepted, e->late,      e->invalid, e->emitted, e->forced,
                           e->compactions, e->last_late, e->floor, e->max_t};
    for (int i = 0; i < 9; i++) spx_put_i64(b, counters[i]);
    spx_put_i32(b, e->r_tail - e->r_head);
    for (int32_t i = e->r_head; i < e->r_tail; i++) {
        spx_put_i64(b, e->rt[i]);
        spx_put_f64(b, e->rv[i]);
    }
    spx_put_u8(b, (uint8_t)(e->in_segment != 0));
    spx_put_i64(b, e->a_t);
    spx_put_f64(b, e->a_v);
    spx_put_i64(b, e->cur_start);
    spx_put_i64(b, e->cur_end);
    spx_put_u8(b, (uint8_t)(e->cur_closed != 0));
    spx_put_u8(b, (uint8_t)(e->has_wait != 0));
    spx_put_u8(b, (uint8_t)(e->has_pending != 0));
    spx_put_i64(b, e->p_t);
    spx_put_f64(b, e->p_v);
    spx_put_i32(b, e->p_seq);
    spx_put_i32(b, e->seq);
    for (int lane = 0; lane < 4; lane++) {
        spx_put_f64(b, e->sum_dt[lane]);
        spx_put_f64(b, e->sum_v[lane]);
    }
    spx_put_i64(b, e->count);
    hull_write(e->cur, b);
    hull_write(e->wait, b);
}

COLD lttb_engine *lttb_restore(const uint8_t *bytes, size_t len) {
    spx_reader r = spx_reader_of(bytes, len);
    lttb_engine *e = NULL;
    int32_t magic = spx_get_i32(&r), version = spx_get_i32(&r);
    lttb_config c;
    c.bucket_nanos = spx_get_i64(&r);
    c.lateness_nanos = spx_get_i64(&r);
    c.gap_buckets = spx_get_i32(&r);
    c.reorder_cap = spx_get_i32(&r);
    c.hull_cap = spx_get_i32(&r);
    if (r.bad) goto fail;
    if (magic != MAGIC) {
        spx_err_cat("not a streaming LTTB snapshot (bad magic)");
        return NULL;
    }
    if (version != VERSION) {
        spx_err_cat("streaming LTTB snapshot version ");
        spx_err_i64(version);
        spx_err_cat(" is not supported (expected 1)");
        return NULL;
    }
    if (lttb_config_check(&c) != SPX_OK) return NULL;
    e = lttb_new(&c);
    int64_t *counters[9] = {&e->accepted, &e->late,      &e->invalid, &e->emitted, &e->forced,
                            &e->compactions, &e->last_late, &e->floor, &e->max_t};
    for (int i = 0; i < 9; i++) *counters[i] = spx_get_i64(&r);
    int32_t held = spx_get_i32(&r);
    if (held < 0 || (int64_t)held > (int64_t)c.reorder_cap + 1) {
        spx_err_cat("snapshot holds ");
        spx_err_i64(held);
        spx_err_cat(" samples, more than the reorder cap ");
        spx_err_i64(c.reorder_cap);
        goto fail;
    }
    if ((uint64_t)held * 16 > spx_remaining(&r)) r.bad = 1;
    if (r.bad) goto fail;
    if (held > e->rlen) {
        e->rt = xrealloc(e->rt, (uint64_t)held, 8);
        e->rv = xrealloc(e->rv, (uint64_t)held, 8);
        e->rlen = held;
    }
    for (int32_t i = 0; i < held; i++) {
        e->rt[i] = spx_get_i64(&r);
        e->rv[i] = spx_get_f64(&r);
        if (i > 0 && e->rt[i] < e->rt[i - 1]) { /* the engine keeps them sorted, and relies on it */
            spx_err_cat("streaming LTTB snapshot is corrupt: held samples out of time order");
            goto fail;
        }
    }
    e->r_head = 0;
    e->r_tail = held;
    e->in_segment = spx_get_bool(&r);
    e->a_t = spx_get_i64(&r);
    e->a_v = spx_get_f64(&r);
    e->cur_start = spx_get_i64(&r);
    e->cur_end = spx_get_i64(&r);
    e->cur_closed = spx_get_bool(&r);
    e->has_wait = spx_get_bool(&r);
    e->has_pending = spx_get_bool(&r);
    e->p_t = spx_get_i64(&r);
    e->p_v = spx_get_f64(&r);
    e->p_seq = spx_get_i32(&r);
    e->seq = spx_get_i32(&r);
    for (int lane = 0; lane < 4; lane++) {
        e->sum_dt[lane] = spx_get_f64(&r);
        e->sum_v[lane] = spx_get_f64(&r);
    }
    e->count = spx_get_i64(&r);
    if (r.bad || hull_read(e->cur, &r) != SPX_OK || hull_read(e->wait, &r) != SPX_OK) goto fail;
    if (spx_remaining(&r) == 0) return e;
    spx_err_cat("streaming LTTB snapshot has trailing bytes");
fail:
    if (r.bad) spx_err_cat("streaming LTTB snapshot is truncated or corrupt");
    lttb_free(e);
    return NULL;
}
