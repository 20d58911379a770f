package io.spindle.sources.shdr;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplayTimelineTest {
    private static final long S = 1_000_000_000L;

    @Test
    void followsTheNewestTimestampCappingPausesAndRestartingOnLongStepsBack() {
        ReplayTimeline c = new ReplayTimeline(5 * S);
        assertThat(c.dataLine(100 * S)).isZero();
        assertThat(c.dataLine(101 * S)).isEqualTo(S);
        assertThat(c.dataLine(100 * S + S / 2)).as("out of order: due now").isEqualTo(S);
        assertThat(c.continuousTime()).as("its place on the continuous clock").isEqualTo(S / 2);
        assertThat(c.dataLine(102 * S)).as("measured from the newest line, not the out-of-order one").isEqualTo(2 * S);
        assertThat(c.continuousTime()).isEqualTo(2 * S);
        assertThat(c.dataLine(1_000 * S)).as("a pause capped at 5 s").isEqualTo(7 * S);
        assertThat(c.dataLine(1_000 * S - ReplayTimeline.REWIND_NANOS)).as("10 s back is still out of order").isEqualTo(7 * S);
        assertThat(c.continuousTime()).isEqualTo(-3 * S);
        assertThat(c.dataLine(10 * S)).as("far back: a new session, due now").isEqualTo(7 * S);
        assertThat(c.continuousTime()).isEqualTo(7 * S);
        assertThat(c.dataLine(11 * S)).as("and timed from there").isEqualTo(8 * S);
        assertThat(c.offset()).isEqualTo(8 * S);
        c.newPass(S);
        assertThat(c.dataLine(100 * S)).as("a new pass re-anchors after the pause").isEqualTo(9 * S);
        assertThat(c.dataLine(100 * S + 1)).isEqualTo(9 * S + 1);
    }

    @Test
    void withoutACapEveryPauseIsKept() {
        ReplayTimeline c = new ReplayTimeline(Long.MAX_VALUE);
        c.dataLine(0);
        assertThat(c.dataLine(2_018 * S)).isEqualTo(2_018 * S);
    }
}
