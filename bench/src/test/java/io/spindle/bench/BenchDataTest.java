package io.spindle.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BenchDataTest {

    @Test
    void sameSeedSameSeries() {
        BenchData a = BenchData.generate(50_000), b = BenchData.generate(50_000);
        assertThat(a.y()).containsExactly(b.y());
        assertThat(a.t()).containsExactly(b.t());
        assertThat(BenchData.generate(50_000, 7).y()).isNotEqualTo(a.y());
    }

    @Test
    void timesAre20kHzEpochNanosAndXIsTheIndex() {
        BenchData d = BenchData.generate(1_000);
        assertThat(d.n()).isEqualTo(1_000);
        for (int i = 0; i < d.n(); i++) {
            assertThat(d.t()[i]).isEqualTo(1_700_000_000_000_000_000L + 50_000L * i);
            assertThat(d.x()[i]).isEqualTo(i);
        }
    }

    @Test
    void looksLikeVibrationWithBursts() {
        BenchData d = BenchData.generate(200_000); // 10 s
        double[] y = d.y();
        double mean = 0;
        for (double v : y) {
            assertThat(v).isFinite();
            mean += v;
        }
        mean /= y.length;
        double m2 = 0, m4 = 0;
        for (double v : y) {
            double c = v - mean;
            m2 += c * c;
            m4 += c * c * c * c;
        }
        m2 /= y.length;
        m4 /= y.length;
        assertThat(Math.abs(mean)).isLessThan(0.05);
        assertThat(Math.sqrt(m2)).isBetween(0.2, 2.0);
        // Impulsive bearing-fault bursts make it far heavier-tailed than sines plus gaussian noise (kurtosis < 3).
        assertThat(m4 / (m2 * m2)).isGreaterThan(4.0);
        // Bursts ring at 3 kHz and come in stretches: high-pass energy (first differences, blind to the slow load
        // cycle) of some 0.1 s windows is many times that of others.
        double lo = Double.MAX_VALUE, hi = 0;
        for (int w = 1; w + 2_000 <= y.length; w += 2_000) {
            double e = 0;
            for (int i = w; i < w + 2_000; i++) e += (y[i] - y[i - 1]) * (y[i] - y[i - 1]);
            lo = Math.min(lo, e);
            hi = Math.max(hi, e);
        }
        assertThat(hi / lo).isGreaterThan(4.0);
    }
}
