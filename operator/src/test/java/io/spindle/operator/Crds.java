package io.spindle.operator;

import io.fabric8.crdv2.generator.CRDGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The CRDs generated from the Java model (fabric8 crd-generator v2), the same files as deploy/kubernetes/crds. */
final class Crds {
    static final Path COMMITTED = Path.of(System.getProperty("spindle.root", "..")).resolve("deploy/kubernetes/crds");

    private Crds() {
    }

    /** Generates the CRD files into dir and returns them, sorted by name. */
    static List<Path> generate(Path dir) throws IOException {
        Files.createDirectories(dir);
        new CRDGenerator().withMinQuotes(true).inOutputDir(dir.toFile()).forCRDVersions("v1")
                .customResourceClasses(SpindleHostGroup.class, OamApplication.class).generate();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted().toList();
        }
    }
}
