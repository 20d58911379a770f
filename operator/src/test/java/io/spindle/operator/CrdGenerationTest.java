package io.spindle.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed CRDs under deploy/kubernetes/crds are exactly what the Java model generates
 * ({@code -Dspindle.writeCrds=true} rewrites them after a model change).
 */
class CrdGenerationTest {
    @Test
    void committedCrdsMatchTheModel(@TempDir Path dir) throws IOException {
        List<Path> files = Crds.generate(dir);
        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactly("applications.core.oam.dev-v1.yml", "spindlehostgroups.spindle.io-v1.yml");
        if (Boolean.getBoolean("spindle.writeCrds")) {
            Files.createDirectories(Crds.COMMITTED);
            for (Path f : files) Files.copy(f, Crds.COMMITTED.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        String app = Files.readString(files.get(0));
        assertThat(app).contains("x-kubernetes-preserve-unknown-fields: true").contains("scope: Namespaced")
                .contains("subresources:").contains("status: {}");
        String group = Files.readString(files.get(1));
        assertThat(group).contains("lattice").contains("nats").contains("required:");
        for (Path f : files)
            assertThat(Crds.COMMITTED.resolve(f.getFileName())).as("committed " + f.getFileName() + " (regenerate with -Dspindle.writeCrds=true)")
                    .hasSameTextualContentAs(f);
    }
}
