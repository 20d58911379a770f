package io.spindle.operator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fixture serves a real API: namespaces, a structural CRD with a status subresource, custom resources, status patches. */
class ApiServerFixtureTest {
    private static final ResourceDefinitionContext WIDGETS = new ResourceDefinitionContext.Builder()
            .withGroup("test.spindle.io").withVersion("v1").withKind("Widget").withPlural("widgets").withNamespaced(true).build();
    private static final String CRD = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: widgets.test.spindle.io}
            spec:
              group: test.spindle.io
              scope: Namespaced
              names: {plural: widgets, singular: widget, kind: Widget}
              versions:
              - name: v1
                served: true
                storage: true
                subresources: {status: {}}
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec:
                        type: object
                        required: [size]
                        properties:
                          size: {type: integer, minimum: 1}
                      status:
                        type: object
                        properties:
                          phase: {type: string}
            """;

    @TempDir
    static Path dir;
    static ApiServerFixture api;
    static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        if (!ApiServerFixture.available()) return; // each test then skips (or fails under CI) in requireServer
        long t0 = System.nanoTime();
        api = ApiServerFixture.start(dir);
        System.out.printf("api server ready in %d ms at %s%n", (System.nanoTime() - t0) / 1_000_000, api.url());
        client = api.newClient();
    }

    @BeforeEach
    void requireServer() {
        ApiServerFixture.assumeAvailable();
    }

    @AfterAll
    static void stop() {
        if (client != null) client.close();
        if (api != null) api.close();
    }

    @Test
    void servesVersionAndNamespaces() {
        assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo("v" + ApiServerFixture.VERSION);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("spindle-a").endMetadata().build()).create();
        assertThat(client.namespaces().withName("spindle-a").get().getStatus().getPhase()).isEqualTo("Active");
    }

    @Test
    void customResourceWithStatusSubresource() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("spindle-b").endMetadata().build()).create();
        CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions()
                .load(new ByteArrayInputStream(CRD.getBytes(StandardCharsets.UTF_8))).item();
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        client.apiextensions().v1().customResourceDefinitions().withName("widgets.test.spindle.io").waitUntilCondition(c ->
                c != null && c.getStatus() != null && c.getStatus().getConditions().stream()
                        .anyMatch(k -> k.getType().equals("Established") && k.getStatus().equals("True")), 20, TimeUnit.SECONDS);

        var widgets = client.genericKubernetesResources(WIDGETS).inNamespace("spindle-b");
        GenericKubernetesResource w = widgets.resource(widget("w1", 3)).create();
        assertThat(w.getMetadata().getUid()).isNotBlank();

        // Through /status only status changes; a spec change sent there is dropped by the server.
        w.setAdditionalProperty("status", Map.of("phase", "Ready"));
        w.setAdditionalProperty("spec", Map.of("size", 9));
        widgets.resource(w).updateStatus();
        GenericKubernetesResource read = widgets.withName("w1").get();
        assertThat(read.<String>get("status", "phase")).isEqualTo("Ready");
        assertThat(read.<Number>get("spec", "size").intValue()).isEqualTo(3);

        // The structural schema is enforced: size must be >= 1.
        assertThatThrownBy(() -> widgets.resource(widget("w2", 0)).create())
                .isInstanceOf(KubernetesClientException.class)
                .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
                .hasMessageContaining("spec.size");
        assertThat(widgets.list().getItems()).extracting(x -> x.getMetadata().getName()).isEqualTo(List.of("w1"));
    }

    @Test
    void kubeconfigWorksForKubectlAndFabric8() throws Exception {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("spindle-c").endMetadata().build()).create();
        Process p = new ProcessBuilder(api.kubectl().toString(), "--kubeconfig", api.kubeconfig().toString(),
                "get", "namespaces", "-o", "name").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out.lines()).contains("namespace/spindle-c", "namespace/default");

        try (KubernetesClient fromFile = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(api.kubeconfig()))).build()) {
            assertThat(fromFile.namespaces().withName("spindle-c").get()).isNotNull();
        }
    }

    private static GenericKubernetesResource widget(String name, int size) {
        return new GenericKubernetesResourceBuilder().withApiVersion("test.spindle.io/v1").withKind("Widget")
                .withNewMetadata().withName(name).endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("size", size))).build();
    }
}
