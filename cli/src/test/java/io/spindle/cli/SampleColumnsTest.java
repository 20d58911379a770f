package io.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class SampleColumnsTest {

    @Property(tries = 300)
    void sortByTimeIsAStableSort(@ForAll @Size(max = 700) List<@IntRange(min = -5, max = 5) Integer> times) {
        SampleColumns c = new SampleColumns();
        List<long[]> expected = new ArrayList<>();
        for (int i = 0; i < times.size(); i++) {
            c.add(times.get(i), i);
            expected.add(new long[] {times.get(i), i});
        }
        expected.sort(Comparator.comparingLong(p -> p[0])); // List.sort is stable
        c.sortByTime();
        assertThat(c.n).isEqualTo(times.size());
        for (int i = 0; i < c.n; i++) {
            assertThat(c.t[i]).isEqualTo(expected.get(i)[0]);
            assertThat(c.v[i]).isEqualTo((double) expected.get(i)[1]);
        }
    }
}
