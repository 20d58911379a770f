package io.spindle.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import io.spindle.testkit.Fuzz;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a guest returns is outside input to the host: {@code components/adversarial/abi_echo.wat} answers process with
 * a return area, pointers, lengths and memory all taken from the fuzzer's bytes, so the canonical ABI lifting sees
 * every shape of guest-returned data. Each input either lifts into a consistent {@link Emitted} or fails as a
 * {@link ComponentException} (ABI_VIOLATION, OUTPUT_LIMIT, GUEST_ERROR, ...), never anything else; a failed instance is
 * replaced, as the host does.
 */
class AbiLiftFuzzTest {
    private static final int BASE = 1024; // where abi_echo copies the input

    @Test
    void guestReturnedDataLiftsConsistentlyOrFailsAsAComponentException() {
        InstanceLimits limits = InstanceLimits.DEFAULTS.withCallDeadline(Duration.ofSeconds(2)).withMaxMemoryPages(64);
        ComponentRuntime rt = new ComponentRuntime(limits, null);
        Component c = rt.load("abi_echo", Guests.adversarial("abi_echo"));
        Grants grants = Grants.of(new ConfigCapability(Map.of()));
        ProcessorInstance[] p = {rt.instantiate(c, grants, limits, Engine.COMPILED)};
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(area(0, 2, 1, new long[] {10, 20}, new double[] {1.5, 2.5}, new int[] {1}, 0, 0)); // ok: 2 points, a break
        seeds.add(area(0, 0, 0, new long[0], new double[0], new int[0], 0, 0)); // ok: empty
        seeds.add(area(1, 5, 0, new long[0], new double[0], new int[0], 0, 0)); // err with a message
        seeds.add(area(0, 3, 2, new long[] {1, 2, 3}, new double[] {4, 5, 6}, new int[] {0, 2}, 1, 1));
        Emitted out = new Emitted();
        int[] lifted = {0};
        Fuzz.Report r = Fuzz.run("abi-lift", seeds, e -> e instanceof ComponentException, in -> {
            int n = Math.max(1, (in.length + 7) / 8);
            double[] v = new double[n];
            ByteBuffer b = ByteBuffer.wrap(java.util.Arrays.copyOf(in, n * 8)).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) v[i] = Double.longBitsToDouble(b.getLong());
            try {
                p[0].process("s", new long[n], v, 0, n, out);
            } catch (ComponentException e) {
                if (e.kind() != ComponentException.Kind.GUEST_ERROR) { // a stopped instance is replaced, as the host restarts it
                    p[0].close();
                    p[0] = rt.instantiate(c, grants, limits, Engine.COMPILED);
                }
                throw e;
            }
            lifted[0]++;
            // any list within the guest's memory and the output limit is a legal answer
            assertThat((long) out.size()).isBetween(0L, limits.maxOutputBytes() / 16);
            assertThat(out.late() + out.invalid()).isBetween(0, n);
            for (int i = 0; i < out.breakCount(); i++) assertThat(out.breaks()[i]).isBetween(0, out.size() - 1);
        });
        p[0].close();
        assertThat(r.inputs()).isGreaterThanOrEqualTo(Fuzz.DEFAULT_INPUTS);
        assertThat(lifted[0]).as("some inputs lift").isPositive();
        assertThat(r.rejected()).as("most are violations").isPositive();
    }

    /** An input whose first 4 bytes point at a return area right after them, followed by the lists it names. */
    private static byte[] area(int disc, int count, int breaks, long[] t, double[] v, int[] brk, int late, int invalid) {
        ByteBuffer b = ByteBuffer.allocate(4 + 36 + 16 * t.length + 4 * brk.length + 16).order(ByteOrder.LITTLE_ENDIAN);
        int ret = BASE + 4, tp = ret + 36, vp = tp + 8 * t.length, bp = vp + 8 * v.length;
        b.putInt(ret);
        b.put((byte) disc).put(new byte[3]);
        if (disc == 1) { // err: message pointer and length, then the message
            b.putInt(tp).putInt(count).put(new byte[24]);
            b.put("boom!".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.Arrays.copyOf(b.array(), b.position());
        }
        b.putInt(tp).putInt(count).putInt(vp).putInt(count).putInt(bp).putInt(breaks).putInt(late).putInt(invalid);
        for (long x : t) b.putLong(x);
        for (double x : v) b.putDouble(x);
        for (int x : brk) b.putInt(x);
        return java.util.Arrays.copyOf(b.array(), b.position());
    }
}
