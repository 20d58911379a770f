package io.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class XyCsvReaderTest {

    private static XySeries read(String text) throws IOException {
        return XyCsvReader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "test");
    }

    @Test
    void toleratesBlankLinesCrLfSpacesAndNoFinalNewline() throws IOException {
        XySeries s = read("\r\n  1 ,\t2.5  \r\n\n\t\n-3,4e2\r\n5,-0");
        assertThat(s.n).isEqualTo(3);
        assertThat(s.x).startsWith(1, -3, 5);
        assertThat(s.y).startsWith(2.5, 400, -0.0);
        assertThat(s.firstDecreaseLine).isEqualTo(5);
    }

    @Test
    void linesSpanningBufferRefillsAndGrowthAreRead() throws IOException {
        // Lines straddle the 64 KiB buffer edges; a single line longer than the buffer makes it grow.
        StringBuilder sb = new StringBuilder();
        int n = 30_000;
        for (int i = 0; i < n; i++) sb.append(i).append(',').append(i * 0.25).append('\n');
        sb.append(" ".repeat(200_000)).append(n).append(",1\n");
        XySeries s = read(sb.toString());
        assertThat(s.n).isEqualTo(n + 1);
        for (int i = 0; i < n; i++) {
            assertThat(s.x[i]).isEqualTo(i);
            assertThat(s.y[i]).isEqualTo(i * 0.25);
        }
        assertThat(s.x[n]).isEqualTo(n);
        assertThat(s.firstDecreaseLine).isEqualTo(-1);
    }

    @Test
    void readsFromAStreamThatDeliversOneByteAtATime() throws IOException {
        byte[] data = "1,2\r\n3,4\n\n5,6".getBytes(StandardCharsets.US_ASCII);
        InputStream trickle = new InputStream() {
            int i;

            @Override
            public int read() {
                return i < data.length ? data[i++] : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (i >= data.length) return -1;
                b[off] = data[i++];
                return 1;
            }
        };
        XySeries s = XyCsvReader.read(trickle, "trickle");
        assertThat(s.n).isEqualTo(3);
        assertThat(s.y).startsWith(2, 4, 6);
    }

    @Test
    void longBadLinesAreShortenedInTheMessage() {
        String line = "1," + "9".repeat(500) + "x";
        assertThatThrownBy(() -> read("0,0\n" + line + "\n"))
                .isInstanceOf(CliFailure.class)
                .hasMessageStartingWith("test:2: non-numeric y value '999")
                .hasMessageContaining("...")
                .matches(e -> e.getMessage().length() < 300);
    }

    @Test
    void controlCharactersAreNotEchoed() {
        assertThatThrownBy(() -> read("1,\u00072\n")).isInstanceOf(CliFailure.class)
                .hasMessage("test:1: non-numeric y value '?2' (\"1,?2\")");
    }

    private static TimedSeries readTimed(String text) throws IOException {
        return XyCsvReader.readTimed(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "test");
    }

    @Test
    void timedModeReadsIntegerNanosExactly() throws IOException {
        TimedSeries s = readTimed(" 1700000000000000001 , 2\n-5,1e2\r\n\n+7,3\n1e3,0\n2000.000,1\n"
                + "9223372036854775807,4\n-9223372036854775808,5\n12.5e1,6\n");
        assertThat(s.n).isEqualTo(8);
        assertThat(s.t).startsWith(1_700_000_000_000_000_001L, -5, 7, 1000, 2000, Long.MAX_VALUE, Long.MIN_VALUE, 125);
        assertThat(s.y).startsWith(2, 100, 3, 0, 1, 4, 5, 6);
        assertThat(s.firstDecreaseLine).isEqualTo(2);
    }

    @Test
    void timedModeRefusesFractionsAndOutOfRangeX() {
        assertThatThrownBy(() -> readTimed("1,2\n1.5,3\n")).isInstanceOf(CliFailure.class)
                .hasMessage("test:2: x value '1.5' is not an integer (x is integer nanoseconds here) (\"1.5,3\")");
        assertThatThrownBy(() -> readTimed("NaN,3\n")).isInstanceOf(CliFailure.class)
                .hasMessageStartingWith("test:1: x value 'NaN' is not an integer");
        assertThatThrownBy(() -> readTimed("1e-3,3\n")).isInstanceOf(CliFailure.class)
                .hasMessageStartingWith("test:1: x value '1e-3' is not an integer");
        assertThatThrownBy(() -> readTimed("9223372036854775808,3\n")).isInstanceOf(CliFailure.class)
                .hasMessageStartingWith("test:1: x value '9223372036854775808' is outside the int64 range");
        assertThatThrownBy(() -> readTimed("1e400,3\n")).isInstanceOf(CliFailure.class)
                .hasMessageStartingWith("test:1: x value '1e400' is outside the int64 range");
        assertThatThrownBy(() -> readTimed("0x10,3\n")).isInstanceOf(CliFailure.class)
                .hasMessage("test:1: non-numeric x value '0x10' (\"0x10,3\")");
        assertThatThrownBy(() -> readTimed("-,3\n")).isInstanceOf(CliFailure.class)
                .hasMessageStartingWith("test:1: non-numeric x value '-'");
        assertThatThrownBy(() -> readTimed("5,abc\n")).isInstanceOf(CliFailure.class)
                .hasMessageStartingWith("test:1: non-numeric y value 'abc'");
    }
}
