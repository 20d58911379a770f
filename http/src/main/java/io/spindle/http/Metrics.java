package io.spindle.http;

import java.util.Arrays;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * A registry of named counters, gauges and histograms, rendered at {@code GET /metrics} in the Prometheus text
 * format 0.0.4. Counters and gauges are read by lambda at scrape time, so owners keep their own counts and pay
 * nothing per sample; the registry also keeps counters and histograms of its own for callers that have none.
 * Thread-safe. A lambda that throws is skipped for that scrape and counted in
 * {@code spindle_metrics_read_errors_total}, so one broken source never hides the others.
 */
public final class Metrics {
    /** Content type of {@link #render()}'s output. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final String READ_ERRORS = "spindle_metrics_read_errors_total";

    private enum Type { COUNTER, GAUGE, HISTOGRAM }

    /** One metric name: its type, help and one child per label set. */
    private static final class Family {
        final String name, help;
        final Type type;
        final double[] bounds; // histograms only
        final ConcurrentSkipListMap<String, Child> children = new ConcurrentSkipListMap<>();

        Family(String name, String help, Type type, double[] bounds) {
            this.name = name;
            this.help = help;
            this.type = type;
            this.bounds = bounds;
        }
    }

    /** One labelled series: a supplier (counter, gauge), an owned counter, or a histogram. */
    private record Child(SortedMap<String, String> labels, LongSupplier longs, DoubleSupplier doubles, Histogram histogram) {
    }

    /** A counter the registry keeps. */
    public static final class Counter {
        private final LongAdder n = new LongAdder();

        /** Adds one. */
        public void inc() {
            n.increment();
        }

        /** Adds delta (>= 0). */
        public void add(long delta) {
            if (delta < 0) throw new IllegalArgumentException("a counter cannot go down (delta " + delta + ")");
            n.add(delta);
        }

        /** The count so far. */
        public long get() {
            return n.sum();
        }
    }

    /** Marks a counter child as the registry's own, so later calls get the same one back. */
    private record OwnedCounter(Counter counter) implements LongSupplier {
        @Override
        public long getAsLong() {
            return counter.get();
        }
    }

    private final ConcurrentSkipListMap<String, Family> families = new ConcurrentSkipListMap<>();
    private final LongAdder readErrors = new LongAdder();

    /** Registers (or replaces) an unlabelled counter read from value; the name must end in {@code _total}. */
    public void counter(String name, String help, LongSupplier value) {
        counter(name, help, Map.of(), value);
    }

    /** Registers (or replaces) a labelled counter read from value; the name must end in {@code _total}. */
    public void counter(String name, String help, Map<String, String> labels, LongSupplier value) {
        if (value == null) throw new IllegalArgumentException("metric " + name + ": value supplier is null");
        Family f = family(name, help, Type.COUNTER, null);
        SortedMap<String, String> l = labels(name, labels);
        f.children.put(key(l), new Child(l, value, null, null));
    }

    /** The registry's own counter for name and labels, created on first use (the same one on later calls). */
    public Counter counter(String name, String help, Map<String, String> labels) {
        Family f = family(name, help, Type.COUNTER, null);
        SortedMap<String, String> l = labels(name, labels);
        Counter c = new Counter();
        Child mine = new Child(l, new OwnedCounter(c), null, null);
        Child had = f.children.putIfAbsent(key(l), mine);
        if (had == null) return c;
        if (had.longs() instanceof OwnedCounter oc) return oc.counter;
        throw new IllegalArgumentException("metric " + name + l + " is already read from a supplier");
    }

    /** Registers (or replaces) an unlabelled gauge read from value. */
    public void gauge(String name, String help, DoubleSupplier value) {
        gauge(name, help, Map.of(), value);
    }

    /** Registers (or replaces) a labelled gauge read from value. */
    public void gauge(String name, String help, Map<String, String> labels, DoubleSupplier value) {
        if (value == null) throw new IllegalArgumentException("metric " + name + ": value supplier is null");
        Family f = family(name, help, Type.GAUGE, null);
        SortedMap<String, String> l = labels(name, labels);
        f.children.put(key(l), new Child(l, null, value, null));
    }

