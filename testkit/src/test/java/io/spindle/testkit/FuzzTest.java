package io.spindle.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The fuzzer itself: documented rejections counted, anything else fails naming the saved input, hangs are caught. */
class FuzzTest {
    @Test
    void documentedRejectionsAreCountedAndTheRunIsBounded() {
        Fuzz.Report r = Fuzz.run("selftest", Fuzz.utf8("abc", "{\"a\":1}"), e -> e instanceof IllegalArgumentException, in -> {
            if (in.length % 2 == 1) throw new IllegalArgumentException("odd");
        }, 2_000);
        assertThat(r.inputs()).isEqualTo(2_000);
        assertThat(r.rejected()).isBetween(1L, 1_999L);
    }

    @Test
    void anUndocumentedExceptionFailsTheRunAndSavesTheInput() {
        assertThatThrownBy(() -> Fuzz.run("selftest-crash", List.of(new byte[] {1, 2, 3}), e -> false, in -> {
            if (in.length > 3) throw new IllegalStateException("boom");
        }, 10_000)).isInstanceOf(AssertionError.class).hasMessageContaining("saved as target/fuzz-findings/selftest-crash-")
                .hasMessageContaining("IllegalStateException: boom");
    }

    @Test
    void anInputThatNeverReturnsIsCaughtAsAHang() {
        System.setProperty("spindle.fuzz.hang-ms", "300");
        try {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> Fuzz.run("selftest-hang", Fuzz.utf8("ok"), e -> false, in -> {
                if (in.length > 4) while (!Thread.currentThread().isInterrupted()) Thread.onSpinWait(); // never returns
            }, 100_000)).isInstanceOf(AssertionError.class).hasMessageContaining("has not returned after 300 ms");
            assertThat((System.nanoTime() - t0) / 1e9).isLessThan(10);
        } finally {
            System.clearProperty("spindle.fuzz.hang-ms");
        }
    }
}
