package io.spindle.http;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bounds how many queries read the store at once: each may hold up to a few million points in memory, so their
 * number, not the HTTP thread pool, sets the memory a burst can take. A query waits its turn for a while, then gets
 * a 503.
 */
final class QueryGate {
    private final Semaphore permits;
    private final int size;
    private final long waitMillis;

    QueryGate(int size, long waitMillis) {
        this.permits = new Semaphore(size, true);
        this.size = size;
        this.waitMillis = waitMillis;
    }

    /** Runs work with a permit; ApiError 503 when none frees up in time. */
    <T> T run(java.util.function.Supplier<T> work) {
        boolean got;
        try {
            got = permits.tryAcquire(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiError.unavailable("interrupted while waiting for a query slot");
        }
        if (!got) throw ApiError.unavailable("server busy: " + size + " queries running for over " + waitMillis + " ms; retry");
        try {
            return work.get();
        } finally {
            permits.release();
        }
    }

    /** Queries running now. */
    int running() {
        return size - permits.availablePermits();
    }
}