    /** The unlabelled histogram of name with the given upper bounds, created on first use. */
    public Histogram histogram(String name, String help, double... upperBounds) {
        return histogram(name, help, Map.of(), upperBounds);
    }

    /** The histogram of name and labels, created on first use; every label set of a name has the same bounds. */
    public Histogram histogram(String name, String help, Map<String, String> labels, double... upperBounds) {
        Family f = family(name, help, Type.HISTOGRAM, Histogram.checked(upperBounds));
        if (!Arrays.equals(f.bounds, upperBounds))
            throw new IllegalArgumentException("histogram " + name + " already has bounds " + Arrays.toString(f.bounds));
        SortedMap<String, String> l = labels(name, labels);
        return f.children.computeIfAbsent(key(l), k -> new Child(l, null, null, new Histogram(upperBounds))).histogram();
    }

    /** Every metric in the Prometheus text format 0.0.4, families sorted by name, label sets sorted. */
    public String render() {
        StringBuilder out = new StringBuilder(4096);
        for (Family f : families.values()) {
            StringBuilder body = new StringBuilder();
            for (Child c : f.children.values()) {
                try {
                    sample(body, f, c);
                } catch (RuntimeException e) {
                    readErrors.increment(); // the sample is left out of this scrape; the others still render
                }
            }
            if (body.isEmpty()) continue;
            PrometheusText.help(out, f.name, f.help, f.type.name().toLowerCase(java.util.Locale.ROOT));
            out.append(body);
        }
        PrometheusText.help(out, READ_ERRORS, "Metric values left out of a scrape because reading them failed", "counter");
        out.append(READ_ERRORS).append(' ').append(readErrors.sum()).append('\n');
        return out.toString();
    }

    private static void sample(StringBuilder out, Family f, Child c) {
        switch (f.type) {
            case COUNTER -> {
                long v = c.longs().getAsLong(); // read first: a throwing supplier writes nothing
                out.append(f.name);
                PrometheusText.labels(out, c.labels(), null, null);
                out.append(' ').append(v).append('\n');
            }
            case GAUGE -> {
                double v = c.doubles().getAsDouble();
                out.append(f.name);
                PrometheusText.labels(out, c.labels(), null, null);
                out.append(' ').append(PrometheusText.number(v)).append('\n');
            }
            case HISTOGRAM -> {
                Histogram h = c.histogram();
                long[] cum = h.cumulative();
                double[] b = h.bounds();
                for (int i = 0; i < cum.length; i++) {
                    out.append(f.name).append("_bucket");
                    PrometheusText.labels(out, c.labels(), "le", i < b.length ? PrometheusText.number(b[i]) : "+Inf");
                    out.append(' ').append(cum[i]).append('\n');
                }
                out.append(f.name).append("_sum");
                PrometheusText.labels(out, c.labels(), null, null);
                out.append(' ').append(PrometheusText.number(h.sum())).append('\n');
                out.append(f.name).append("_count");
                PrometheusText.labels(out, c.labels(), null, null);
                out.append(' ').append(cum[cum.length - 1]).append('\n');
            }
        }
    }

    private Family family(String name, String help, Type type, double[] bounds) {
        PrometheusText.checkName(name);
        if (help == null || help.isBlank()) throw new IllegalArgumentException("metric " + name + ": help text is empty");
        if (type == Type.COUNTER && !name.endsWith("_total"))
            throw new IllegalArgumentException("counter " + name + " must end in _total");
        if (name.equals(READ_ERRORS)) throw new IllegalArgumentException("metric " + name + " is the registry's own");
        Family f = families.computeIfAbsent(name, n -> new Family(n, help, type, bounds));
        if (f.type != type)
            throw new IllegalArgumentException("metric " + name + " is already a " + f.type.name().toLowerCase(java.util.Locale.ROOT));
        return f;
    }

    private static SortedMap<String, String> labels(String name, Map<String, String> labels) {
        if (labels == null) labels = Map.of();
        PrometheusText.checkLabels(name, labels);
        return java.util.Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    }

    private static String key(SortedMap<String, String> labels) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : labels.entrySet()) b.append(e.getKey()).append('\u0000').append(e.getValue()).append('\u0000');
        return b.toString();
    }
}
