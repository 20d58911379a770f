package io.spindle.operator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An Application resource turned back into manifest text, the document `spindle app put` would send. Kubernetes
 * keys (annotations and labels with a '/', such as kubectl's last-applied-configuration) stay behind.
 */
final class ManifestText {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ManifestText() {
    }

    static String of(OamApplication app) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("name", app.getMetadata().getName());
        Map<String, String> ann = plain(app.getMetadata().getAnnotations());
        if (!ann.isEmpty()) meta.put("annotations", ann);
        Map<String, String> labels = plain(app.getMetadata().getLabels());
        if (!labels.isEmpty()) meta.put("labels", labels);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("apiVersion", "core.oam.dev/v1beta1");
        doc.put("kind", "Application");
        doc.put("metadata", meta);
        doc.put("spec", Map.of("components", app.getSpec() == null || app.getSpec().components == null
                ? java.util.List.of() : app.getSpec().components));
        try {
            return YAML.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("application " + app.getMetadata().getName() + ": cannot write as YAML: " + e.getMessage(), e);
        }
    }

    static String version(OamApplication app) {
        Map<String, String> a = app.getMetadata().getAnnotations();
        return a == null ? null : a.get("version");
    }

    private static Map<String, String> plain(Map<String, String> m) {
        Map<String, String> out = new LinkedHashMap<>();
        if (m != null) m.forEach((k, v) -> {
            if (!k.contains("/")) out.put(k, v);
        });
        return out;
    }
}
