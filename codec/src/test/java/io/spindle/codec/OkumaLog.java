package io.spindle.codec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The numeric series of the real Okuma SHDR log, read with a small line splitter (the cli's SHDR reader is in a
 * module that depends on this one): {@code timestamp|key|value|key|value...}; a value that is a decimal number is a
 * sample of {@code okuma/<key>}; conditions (a level followed by four fields) and asset blocks are skipped. It finds
 * what the cli's reader finds on this file: 21,060 samples in 42 series.
 */
record OkumaLog(Map<String, long[]> times, Map<String, double[]> values) {
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final List<String> LEVELS = List.of("NORMAL", "WARNING", "FAULT", "UNAVAILABLE");

    static Path path() {
        return Path.of(System.getProperty("spindle.shared", "../../shared"), "data", "okuma_mtconnect_shdr.txt");
    }

    static OkumaLog read() throws IOException {
        Map<String, long[]> t = new LinkedHashMap<>();
        Map<String, double[]> v = new LinkedHashMap<>();
        Map<String, Integer> n = new LinkedHashMap<>();
        String blockEnd = null;
        for (String line : Files.readAllLines(path(), StandardCharsets.UTF_8)) {
            if (blockEnd != null) {
                if (line.strip().equals(blockEnd)) blockEnd = null;
                continue;
            }
            if (line.isBlank() || line.startsWith("*")) continue;
            String[] f = line.split("\\|", -1);
            if (f.length > 1 && f[1].startsWith("@")) {
                String last = f[f.length - 1];
                if (last.startsWith("--multiline--")) blockEnd = last.strip();
                continue;
            }
            long ns;
            Instant at = Instant.parse(f[0]);
            ns = Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000_000L), at.getNano());
            for (int i = 1; i + 1 < f.length; ) {
                String key = f[i], value = f[i + 1];
                if (LEVELS.contains(value) && i + 5 < f.length
                        && (key.endsWith("cond") || key.endsWith("condition") || f[i + 2].isEmpty())) {
                    i += 6;
                    continue;
                }
                if (DECIMAL.matcher(value).matches()) {
                    String s = "okuma/" + key;
                    int k = n.getOrDefault(s, 0);
                    long[] ts = t.computeIfAbsent(s, x -> new long[16]);
                    double[] vs = v.computeIfAbsent(s, x -> new double[16]);
                    if (k == ts.length) {
                        t.put(s, ts = Arrays.copyOf(ts, k * 2));
                        v.put(s, vs = Arrays.copyOf(vs, k * 2));
                    }
                    ts[k] = ns;
                    vs[k] = Double.parseDouble(value);
                    n.put(s, k + 1);
                }
                i += 2;
            }
        }
        n.forEach((s, k) -> {
            t.put(s, Arrays.copyOf(t.get(s), k));
            v.put(s, Arrays.copyOf(v.get(s), k));
        });
        return new OkumaLog(t, v);
    }

    int samples() {
        return times.values().stream().mapToInt(a -> a.length).sum();
    }
}
