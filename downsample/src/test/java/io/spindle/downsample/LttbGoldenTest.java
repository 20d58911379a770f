package io.spindle.downsample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Bit-for-bit agreement with the reference LTTB (flot-downsample af872e0) on its demo series. */
class LttbGoldenTest {
    private static final Pattern GOLDEN = Pattern.compile("(demo\\d+)_t(\\d+)\\.csv");

    static Path dir() {
        String shared = System.getProperty("spindle.shared");
        assertThat(shared).as("system property spindle.shared (set by surefire)").isNotNull();
        return Path.of(shared, "reference", "lttb");
    }

    /** x and y columns of a CSV written by JavaScript's Number#toString; parsed to doubles, never compared as text. */
    static double[][] read(Path file) {
        try {
            List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
            double[][] xy = new double[2][lines.size()];
            for (int i = 0; i < lines.size(); i++) {
                String[] f = lines.get(i).split(",");
                xy[0][i] = Double.parseDouble(f[0].trim());
                xy[1][i] = Double.parseDouble(f[1].trim());
            }
            return xy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyGoldenFileMatchesBitForBit() throws IOException {
        List<Path> goldens;
        try (Stream<Path> s = Files.list(dir())) {
            goldens = s.filter(p -> GOLDEN.matcher(p.getFileName().toString()).matches()).sorted().toList();
        }
        assertThat(goldens).hasSizeGreaterThanOrEqualTo(18);
        return goldens.stream().map(golden -> DynamicTest.dynamicTest(golden.getFileName().toString(), () -> {
            Matcher m = GOLDEN.matcher(golden.getFileName().toString());
            assertThat(m.matches()).isTrue();
            double[][] in = read(dir().resolve(m.group(1) + "_input.csv"));
            double[][] want = read(golden);
            int threshold = Integer.parseInt(m.group(2));
            int[] kept = Lttb.select(in[0], in[1], threshold);
            assertThat(kept).hasSize(want[0].length);
            for (int i = 0; i < kept.length; i++) {
                assertThat(Double.doubleToRawLongBits(in[0][kept[i]])).as("x of point %d", i)
                        .isEqualTo(Double.doubleToRawLongBits(want[0][i]));
                assertThat(Double.doubleToRawLongBits(in[1][kept[i]])).as("y of point %d", i)
                        .isEqualTo(Double.doubleToRawLongBits(want[1][i]));
            }
        }));
    }

    @Test
    void allocationFreeFormAgreesWithTheConvenienceForm() {
        double[][] in = read(dir().resolve("demo1_input.csv"));
        int[] out = new int[Algorithm.maxOutput(in[0].length, 500)];
        int k = Lttb.select(in[0], in[1], in[0].length, 500, out);
        assertThat(java.util.Arrays.copyOf(out, k)).containsExactly(Lttb.select(in[0], in[1], 500));
    }
}
