package io.spindle.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs a peer program or a tool as a child process: its stderr goes to progress, its stdout is returned. */
final class PeerProcess {
    private static final int TAIL_LINES = 20;

    private PeerProcess() {
    }

    /** What a peer program printed about itself on its one JSON line. */
    record Output(double medianMs, int runs, int selected, long indexSum) {
    }

    /** The executable name on PATH, or null. */
    static Path which(String name) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return p;
        }
        return null;
    }

    /**
     * Runs command in dir, prefixing its stderr lines (and stdout too when mergeStdout) with label on progress.
     * Returns stdout; fails when it does not exit 0 within timeout.
     */
    static String run(List<String> command, Path dir, Duration timeout, String label, Consumer<String> progress,
                      boolean mergeStdout) throws BenchException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(mergeStdout);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new BenchException(label + ": cannot start " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
        Deque<String> tail = new ArrayDeque<>();
        StringBuilder out = new StringBuilder();
        // Both pipes drain on their own threads so that a peer that hangs cannot block the timeout below.
        Thread outPump = Thread.ofPlatform().daemon().name("peer-stdout").start(() -> drain(p.getInputStream(),
                line -> {
                    if (mergeStdout) {
                        note(tail, label, line, progress);
                    } else {
                        synchronized (out) {
                            out.append(line).append('\n');
                        }
                    }
                }));
        Thread errPump = mergeStdout ? null : Thread.ofPlatform().daemon().name("peer-stderr")
                .start(() -> drain(p.getErrorStream(), line -> note(tail, label, line, progress)));
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(p);
                throw new BenchException(label + ": no result within " + timeout.toMillis() / 1000.0 + " s; stopped it");
            }
            outPump.join(5_000);
            if (errPump != null) errPump.join(5_000);
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new BenchException(label + ": interrupted", e);
        }
        if (p.exitValue() != 0) {
            String last;
            synchronized (tail) {
                last = String.join(" | ", tail);
            }
            throw new BenchException(label + ": " + String.join(" ", command) + " exited with " + p.exitValue()
                    + (last.isEmpty() ? "" : "; last output: " + last));
        }
        synchronized (out) {
            return out.toString();
        }
    }

    /** Stops p and everything it started (e.g. gcc's cc1). */
    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    private static void drain(InputStream in, Consumer<String> lines) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) lines.accept(line);
        } catch (IOException ignored) {
            // The process is gone; its exit status tells the story.
        }
    }

    private static void note(Deque<String> tail, String label, String line, Consumer<String> progress) {
        progress.accept("bench: " + label + ": " + line);
        synchronized (tail) {
            if (tail.size() == TAIL_LINES) tail.removeFirst();
            tail.addLast(line);
        }
    }

    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\"\\s*:\\s*(-?[0-9][0-9.eE+-]*)");

    /** Reads the last line of stdout that looks like a JSON object: median_ms, runs, selected, index_sum. */
    static Output parse(String stdout, String label) throws BenchException {
        String json = null;
        for (String line : stdout.split("\n")) if (line.strip().startsWith("{")) json = line.strip();
        if (json == null) throw new BenchException(label + ": printed no JSON result line; stdout was: "
                + abbreviate(stdout));
        List<String> missing = new ArrayList<>(List.of("median_ms", "runs", "selected", "index_sum"));
        double medianMs = 0, runs = 0, selected = 0, indexSum = 0;
        Matcher m = FIELD.matcher(json);
        while (m.find()) {
            double v;
            try {
                v = Double.parseDouble(m.group(2));
            } catch (NumberFormatException e) {
                throw new BenchException(label + ": field " + m.group(1) + " is not a number in " + json, e);
            }
            switch (m.group(1)) {
                case "median_ms" -> medianMs = v;
                case "runs" -> runs = v;
                case "selected" -> selected = v;
                case "index_sum" -> indexSum = v;
                default -> {
                    continue;
                }
            }
            missing.remove(m.group(1));
        }
        if (!missing.isEmpty()) throw new BenchException(label + ": result line lacks " + missing + ": " + json);
        if (!(medianMs > 0) || !Double.isFinite(medianMs))
            throw new BenchException(label + ": implausible median_ms " + medianMs + " in " + json);
        return new Output(medianMs, (int) runs, (int) selected, (long) indexSum);
    }

    private static String abbreviate(String s) {
        String t = s.strip();
        return t.isEmpty() ? "(empty)" : t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }
}
