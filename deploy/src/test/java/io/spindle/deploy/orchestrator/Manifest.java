package io.spindle.deploy.orchestrator;

/** Manifests of the downsampler application for the tests: messaging on every host, LTTB placed by zone. */
final class Manifest {
    static final long BUCKET = 10_000_000L;

    private Manifest() {
    }

    /** lttb (image) with `instances` on hosts labelled zone, fed by a messaging provider on every host. */
    static String downsampler(String lattice, String version, String image, String zone, int instances) {
        return """
                apiVersion: core.oam.dev/v1beta1
                kind: Application
                metadata:
                  name: downsampler
                  annotations:
                    version: %2$s
                    description: "LTTB where zone=%4$s"
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
                                - name: lttb-feed
                                  properties:
                                    subscribe: "spindle.data.%1$s.raw.>"
                                    publish-prefix: "spindle.data.%1$s.lttb"
                    - name: lttb
                      type: component
                      properties:
                        image: "%3$s"
                        id: lttb
                        config:
                          - name: lttb-settings
                            properties:
                              bucket-nanos: "%6$d"
                      traits:
                        - type: spreadscaler
                          properties:
                            instances: %5$d
                            spread:
                              - name: %4$s
                                requirements:
                                  zone: %4$s
                """.formatted(lattice, version, image, zone, instances, BUCKET);
    }
}
