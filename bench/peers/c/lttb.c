/*
 * Peer native_c_lttb of `spindle bench downsample`: the reference LTTB (flot-downsample by Sveinn Steinarsson,
 * commit af872e0) ported line by line to C, on separate x and y arrays, writing the kept indices.
 *
 * usage: lttb <data.f64> <threshold> [warmups=2] [runs=5]
 * The file holds n little-endian float64 x values, then n y values. Each run is timed in-process (reading the file
 * excluded); stdout gets one JSON line {peer, median_ms, runs, selected, index_sum}, stderr the progress.
 */
#define _POSIX_C_SOURCE 199309L
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int lttb(const double *x, const double *y, long n, long threshold, long *out) {
    if (threshold >= n || threshold == 0) {
        for (long i = 0; i < n; i++) out[i] = i;
        return (int) n;
    }
    long k = 0;
    double every = (double) (n - 2) / (double) (threshold - 2);
    long a = 0, next_a = 0;
    out[k++] = a;
    for (long i = 0; i < threshold - 2; i++) {
        double avg_x = 0, avg_y = 0;
        long avg_start = (long) floor((double) (i + 1) * every) + 1;
        long avg_end = (long) floor((double) (i + 2) * every) + 1;
        avg_end = avg_end < n ? avg_end : n;
        long avg_len = avg_end - avg_start;
        for (; avg_start < avg_end; avg_start++) {
            avg_x += x[avg_start];
            avg_y += y[avg_start];
        }
        avg_x /= (double) avg_len;
        avg_y /= (double) avg_len;

        long range_offs = (long) floor((double) i * every) + 1;
        long range_to = (long) floor((double) (i + 1) * every) + 1;
        double ax = x[a], ay = y[a];
        double max_area = -1;
        for (; range_offs < range_to; range_offs++) {
            double area = fabs((ax - avg_x) * (y[range_offs] - ay) - (ax - x[range_offs]) * (avg_y - ay)) * 0.5;
            if (area > max_area) {
                max_area = area;
                next_a = range_offs;
            }
        }
        out[k++] = next_a;
        a = next_a;
    }
    out[k++] = n - 1;
    return (int) k;
}

static void die(const char *what, const char *detail) {
    fprintf(stderr, "error: %s: %s\n", what, detail);
    exit(1);
}

static long arg(const char *s, const char *name, long min) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || end == s || v < min) {
        fprintf(stderr, "error: %s must be an integer >= %ld, got '%s'\n", name, min, s);
        exit(1);
    }
    return v;
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *p, const void *q) {
    double a = *(const double *) p, b = *(const double *) q;
    return (a > b) - (a < b);
}

static void read_le(FILE *f, double *dst, long n, const char *path) {
    if (fread(dst, sizeof(double), (size_t) n, f) != (size_t) n) die(path, "short read");
    const uint16_t probe = 1;
    if (*(const uint8_t *) &probe == 0) { /* big-endian host: the file is little-endian */
        for (long i = 0; i < n; i++) {
            uint64_t u;
            memcpy(&u, &dst[i], 8);
            u = __builtin_bswap64(u);
            memcpy(&dst[i], &u, 8);
        }
    }
}

int main(int argc, char **argv) {
    if (argc < 3) die("usage", "lttb <data.f64> <threshold> [warmups=2] [runs=5]");
    const char *path = argv[1];
    long threshold = arg(argv[2], "threshold", 3);
    long warmups = argc > 3 ? arg(argv[3], "warmups", 0) : 2;
    long runs = argc > 4 ? arg(argv[4], "runs", 1) : 5;

    FILE *f = fopen(path, "rb");
    if (!f) die(path, strerror(errno));
    if (fseek(f, 0, SEEK_END) != 0) die(path, strerror(errno));
    long size = ftell(f);
    if (size <= 0 || size % 16 != 0) die(path, "size is not a positive multiple of 16");
    rewind(f);
    long n = size / 16;
    if (threshold >= n) die("threshold", "must be below the number of samples");
    double *x = malloc(sizeof(double) * (size_t) n);
    double *y = malloc(sizeof(double) * (size_t) n);
    long *out = malloc(sizeof(long) * (size_t) threshold);
    double *times = malloc(sizeof(double) * (size_t) runs);
    if (!x || !y || !out || !times) die("malloc", "out of memory");
    read_le(f, x, n, path);
    read_le(f, y, n, path);
    fclose(f);

    int kept = 0;
    for (long i = 0; i < warmups + runs; i++) {
        double t0 = now_ms();
        kept = lttb(x, y, n, threshold, out);
        double ms = now_ms() - t0;
        int warm = i < warmups;
        if (!warm) times[i - warmups] = ms;
        fprintf(stderr, "%s %ld/%ld %.2f ms\n", warm ? "warmup" : "run", warm ? i + 1 : i - warmups + 1,
                warm ? warmups : runs, ms);
    }
    long long index_sum = 0;
    for (int i = 0; i < kept; i++) index_sum += out[i];
    qsort(times, (size_t) runs, sizeof(double), cmp_double);
    double median = runs % 2 ? times[runs / 2] : (times[runs / 2 - 1] + times[runs / 2]) / 2;
    printf("{\"peer\":\"native_c_lttb\",\"median_ms\":%.6f,\"runs\":%ld,\"selected\":%d,\"index_sum\":%lld}\n",
           median, runs, kept, index_sum);
    free(x);
    free(y);
    free(out);
    free(times);
    return 0;
}
