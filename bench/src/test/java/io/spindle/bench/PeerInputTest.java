package io.spindle.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PeerInputTest {

    @Test
    void writesLittleEndianXThenYAndDeletesOnClose() throws Exception {
        BenchData d = BenchData.generate(100_003); // not a multiple of the write chunk
        Path file;
        try (PeerInput in = PeerInput.write(d)) {
            file = in.file();
            assertThat(in.n()).isEqualTo(d.n());
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(b.remaining()).isEqualTo(16 * d.n());
            for (int i = 0; i < d.n(); i++) assertThat(b.getDouble(8 * i)).isEqualTo(d.x()[i]);
            for (int i = 0; i < d.n(); i++) assertThat(b.getDouble(8 * (d.n() + i))).isEqualTo(d.y()[i]);
        }
        assertThat(file).doesNotExist();
    }
}
