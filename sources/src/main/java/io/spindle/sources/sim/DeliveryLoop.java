package io.spindle.sources.sim;

import io.spindle.sources.SourceCounters;
import io.spindle.sources.SourceSink;
import java.util.concurrent.locks.LockSupport;

/**
 * The simulator's thread: chunk by chunk of signal time, it waits for the wall clock to reach the chunk's end (when
 * paced) and hands each channel's samples up to there to the sink in one call, then the execution-state changes.
 */
final class DeliveryLoop implements Runnable {
    private final SimulatorConfig config;
    private final SourceSink sink;
    private final SourceCounters counters;
    private final String[] series;
    private final ChannelGenerator[] generators;
    private final ExecutionEvents events;
    private final long[][] times;
    private final double[][] values;
    private volatile boolean running = true;

    DeliveryLoop(MachineSimulator sim, long startNs, SourceSink sink, SourceCounters counters) {
        this.config = sim.config();
        this.sink = sink;
        this.counters = counters;
        int n = sim.channelCount();
        series = new String[n];
        generators = new ChannelGenerator[n];
        times = new long[n][];
        values = new double[n][];
        for (int c = 0; c < n; c++) {
            series[c] = sim.series(c);
            generators[c] = sim.generator(c, startNs);
            int perChunk = (int) SampleClock.samplesBefore(config.chunkMs() * 1_000_000L, generators[c].rateHz()) + 1;
            times[c] = new long[perChunk];
            values[c] = new double[perChunk];
        }
        events = new ExecutionEvents(config.seed(), sim.executionSeries(), startNs);
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        long chunkNs = config.chunkMs() * 1_000_000L;
        long anchor = System.nanoTime();
        counters.connected(true);
        try {
            for (long k = 1; running; k++) {
                long until = k * chunkNs;
                if (config.paced()) {
                    long wait;
                    while (running && (wait = anchor + until - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
                    if (!running) break;
                }
                deliver(until);
            }
        } finally {
            counters.connected(false);
        }
    }

    private void deliver(long until) {
        for (int c = 0; c < generators.length && running; c++) {
            ChannelGenerator g = generators[c];
            long due = SampleClock.samplesBefore(until, g.rateHz()) - g.position();
            while (due > 0 && running) {
                int m = (int) Math.min(due, times[c].length);
                g.next(times[c], values[c], m);
                due -= m;
                try {
                    sink.samples(series[c], times[c], values[c], m);
                    counters.samples.addAndGet(m);
                } catch (RuntimeException e) {
                    counters.lastError("sink failed on " + series[c] + ": " + e);
                }
            }
        }
        if (!running) return;
        try {
            events.deliverUntil(until, sink, counters);
        } catch (RuntimeException e) {
            counters.lastError("sink failed on " + config.machine() + "/execution: " + e);
        }
    }
}
