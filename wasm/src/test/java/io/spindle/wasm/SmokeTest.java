package io.spindle.wasm;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void trapStopsInstance() {
        ComponentRuntime rt = new ComponentRuntime();
        Component c = rt.load("trap", Guests.adversarial("trap"));
        try (ProcessorInstance p = rt.instantiate(c, Grants.none())) {
            assertThatThrownBy(() -> p.process("s", new long[] {1}, new double[] {1}, 0, 1, new Emitted()))
                    .isInstanceOf(ComponentException.class).hasMessageContaining("trap").satisfies(e -> System.out.println(e.getMessage()));
        }
    }

    @Test
    void loopInterrupted() {
        ComponentRuntime rt = new ComponentRuntime();
        Component c = rt.load("loop", Guests.adversarial("infinite_loop"));
        try (ProcessorInstance p = rt.instantiate(c, Grants.none(), InstanceLimits.DEFAULTS.withCallDeadline(java.time.Duration.ofMillis(200)), Engine.COMPILED)) {
            assertThatThrownBy(() -> p.process("s", new long[] {1}, new double[] {1}, 0, 1, new Emitted()))
                    .isInstanceOf(ComponentException.class).satisfies(e -> System.out.println(e.getMessage()));
        }
    }
}
