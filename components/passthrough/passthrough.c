/* passthrough: emits every finite sample of a batch as given (NaN and infinities count as invalid); flush emits
 * nothing; the state is the number of samples seen, 8 bytes big-endian. Imports nothing. */
#define SPINDLE_PROCESSOR_IMPLEMENTATION
#include "../sdk/spindle_processor.h"

static uint64_t seen;

int spx_process(spx_str series, const int64_t *times, const double *values, size_t n, spx_out *out) {
    (void)series;
    for (size_t i = 0; i < n; i++) {
        if (values[i] - values[i] == 0.0) spx_emit(out, times[i], values[i]);
        else out->invalid++;
    }
    seen += n;
    return SPX_OK;
}

int spx_flush(spx_str series, spx_out *out) {
    (void)series;
    (void)out;
    return SPX_OK;
}

void spx_snapshot(spx_buf *state) {
    spx_put_u64(state, seen);
}

int spx_restore(const uint8_t *bytes, size_t len) {
    if (len != 8) {
        spx_err_cat("passthrough state is 8 bytes, got ");
        spx_err_i64((int64_t)len);
        return SPX_ERR;
    }
    spx_reader r = spx_reader_of(bytes, len);
    seen = spx_get_u64(&r);
    return SPX_OK;
}
