package io.spindle.downsample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AlgorithmTest {
    @Test
    void idsRoundTripAndUnknownIdsListTheValidOnes() {
        for (Algorithm a : Algorithm.values()) assertThat(Algorithm.byId(a.id())).isSameAs(a);
        assertThat(Algorithm.byId(" MinMaxLTTB ")).isSameAs(Algorithm.MINMAXLTTB);
        assertThatThrownBy(() -> Algorithm.byId("lttbx")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'lttbx'").hasMessageContaining("lttb, minmaxlttb, m4, minmax");
        assertThatThrownBy(() -> Algorithm.byId(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("valid");
    }

    @Test
    void maxOutput() {
        assertThat(Algorithm.maxOutput(0, 0)).isZero();
        assertThat(Algorithm.maxOutput(100, 0)).isEqualTo(100);
        assertThat(Algorithm.maxOutput(100, 100)).isEqualTo(100);
        assertThat(Algorithm.maxOutput(100, 1000)).isEqualTo(100);
        assertThat(Algorithm.maxOutput(100, 1)).isEqualTo(2);
        assertThat(Algorithm.maxOutput(100, 37)).isEqualTo(37);
        assertThatThrownBy(() -> Algorithm.maxOutput(10, -1)).hasMessageContaining("threshold must be >= 0, got -1");
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void badArgumentsFailWithAMessageNamingThem(Algorithm a) {
        double[] x = {1, 2, 3}, y = {1, 2, 3};
        assertThatThrownBy(() -> a.select(x, y, 3, -1, new int[3])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threshold");
        assertThatThrownBy(() -> a.select(null, y, 3, 2, new int[3])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("x");
        assertThatThrownBy(() -> a.select(x, y, 4, 2, new int[3])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("n = 4");
        assertThatThrownBy(() -> a.select(x, y, 3, 0, new int[2])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("out has length 2");
        assertThatThrownBy(() -> a.select(x, y, 3, 2, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("out");
    }

    @Test
    void ownArguments() {
        double[] x = {1, 2, 3};
        assertThatThrownBy(() -> MinMaxLttb.select(x, x, 3, 2, 1, new int[3])).hasMessageContaining("ratio must be >= 2");
        assertThatThrownBy(() -> M4.selectBuckets(x, x, 3, 0, new int[3])).hasMessageContaining("buckets must be >= 1");
        assertThatThrownBy(() -> Lttb.select(x, new double[2], 2)).hasMessageContaining("differ in length");
    }
}
