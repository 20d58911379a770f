package io.spindle.policy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a rules file (YAML; format in policy/README.md) into {@link PolicyRules}, refusing it with every problem
 * named by its path in the document ({@code rules[1].match.kind}) and the reason.
 */
public final class RulesFile {
    private static final int MAX_BYTES = 1 << 20;
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).maxStringLength(1 << 16).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
    private static final Set<String> ROOT = Set.of("default", "rules"), RULE = Set.of("name", "effect", "message", "match"),
            MATCH = Set.of("kind", "issuer", "component", "image", "provider", "host_labels", "link"),
            LINK = Set.of("namespace", "package", "interfaces");

    private RulesFile() {
    }

    /** The rules in file; RulesException naming the file and every problem, IOException when it cannot be read. */
    public static PolicyRules read(Path file) throws IOException {
        if (Files.size(file) > MAX_BYTES) throw new RulesException(file.toString(), List.of(Files.size(file) + " bytes, over the limit of " + MAX_BYTES));
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** The rules in text; source names it in errors. */
    public static PolicyRules parse(String text, String source) {
        List<String> p = new ArrayList<>();
        JsonNode root = tree(text, p);
        if (root == null) throw new RulesException(source, p);
        if (!root.isObject()) throw new RulesException(source, List.of("the document must be a mapping with 'default' and 'rules', got " + type(root)));
        unknown(root, ROOT, "", p);
        boolean defaultAllow = false;
        JsonNode d = root.get("default");
        if (d != null) {
            if (d.isTextual() && (d.textValue().equals("allow") || d.textValue().equals("deny"))) defaultAllow = d.textValue().equals("allow");
            else p.add("default: must be allow or deny, got " + show(d));
        }
        List<Rule> rules = new ArrayList<>();
        JsonNode rs = root.get("rules");
        if (rs == null || rs.isNull()) p.add("rules: missing (a list of rules; [] to let the default decide everything)");
        else if (!rs.isArray()) p.add("rules: must be a list, got " + type(rs));
        else for (int i = 0; i < rs.size(); i++) {
            Rule r = rule(rs.get(i), i, "rules[" + i + "]", p);
            if (r != null) rules.add(r);
        }
        if (!p.isEmpty()) throw new RulesException(source, p);
        return new PolicyRules(rules, defaultAllow);
    }

    private static Rule rule(JsonNode n, int i, String path, List<String> p) {
        if (!n.isObject()) {
            p.add(path + ": a rule must be a mapping (effect, match, name, message), got " + type(n));
            return null;
        }
        int before = p.size();
        unknown(n, RULE, path, p);
        JsonNode e = n.get("effect");
        if (e == null) p.add(path + ".effect: missing (allow or deny)");
        else if (!e.isTextual() || !(e.textValue().equals("allow") || e.textValue().equals("deny")))
            p.add(path + ".effect: must be allow or deny, got " + show(e));
        String name = text(n, "name", path, p), message = text(n, "message", path, p);
        JsonNode m = n.get("match");
        String mp = path + ".match";
        if (m != null && !m.isObject() && !m.isNull()) p.add(mp + ": must be a mapping of conditions, got " + type(m));
        if (m == null || !m.isObject()) m = YAML.createObjectNode();
        unknown(m, MATCH, mp, p);
        List<Glob> kinds = globs(m.get("kind"), mp + ".kind", p);
        if (kinds != null) for (Glob k : kinds)
            if (!PolicyRules.KINDS.contains(k.text()))
                p.add(mp + ".kind: " + show(k.text()) + " is not a kind (" + String.join(", ", PolicyRules.KINDS.stream().sorted().toList()) + ")");
        List<Glob> issuers = globs(m.get("issuer"), mp + ".issuer", p), components = globs(m.get("component"), mp + ".component", p),
                images = globs(m.get("image"), mp + ".image", p), providers = globs(m.get("provider"), mp + ".provider", p);
        Map<String, List<Glob>> labels = null;
        JsonNode hl = m.get("host_labels");
        if (hl != null) {
            if (!hl.isObject() || hl.isEmpty()) p.add(mp + ".host_labels: must be a non-empty mapping of label key to value(s), got " + show(hl));
            else {
                labels = new LinkedHashMap<>();
                for (var f : hl.properties()) labels.put(f.getKey(), globs(f.getValue(), mp + ".host_labels." + f.getKey(), p));
            }
        }
        List<Glob> ns = null, pkgs = null, ifs = null;
        JsonNode l = m.get("link");
        if (l != null) {
            if (!l.isObject() || l.isEmpty()) p.add(mp + ".link: must be a mapping of namespace, package, interfaces, got " + show(l));
            else {
                unknown(l, LINK, mp + ".link", p);
                ns = globs(l.get("namespace"), mp + ".link.namespace", p);
                pkgs = globs(l.get("package"), mp + ".link.package", p);
                ifs = globs(l.get("interfaces"), mp + ".link.interfaces", p);
            }
        }
        // a condition that cannot apply to any of the rule's kinds would make the rule dead: say so
        if (kinds != null && p.size() == before) {
            Set<String> ks = new java.util.TreeSet<>();
            kinds.forEach(k -> ks.add(k.text()));
            deadIf(images != null && !ks.contains(PolicyRules.START_COMPONENT), mp + ".image", "start_component", p);
            deadIf(issuers != null && !ks.contains(PolicyRules.START_COMPONENT), mp + ".issuer", "start_component", p);
            deadIf(providers != null && !ks.contains(PolicyRules.START_PROVIDER), mp + ".provider", "start_provider", p);
            deadIf(l != null && !ks.contains(PolicyRules.APPLY_LINK), mp + ".link", "apply_link", p);
            deadIf(components != null && !ks.contains(PolicyRules.START_COMPONENT) && !ks.contains(PolicyRules.APPLY_LINK), mp + ".component",
                    "start_component or apply_link", p);
        }
        if (p.size() != before) return null;
        return new Rule(i, name, e.textValue().equals("allow"), message, kinds, issuers, components, images, providers, labels, ns, pkgs, ifs);
    }

    private static void deadIf(boolean dead, String path, String kinds, List<String> p) {
        if (dead) p.add(path + ": applies only to " + kinds + " requests, which this rule's kind excludes (the rule could never match)");
    }

    /** A string or a non-empty list of non-empty strings, as globs; null when absent. */
    private static List<Glob> globs(JsonNode n, String path, List<String> p) {
        if (n == null) return null;
        List<JsonNode> items = new ArrayList<>();
        if (n.isArray()) n.forEach(items::add);
        else items.add(n);
        if (items.isEmpty()) {
            p.add(path + ": an empty list matches nothing (remove the condition or give a value)");
            return null;
        }
        List<Glob> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode x = items.get(i);
            String at = n.isArray() ? path + "[" + i + "]" : path;
            if (!x.isTextual() || x.textValue().isEmpty()) p.add(at + ": must be a non-empty string (a value, or a pattern with *), got " + show(x));
            else out.add(Glob.of(x.textValue()));
        }
        return out;
    }

    private static String text(JsonNode n, String field, String path, List<String> p) {
        JsonNode v = n.get(field);
        if (v == null) return null;
        if (!v.isTextual()) {
            p.add(path + "." + field + ": must be a string, got " + show(v));
            return null;
        }
        return v.textValue();
    }

    private static void unknown(JsonNode n, Set<String> known, String path, List<String> p) {
        for (var it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f))
                p.add((path.isEmpty() ? f : path + "." + f) + ": unknown field (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
        }
    }

    private static JsonNode tree(String text, List<String> p) {
        try (JsonParser yp = YAML.createParser(text)) {
            // aliases first: Jackson would read *name as the string "name", silently misreading the file
            while (yp.nextToken() != null) {
                if (((YAMLParser) yp).isCurrentAlias()) {
                    p.add("alias *" + yp.getText() + " at line " + yp.currentTokenLocation().getLineNr() + " is not supported: write the value out");
                    return null;
                }
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            p.add("malformed YAML" + (at != null && at.getLineNr() > 0 ? " at line " + at.getLineNr() + ", column " + at.getColumnNr() : "") + ": "
                    + firstLine(e.getOriginalMessage()));
            return null;
        } catch (IOException | RuntimeException e) {
            p.add("malformed YAML: " + firstLine(e.getMessage()));
            return null;
        }
        try (JsonParser yp = YAML.createParser(text)) {
            JsonNode root = YAML.readTree(yp);
            if (root == null || root.isMissingNode() || root.isNull()) {
                p.add("the document is empty (expected 'default' and 'rules')");
                return null;
            }
            if (yp.nextToken() != null) {
                p.add("more than one YAML document (the second starts at line " + yp.currentTokenLocation().getLineNr() + "): put the rules in one");
                return null;
            }
            return root;
        } catch (IOException | RuntimeException e) {
            p.add("malformed YAML: " + firstLine(e.getMessage()));
            return null;
        }
    }

    private static String type(JsonNode n) {
        return n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }

    private static String show(JsonNode n) {
        String s = n.isTextual() ? "'" + n.textValue() + "'" : n.toString();
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    private static String show(String s) {
        return "'" + (s.length() > 80 ? s.substring(0, 80) + "..." : s) + "'";
    }

    private static String firstLine(String s) {
        if (s == null) return "unreadable";
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
