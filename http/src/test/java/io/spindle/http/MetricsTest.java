package io.spindle.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The registry and its Prometheus text, without a server. */
class MetricsTest {
    @Test
    void rendersCountersGaugesAndHistogramsInTheTextFormat() {
        Metrics m = new Metrics();
        AtomicLong in = new AtomicLong(41);
        m.counter("spindle_samples_in_total", "Samples accepted", in::get);
        in.incrementAndGet();
        m.gauge("spindle_reduction_ratio", "Raw samples per tier-0 point", Map.of("series", "m1/vib \"x\"\\\n"), () -> 98.5);
        Histogram h = m.histogram("spindle_component_call_seconds", "Component call time", 0.001, 0.01, 0.1);
        h.observe(0.0005);
        h.observe(0.001); // le is inclusive
        h.observe(0.05);
        h.observe(3);
        h.observe(Double.NaN); // belongs nowhere
        Metrics.Counter late = m.counter("spindle_late_samples_total", "Late samples", Map.of("source", "shdr"));
        late.add(3);
        assertThat(m.counter("spindle_late_samples_total", "Late samples", Map.of("source", "shdr"))).isSameAs(late);
        String text = m.render();
        assertThat(text).contains("""
                # HELP spindle_samples_in_total Samples accepted
                # TYPE spindle_samples_in_total counter
                spindle_samples_in_total 42
                """);
        assertThat(text).contains("spindle_reduction_ratio{series=\"m1/vib \\\"x\\\"\\\\\\n\"} 98.5\n");
        assertThat(text).contains("""
                spindle_component_call_seconds_bucket{le="0.001"} 2
                spindle_component_call_seconds_bucket{le="0.01"} 2
                spindle_component_call_seconds_bucket{le="0.1"} 3
                spindle_component_call_seconds_bucket{le="+Inf"} 4
                spindle_component_call_seconds_sum 3.0515
                spindle_component_call_seconds_count 4
                """);
        assertThat(text).contains("spindle_late_samples_total{source=\"shdr\"} 3\n");
        Map<String, Double> parsed = PrometheusTextCheck.parse(text);
        assertThat(parsed.get("spindle_samples_in_total")).isEqualTo(42.0);
        assertThat(h.count()).isEqualTo(4);
    }

    @Test
    void aThrowingSourceIsLeftOutAndCountedNotFatal() {
        Metrics m = new Metrics();
        m.counter("spindle_a_total", "a", () -> { throw new IllegalStateException("source gone"); });
        m.gauge("spindle_b", "b", () -> 1.5);
        m.gauge("spindle_c", "c", () -> Double.NaN);
        String text = m.render();
        assertThat(text).doesNotContain("spindle_a_total").contains("spindle_b 1.5\n").contains("spindle_c NaN\n")
                .contains("spindle_metrics_read_errors_total 1\n");
        PrometheusTextCheck.parse(text);
        m.counter("spindle_a_total", "a", () -> 7); // replacing the source repairs it
        assertThat(m.render()).contains("spindle_a_total 7\n").contains("spindle_metrics_read_errors_total 1\n");
    }

    @Test
    void refusesBadNamesLabelsAndTypeClashes() {
        Metrics m = new Metrics();
        assertThatThrownBy(() -> m.counter("spindle_samples", "x", () -> 1)).hasMessageContaining("must end in _total");
        assertThatThrownBy(() -> m.gauge("spindle-bad", "x", () -> 1)).hasMessageContaining("not a Prometheus name");
        assertThatThrownBy(() -> m.gauge("spindle_x", "", () -> 1)).hasMessageContaining("help text is empty");
        assertThatThrownBy(() -> m.gauge("spindle_x", "x", Map.of("bad-label", "v"), () -> 1)).hasMessageContaining("label name 'bad-label'");
        assertThatThrownBy(() -> m.gauge("spindle_x", "x", Map.of("le", "v"), () -> 1)).hasMessageContaining("reserved");
        m.gauge("spindle_x_total", "x", () -> 1);
        assertThatThrownBy(() -> m.counter("spindle_x_total", "x", () -> 1)).hasMessageContaining("already a gauge");
        m.histogram("spindle_h", "h", 1, 2);
        assertThatThrownBy(() -> m.histogram("spindle_h", "h", 1, 3)).hasMessageContaining("already has bounds");
        assertThatThrownBy(() -> m.histogram("spindle_h2", "h", 2, 1)).hasMessageContaining("must increase");
        assertThatThrownBy(() -> m.histogram("spindle_h3", "h", 1, Double.POSITIVE_INFINITY)).hasMessageContaining("not finite");
        assertThatThrownBy(() -> m.counter("spindle_n_total", "n", Map.of()).add(-1)).hasMessageContaining("cannot go down");
    }
}
