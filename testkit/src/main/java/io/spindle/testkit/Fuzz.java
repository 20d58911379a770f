package io.spindle.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * A mutation fuzzer for the parsers that face the outside world. It mutates seed inputs (bit flips, interesting
 * bytes, inserts, deletes, repeats, splices, truncation, random tails, now and then pure noise), feeds each to a
 * target, and fails on anything but the target's documented outcome: an exception the target does not document, or
 * an input running longer than the hang limit (10 s; {@code -Dspindle.fuzz.hang-ms}). The failing input is saved under {@code target/fuzz-findings/} and
 * named in the error, with the seed that reproduces the run.
 *
 * <p>Bounded in the test suite ({@value #DEFAULT_INPUTS} inputs, or {@code -Dspindle.fuzz.inputs=N}); run for a time
 * with {@code -Dspindle.fuzz.seconds=S} ({@code scripts/fuzz} does); {@code -Dspindle.fuzz.seed=N} repeats a run.
 * Not coverage-guided: it relies on seeds that reach deep into each format.
 */
public final class Fuzz {
    /** Inputs per target in the test suite. */
    public static final int DEFAULT_INPUTS = 20_000;
    private static final byte[] INTERESTING = {0, 1, 0x7F, (byte) 0x80, (byte) 0xFF, '\n', '|', '"', '{', '}', '[', ']', ':', ',', '.', '-',
            '9', 'e', '\\', ' '};

    /** One input in, a documented outcome out (a return, or a documented exception). */
    @FunctionalInterface
    public interface Target {
        void accept(byte[] input) throws Exception;
    }

    /**
     * What a run did.
     *
     * @param target    its name
     * @param inputs    inputs fed
     * @param rejected  inputs answered with a documented exception
     * @param seconds   wall time
     * @param seed      the random seed (repeats the run)
     */
    public record Report(String target, long inputs, long rejected, double seconds, long seed) {
        /** One line for logs: inputs, rejected, rate. */
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "fuzz %s: %,d inputs (%,d rejected as documented) in %.1f s, %,.0f/s, seed %d", target, inputs,
                    rejected, seconds, inputs / Math.max(1e-9, seconds), seed);
        }
    }

    private Fuzz() {
    }

    /** Text seeds as UTF-8. */
    public static List<byte[]> utf8(String... seeds) {
        List<byte[]> out = new ArrayList<>();
        for (String s : seeds) out.add(s.getBytes(StandardCharsets.UTF_8));
        return out;
    }

    /**
     * Fuzzes target with mutations of seeds; documented says which exceptions are the target's documented answer to
     * bad input. Throws an AssertionError naming the saved input on any other outcome.
     */
    public static Report run(String name, List<byte[]> seeds, Predicate<Throwable> documented, Target target) {
        return run(name, seeds, documented, target, DEFAULT_INPUTS);
    }

    /** As {@link #run(String, List, Predicate, Target)}, with another number of inputs in the suite (slow targets). */
    public static Report run(String name, List<byte[]> seeds, Predicate<Throwable> documented, Target target, long suiteInputs) {
        long seed = Long.getLong("spindle.fuzz.seed", System.nanoTime());
        long seconds = Long.getLong("spindle.fuzz.seconds", 0);
        long maxInputs = seconds > 0 ? Long.MAX_VALUE : Long.getLong("spindle.fuzz.inputs", suiteInputs);
        long until = seconds > 0 ? System.nanoTime() + seconds * 1_000_000_000L : Long.MAX_VALUE;
        // the inputs run on a worker; this thread watches it, so an input that never returns is caught and saved too
        long hangNanos = Long.getLong("spindle.fuzz.hang-ms", 10_000) * 1_000_000L;
        Progress p = new Progress();
        long start = System.nanoTime();
        Thread worker = new Thread(() -> {
            SplittableRandom r = new SplittableRandom(seed);
            try {
                for (byte[] s : seeds) feed(name, target, documented, s, seed, p); // the seeds themselves first
                while (p.inputs < maxInputs && ((p.inputs & 255) != 0 || System.nanoTime() < until))
                    feed(name, target, documented, mutate(seeds, r), seed, p);
            } catch (Throwable e) {
                p.failure = e;
            }
        }, "fuzz-" + name);
        worker.setDaemon(true); // a hung input leaves it behind, stuck; the test fails regardless
        worker.start();
        try {
            while (worker.isAlive()) {
                worker.join(200);
                long began = p.startedAt;
                byte[] current = p.current;
                if (worker.isAlive() && current != null && began != 0 && System.nanoTime() - began > hangNanos)
                    fail(name, current, seed, new AssertionError("one input has not returned after " + hangNanos / 1_000_000 + " ms (a hang)"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("fuzz " + name + " interrupted", e);
        }
        if (p.failure instanceof AssertionError a) throw a;
        if (p.failure != null) throw new AssertionError("fuzz " + name + " (seed " + seed + "): " + p.failure, p.failure);
        Report rep = new Report(name, p.inputs, p.rejected, (System.nanoTime() - start) / 1e9, seed);
        System.out.println(rep);
        return rep;
    }

    /** What the worker is doing, for the watching thread. */
    private static final class Progress {
        volatile byte[] current;
        volatile long startedAt;
        volatile Throwable failure;
        long inputs, rejected; // read after join
    }

    /** Feeds one input, counting it, and the rejection when the target rejected it as documented. */
    private static void feed(String name, Target target, Predicate<Throwable> documented, byte[] in, long seed, Progress p) {
        p.current = in;
        p.startedAt = System.nanoTime();
        try {
            target.accept(in);
        } catch (Throwable e) {
            if (!(e instanceof Error) && documented.test(e)) p.rejected++; // errors (stack, heap, assertions) never are
            else fail(name, in, seed, e);
        } finally {
            p.startedAt = 0;
            p.inputs++;
        }
    }

    private static boolean fail(String name, byte[] in, long seed, Throwable e) {
        Path dir = Path.of("target", "fuzz-findings");
        String file = name + "-" + seed + "-" + Integer.toHexString(java.util.Arrays.hashCode(in)) + ".bin";
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(file), in);
        } catch (IOException ignored) {
            // the input is in the message too
        }
        throw new AssertionError("fuzz " + name + " (seed " + seed + "): an input (saved as " + dir.resolve(file) + ", base64 "
                + Base64.getEncoder().encodeToString(in.length > 512 ? java.util.Arrays.copyOf(in, 512) : in)
                + (in.length > 512 ? "..." : "") + ") ended in " + e, e);
    }

    /** One mutated input: 1-8 mutations of a seed, or of a splice of two, or (1 in 32) noise. */
    static byte[] mutate(List<byte[]> seeds, SplittableRandom r) {
        if (r.nextInt(32) == 0) {
            byte[] noise = new byte[r.nextInt(256)];
            for (int i = 0; i < noise.length; i++) noise[i] = (byte) r.nextInt(256);
            return noise;
        }
        byte[] b = seeds.get(r.nextInt(seeds.size())).clone();
        int rounds = 1 + r.nextInt(8);
        for (int k = 0; k < rounds; k++) {
            int op = r.nextInt(9);
            int len = b.length;
            switch (op) {
                case 0 -> { // flip a bit
                    if (len > 0) b[r.nextInt(len)] ^= (byte) (1 << r.nextInt(8));
                }
                case 1 -> { // an interesting byte
                    if (len > 0) b[r.nextInt(len)] = INTERESTING[r.nextInt(INTERESTING.length)];
                }
                case 2 -> b = insert(b, r.nextInt(len + 1), new byte[] {(byte) r.nextInt(256)});
                case 3 -> { // delete a run
                    if (len > 0) {
                        int at = r.nextInt(len), n = 1 + r.nextInt(Math.min(16, len - at));
                        byte[] c = new byte[len - n];
                        System.arraycopy(b, 0, c, 0, at);
                        System.arraycopy(b, at + n, c, at, len - at - n);
                        b = c;
                    }
                }
                case 4 -> { // repeat a chunk
                    if (len > 0 && len < 1 << 16) {
                        int at = r.nextInt(len), n = 1 + r.nextInt(Math.min(64, len - at));
                        byte[] chunk = java.util.Arrays.copyOfRange(b, at, at + n);
                        for (int i = r.nextInt(4); i >= 0; i--) b = insert(b, at, chunk);
                    }
                }
                case 5 -> { // splice with another seed
                    byte[] o = seeds.get(r.nextInt(seeds.size()));
                    int cut = r.nextInt(len + 1), from = r.nextInt(o.length + 1);
                    byte[] c = java.util.Arrays.copyOf(b, cut + o.length - from);
                    System.arraycopy(o, from, c, cut, o.length - from);
                    b = c;
                }
                case 6 -> { // truncate
                    if (len > 0) b = java.util.Arrays.copyOf(b, r.nextInt(len));
                }
                case 7 -> { // a little-endian or big-endian int overwritten with an edge value
                    if (len >= 4) {
                        int at = r.nextInt(len - 3);
                        int v = switch (r.nextInt(5)) {
                            case 0 -> 0;
                            case 1 -> -1;
                            case 2 -> Integer.MAX_VALUE;
                            case 3 -> Integer.MIN_VALUE;
                            default -> r.nextInt(1 << 16);
                        };
                        for (int i = 0; i < 4; i++) b[at + i] = (byte) (v >>> (8 * i));
                    }
                }
                default -> { // random tail
                    byte[] tail = new byte[1 + r.nextInt(16)];
                    for (int i = 0; i < tail.length; i++) tail[i] = (byte) r.nextInt(256);
                    b = insert(b, len, tail);
                }
            }
        }
        return b;
    }

    private static byte[] insert(byte[] b, int at, byte[] what) {
        byte[] c = new byte[b.length + what.length];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(what, 0, c, at, what.length);
        System.arraycopy(b, at, c, at + what.length, b.length - at);
        return c;
    }
}
