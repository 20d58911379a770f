package io.spindle.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The query gate bounds concurrent store reads and refuses with 503 instead of queueing forever. */
class QueryGateTest {
    @Test
    void aFullGateRefusesAfterItsWaitAndFreesItsSlot() throws Exception {
        QueryGate gate = new QueryGate(1, 50);
        CountDownLatch inside = new CountDownLatch(1), release = new CountDownLatch(1);
        Thread holder = new Thread(() -> gate.run(() -> {
            inside.countDown();
            try {
                return release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return false;
            }
        }));
        holder.start();
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(gate.running()).isEqualTo(1);
        assertThatThrownBy(() -> gate.run(() -> 1)).isInstanceOf(ApiError.class).hasMessageContaining("server busy")
                .satisfies(e -> assertThat(((ApiError) e).status).isEqualTo(503));
        release.countDown();
        holder.join(10_000);
        assertThat(gate.running()).isZero();
        assertThat(gate.run(() -> 2)).isEqualTo(2);
        assertThatThrownBy(() -> gate.run(() -> { throw new IllegalStateException("boom"); })).hasMessage("boom");
        assertThat(gate.running()).isZero(); // a failing query gives its slot back
    }
}
