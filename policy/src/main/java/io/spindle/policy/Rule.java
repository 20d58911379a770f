package io.spindle.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One rule: allow or deny when every condition given matches (an empty match matches everything). A condition
 * that does not apply to the request's kind (e.g. {@code provider} on a link) does not match. Each condition is
 * one or more globs; one of them matching is enough.
 *
 * @param index      position in the file (0-based), for messages
 * @param name       optional name, for messages
 * @param allow      allow (true) or deny
 * @param message    the answer's message (default: which rule decided)
 * @param kinds      start_component, start_provider, apply_link
 * @param issuers    the signed claims' issuer (an unsigned component never matches)
 * @param components component id or claims name (start_component); source or target id (apply_link)
 * @param images     image ref or digest (start_component)
 * @param providers  provider ref or id (start_provider)
 * @param hostLabels per label key, globs of its value (a host without the label does not match)
 * @param namespaces link wit_namespace; {@code packages}: wit_package; {@code interfaces}: one of the link's
 */
record Rule(int index, String name, boolean allow, String message, List<Glob> kinds, List<Glob> issuers, List<Glob> components,
            List<Glob> images, List<Glob> providers, Map<String, List<Glob>> hostLabels, List<Glob> namespaces, List<Glob> packages,
            List<Glob> interfaces) {

    boolean matches(String kind, JsonNode req, JsonNode host) {
        if (!any(kinds, List.of(kind))) return false;
        if (issuers != null && !any(issuers, texts(req.path("claims").path("issuer")))) return false;
        if (components != null && !any(components, switch (kind) {
            case PolicyRules.START_COMPONENT -> texts(req.path("component_id"), req.path("claims").path("name"));
            case PolicyRules.APPLY_LINK -> texts(req.path("source_id"), req.path("target"));
            default -> List.of();
        })) return false;
        if (images != null && !any(images, kind.equals(PolicyRules.START_COMPONENT) ? texts(req.path("image_ref"), req.path("digest")) : List.of()))
            return false;
        if (providers != null && !any(providers, kind.equals(PolicyRules.START_PROVIDER) ? texts(req.path("provider_ref"), req.path("provider_id"))
                : List.of())) return false;
        boolean link = kind.equals(PolicyRules.APPLY_LINK);
        if (namespaces != null && !any(namespaces, link ? texts(req.path("wit_namespace")) : List.of())) return false;
        if (packages != null && !any(packages, link ? texts(req.path("wit_package")) : List.of())) return false;
        if (interfaces != null) {
            List<String> ifs = new ArrayList<>();
            if (link) req.path("interfaces").forEach(i -> ifs.addAll(texts(i)));
            if (!any(interfaces, ifs)) return false;
        }
        if (hostLabels != null) {
            for (var e : hostLabels.entrySet())
                if (!any(e.getValue(), texts(host.path("labels").path(e.getKey())))) return false;
        }
        return true;
    }

    /** True when globs is null (no condition) or one glob matches one value. */
    private static boolean any(List<Glob> globs, List<String> values) {
        if (globs == null) return true;
        for (Glob g : globs) for (String v : values) if (g.matches(v)) return true;
        return false;
    }

    private static List<String> texts(JsonNode... nodes) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : nodes) if (n != null && n.isTextual()) out.add(n.textValue());
        return out;
    }

    /** {@code rule 2 ('edge-only')}, for messages. */
    String describe() {
        return "rule " + index + (name == null ? "" : " (" + name + ")");
    }
}
