package io.spindle.sources.sim;

import io.spindle.sources.SourceCounters;
import io.spindle.sources.SourceSink;

/** The machine's execution state (READY, ACTIVE, STOPPED) as change-only events, walked forward with the program. */
final class ExecutionEvents {
    private final MachineProgram program;
    private final String series;
    private final long startNs;
    private byte last = -1;

    ExecutionEvents(long seed, String series, long startNs) {
        this.program = new MachineProgram(seed);
        this.series = series;
        this.startNs = startNs;
    }

    /** Delivers the state changes before t (ns since the start) not delivered yet; returns how many. */
    int deliverUntil(long t, SourceSink sink, SourceCounters counters) {
        int n = 0;
        while (true) {
            long s = program.segmentStart();
            if (s >= t) return n;
            byte st = program.state();
            if (st != last) {
                last = st;
                sink.event(series, startNs + s, MachineProgram.STATE_NAMES[st]);
                counters.events.incrementAndGet();
                n++;
            }
            long e = program.segmentEnd();
            if (e >= t) return n;
            program.seek(e);
        }
    }
}
