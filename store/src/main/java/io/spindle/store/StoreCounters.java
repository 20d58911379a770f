package io.spindle.store;

import java.util.concurrent.atomic.AtomicLong;

/** A store's counters since it was opened, and its recent commit latencies. */
final class StoreCounters {
    final AtomicLong commits = new AtomicLong();
    final AtomicLong rowsWritten = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong rowsExpired = new AtomicLong();
    final AtomicLong failedCommits = new AtomicLong();
    final LatencyWindow latency = new LatencyWindow(1024);

    SeriesStore.StoreStats snapshot() {
        double[] q = latency.quantilesMs(0.5, 0.99);
        return new SeriesStore.StoreStats(commits.get(), rowsWritten.get(), duplicates.get(), rowsExpired.get(),
                failedCommits.get(), q[0], q[1]);
    }
}
