package io.spindle.cli;

import io.spindle.downsample.stream.SeriesSink;
import io.spindle.downsample.stream.StreamConfig;
import io.spindle.downsample.stream.StreamStats;
import io.spindle.downsample.stream.StreamingLttbSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Every series of a log through streaming LTTB in the order a live source would deliver them (file order, no
 * sorting), so samples whose time steps backwards show up where they belong: counted as late, by series.
 */
final class LiveReplay {

    /** Totals, and the series with late samples, most first. */
    record Result(long bucketNanos, long latenessNanos, int series, long offered, long accepted, long late,
                  long points, List<Map.Entry<String, StreamStats>> lateSeries) {
    }

    private LiveReplay() {
    }

    static Result run(Map<String, SampleColumns> all, long bucketNanos, long latenessNanos) {
        long[] points = new long[1];
        SeriesSink sink = (series, t, v) -> points[0]++;
        StreamConfig cfg = StreamConfig.of(bucketNanos).withLateness(latenessNanos);
        StreamingLttbSet set = new StreamingLttbSet(name -> cfg, sink);
        for (Map.Entry<String, SampleColumns> e : all.entrySet()) {
            SampleColumns c = e.getValue();
            set.add(e.getKey(), c.t, c.v, 0, c.n);
        }
        set.flush();
        long offered = 0, accepted = 0, late = 0;
        List<Map.Entry<String, StreamStats>> lateSeries = new ArrayList<>();
        for (Map.Entry<String, StreamStats> e : set.stats().entrySet()) {
            StreamStats s = e.getValue();
            offered += s.accepted() + s.late() + s.invalid();
            accepted += s.accepted();
            late += s.late();
            if (s.late() > 0) lateSeries.add(e);
        }
        lateSeries.sort(Comparator.comparingLong((Map.Entry<String, StreamStats> e) -> -e.getValue().late())
                .thenComparing(Map.Entry::getKey));
        return new Result(bucketNanos, latenessNanos, set.size(), offered, accepted, late, points[0], lateSeries);
    }
}
