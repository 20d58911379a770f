package io.spindle.sources.mqtt;

import io.spindle.sources.SourceSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** A sink that keeps everything it is given, for the tests to wait on and inspect. */
final class RecordingSink implements SourceSink {
    record Sample(String series, long t, double v) {
    }

    record Event(String series, long t, String text) {
    }

    record Stale(String series, long t) {
    }

    record Rejected(String source, String input, String reason) {
    }

    private final List<Sample> samples = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();
    private final List<Stale> stale = new ArrayList<>();
    private final List<Rejected> rejected = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    @Override
    public synchronized void sample(String series, long tNanos, double value) {
        samples.add(new Sample(series, tNanos, value));
        thread();
    }

    @Override
    public synchronized void event(String series, long tNanos, String value) {
        events.add(new Event(series, tNanos, value));
        thread();
    }

    @Override
    public synchronized void stale(String series, long tNanos) {
        stale.add(new Stale(series, tNanos));
        thread();
    }

    @Override
    public synchronized void rejected(String source, String input, String reason) {
        rejected.add(new Rejected(source, input, reason));
        thread();
    }

    private void thread() {
        if (!threads.contains(Thread.currentThread())) threads.add(Thread.currentThread());
    }

    /** Everything recorded, in entries. */
    synchronized int size() {
        return samples.size() + events.size() + stale.size() + rejected.size() + threads.size();
    }

    /** Forgets everything recorded (long fuzz runs). */
    synchronized void clear() {
        samples.clear();
        events.clear();
        stale.clear();
        rejected.clear();
        threads.clear();
    }

    synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    synchronized List<Sample> samples(String series) {
        return samples.stream().filter(s -> s.series.equals(series)).toList();
    }

    synchronized List<Event> events() {
        return List.copyOf(events);
    }

    synchronized List<Stale> stale() {
        return List.copyOf(stale);
    }

    synchronized List<Rejected> rejected() {
        return List.copyOf(rejected);
    }

    synchronized List<Thread> threads() {
        return List.copyOf(threads);
    }

    /** Waits until a sample satisfies p; returns it. */
    Sample awaitSample(Predicate<Sample> p, String what) {
        return await(() -> samples().stream().filter(p).findFirst().orElse(null), what);
    }

    Rejected awaitRejected(Predicate<Rejected> p, String what) {
        return await(() -> rejected().stream().filter(p).findFirst().orElse(null), what);
    }

    Stale awaitStale(String series) {
        return await(() -> stale().stream().filter(s -> s.series.equals(series)).findFirst().orElse(null),
            "stale mark of " + series);
    }

    /** Polls until get returns non-null (10 s at most). */
    static <T> T await(Supplier<T> get, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            T t = get.get();
            if (t != null) return t;
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    /** Polls until cond holds (10 s at most). */
    static void awaitTrue(java.util.function.BooleanSupplier cond, String what) {
        await(() -> cond.getAsBoolean() ? Boolean.TRUE : null, what);
    }
}
