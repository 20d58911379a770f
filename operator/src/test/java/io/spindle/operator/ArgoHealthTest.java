package io.spindle.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The ArgoCD health check (deploy/kubernetes/argocd/health.lua) run by a real Lua 5.4 on statuses the operator
 * writes; skipped when lua5.4 is not installed (Debian package lua5.4). ArgoCD embeds gopher-lua, a Lua 5.1: the
 * script uses nothing newer.
 */
class ArgoHealthTest {
    static final Path ARGO = Path.of(System.getProperty("spindle.root", "..")).resolve("deploy/kubernetes/argocd");

    static String lua(Object v) {
        if (v instanceof Map<?, ?> m)
            return m.entrySet().stream().map(e -> e.getKey() + " = " + lua(e.getValue())).collect(Collectors.joining(", ", "{", "}"));
        if (v instanceof List<?> l) return l.stream().map(ArgoHealthTest::lua).collect(Collectors.joining(", ", "{", "}"));
        if (v instanceof String s) return "\"" + s.replace("\"", "\\\"") + "\"";
        return String.valueOf(v);
    }

    static String health(Map<String, Object> obj) throws Exception {
        Path script = Files.createTempFile("health-", ".lua");
        Files.writeString(script, "obj = " + lua(obj) + "\nlocal hs = dofile(\"" + ARGO.resolve("health.lua") + "\")\n"
                + "print(hs.status .. \"|\" .. (hs.message or \"\"))\n");
        Process p = new ProcessBuilder("lua5.4", script.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertThat(p.waitFor()).as(out).isZero();
        Files.delete(script);
        return out;
    }

    static Map<String, Object> app(String phase, boolean drifted, int observed) {
        return Map.of("metadata", Map.of("generation", 2), "status", Map.of("phase", phase, "message", "m", "observedGeneration", observed,
                "conditions", List.of(Map.of("type", "Drifted", "status", drifted ? "True" : "False"))));
    }

    @Test
    void mapsTheStatusToArgoHealth() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/lua5.4")), "lua5.4 not installed");
        assertThat(health(app("deployed", false, 2))).isEqualTo("Healthy|m");
        assertThat(health(app("deployed", true, 2))).isEqualTo("Degraded|drifted: m");
        assertThat(health(app("deployed", false, 1))).startsWith("Progressing|");
        assertThat(health(app("reconciling", false, 2))).isEqualTo("Progressing|m");
        assertThat(health(app("waiting", false, 2))).isEqualTo("Progressing|m");
        assertThat(health(app("failed", false, 2))).isEqualTo("Degraded|m");
        assertThat(health(app("invalid", false, 2))).isEqualTo("Degraded|m");
        assertThat(health(Map.of("metadata", Map.of("generation", 1)))).startsWith("Progressing|waiting for the Spindle operator");
    }

    @Test
    void argocdConfigMapEmbedsTheSameScript() throws Exception {
        Map<?, ?> cm = new ObjectMapper(new YAMLFactory()).readValue(ARGO.resolve("argocd-cm.yaml").toFile(), Map.class);
        assertThat(((Map<?, ?>) cm.get("data")).get("resource.customizations.health.core.oam.dev_Application"))
                .isEqualTo(Files.readString(ARGO.resolve("health.lua")));
    }
}
