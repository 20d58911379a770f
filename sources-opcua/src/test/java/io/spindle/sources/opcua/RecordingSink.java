package io.spindle.sources.opcua;

import io.spindle.sources.SourceSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/** A sink that keeps everything it is given, in order, and lets a test wait for a condition on it. */
final class RecordingSink implements SourceSink {
    sealed interface Call permits Sample, Event, Stale, Rejected {
    }

    record Sample(String series, long t, double v) implements Call {
    }

    record Event(String series, long t, String text) implements Call {
    }

    record Stale(String series, long t) implements Call {
    }

    record Rejected(String source, String input, String reason) implements Call {
    }

    private final List<Call> calls = new ArrayList<>();
    private int batches;

    @Override
    public synchronized void sample(String series, long tNanos, double value) {
        calls.add(new Sample(series, tNanos, value));
        notifyAll();
    }

    @Override
    public synchronized void samples(String series, long[] tNanos, double[] values, int count) {
        batches++;
        for (int i = 0; i < count; i++) calls.add(new Sample(series, tNanos[i], values[i]));
        notifyAll();
    }

    @Override
    public synchronized void event(String series, long tNanos, String value) {
        calls.add(new Event(series, tNanos, value));
        notifyAll();
    }

    @Override
    public synchronized void stale(String series, long tNanos) {
        calls.add(new Stale(series, tNanos));
        notifyAll();
    }

    @Override
    public synchronized void rejected(String source, String input, String reason) {
        calls.add(new Rejected(source, input, reason));
        notifyAll();
    }

    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    synchronized int batches() {
        return batches;
    }

    synchronized List<Sample> samples(String series) {
        return calls.stream().filter(c -> c instanceof Sample s && s.series().equals(series)).map(Sample.class::cast).toList();
    }

    synchronized List<Event> events(String series) {
        return calls.stream().filter(c -> c instanceof Event e && e.series().equals(series)).map(Event.class::cast).toList();
    }

    synchronized List<Rejected> rejections() {
        return calls.stream().filter(c -> c instanceof Rejected).map(Rejected.class::cast).toList();
    }

    synchronized List<Stale> stales() {
        return calls.stream().filter(c -> c instanceof Stale).map(Stale.class::cast).toList();
    }

    /** Waits until a call matching the predicate has arrived; fails with what did arrive after the timeout. */
    void awaitCall(Predicate<Call> match, Duration timeout, String what) {
        await(() -> calls().stream().anyMatch(match), timeout, what);
    }

    /** Waits until the condition holds (re-checked on every call and at least every 50 ms). */
    synchronized void await(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                List<Call> tail = calls.subList(Math.max(0, calls.size() - 20), calls.size());
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; last calls: " + tail);
            }
            try {
                wait(Math.max(1, Math.min(50, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }
}
