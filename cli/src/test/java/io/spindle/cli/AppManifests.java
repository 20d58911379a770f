package io.spindle.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Downsampler manifests for the app command tests: messaging on every host feeding LTTB on zone=edge. */
final class AppManifests {
    private AppManifests() {
    }

    /** Application name at version, lttb.wasm by the relative image path; ids and config names prefixed by name. */
    static String downsampler(String lattice, String name, String version, long bucketNanos) {
        return """
                apiVersion: core.oam.dev/v1beta1
                kind: Application
                metadata:
                  name: %2$s
                  annotations:
                    version: %3$s
                    description: "LTTB on the edge, %4$d ns buckets"
                spec:
                  components:
                    - name: messaging
                      type: capability
                      properties:
                        image: spindle:messaging
                      traits:
                        - type: daemonscaler
                          properties:
                            instances: 1
                        - type: link
                          properties:
                            target: lttb
                            namespace: spindle
                            package: telemetry
                            interfaces: [processor]
                            source:
                              config:
                                - name: %2$s-feed
                                  properties:
                                    subscribe: "spindle.data.%1$s.%2$s.raw.>"
                                    publish-prefix: "spindle.data.%1$s.%2$s.lttb"
                    - name: lttb
                      type: component
                      properties:
                        image: components/lttb.wasm
                        config:
                          - name: %2$s-settings
                            properties:
                              bucket-nanos: "%4$d"
                      traits:
                        - type: spreadscaler
                          properties:
                            instances: 1
                            spread:
                              - name: edge
                                requirements:
                                  zone: edge
                """.formatted(lattice, name, version, bucketNanos);
    }

    /** Writes text to dir/file with the real lttb.wasm copied to dir/components/lttb.wasm (the manifest's relative image). */
    static Path write(Path dir, String file, String text) throws IOException {
        Path wasm = dir.resolve("components/lttb.wasm");
        if (!Files.exists(wasm)) {
            Files.createDirectories(wasm.getParent());
            Files.copy(Cli.root().resolve("components/lttb/lttb.wasm"), wasm);
        }
        Path f = dir.resolve(file);
        Files.writeString(f, text);
        return f;
    }
}
