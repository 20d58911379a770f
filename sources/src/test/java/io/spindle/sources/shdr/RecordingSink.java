package io.spindle.sources.shdr;

import io.spindle.sources.SourceSink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keeps everything a source delivers; safe to read from the test thread while the source writes. */
final class RecordingSink implements SourceSink {
    record Sample(long t, double v) {
    }

    record Event(String series, long t, String value) {
    }

    record Rejected(String source, String input, String reason) {
    }

    private final Map<String, List<Sample>> samples = new LinkedHashMap<>();
    private final List<Event> events = new ArrayList<>();
    private final List<Rejected> rejected = new ArrayList<>();
    private final List<Integer> batches = new ArrayList<>();
    private long count;

    @Override
    public synchronized void sample(String series, long tNanos, double value) {
        samples.computeIfAbsent(series, k -> new ArrayList<>()).add(new Sample(tNanos, value));
        count++;
    }

    @Override
    public synchronized void samples(String series, long[] tNanos, double[] values, int n) {
        batches.add(n);
        List<Sample> l = samples.computeIfAbsent(series, k -> new ArrayList<>());
        for (int i = 0; i < n; i++) l.add(new Sample(tNanos[i], values[i]));
        count += n;
    }

    @Override
    public synchronized void event(String series, long tNanos, String value) {
        events.add(new Event(series, tNanos, value));
    }

    @Override
    public synchronized void rejected(String source, String input, String reason) {
        rejected.add(new Rejected(source, input, reason));
    }

    synchronized long sampleCount() {
        return count;
    }

    synchronized Map<String, List<Sample>> samples() {
        Map<String, List<Sample>> copy = new LinkedHashMap<>();
        samples.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return copy;
    }

    synchronized List<Event> events() {
        return List.copyOf(events);
    }

    synchronized List<String> eventValues(String series) {
        return events.stream().filter(e -> e.series().equals(series)).map(Event::value).toList();
    }

    synchronized List<Rejected> rejected() {
        return List.copyOf(rejected);
    }

    synchronized List<Integer> batches() {
        return List.copyOf(batches);
    }
}
