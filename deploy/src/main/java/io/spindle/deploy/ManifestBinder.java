package io.spindle.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The document tree as an {@link Application}: every field checked for presence, type and range where it stands,
 * every unknown field reported. Whatever is wrong is left out of the model (or null), so that the cross-reference
 * checks of {@link ManifestValidator} still run on the rest.
 */
final class ManifestBinder {
    /** Names and ids: also keys in the lattice's buckets and NATS subjects. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    static final Pattern DIGEST = Pattern.compile("sha256-[0-9a-f]{64}");

    private final List<Problem> out;

    private ManifestBinder(List<Problem> out) {
        this.out = out;
    }

    /** The application the tree describes (never null), its problems added to out. */
    static Application bind(JsonNode root, List<Problem> out) {
        return new ManifestBinder(out).application(root);
    }

    private Application application(JsonNode root) {
        Fields f = Fields.of(root, "", out);
        if (f == null) return new Application(null, null, null, Map.of(), Map.of(), List.of());
        exact(f, "apiVersion", Application.API_VERSION);
        exact(f, "kind", Application.KIND);
        String name = null, version = null, description = null;
        Map<String, String> annotations = Map.of(), labels = Map.of();
        Fields meta = f.object("metadata", true);
        if (meta != null) {
            name = id(meta, "name", true);
            labels = meta.stringMap("labels", false);
            Fields ann = meta.object("annotations", true);
            if (ann != null) {
                version = ann.string("version", true);
                description = ann.string("description", false);
                Map<String, String> all = new java.util.LinkedHashMap<>(); // other annotations are kept, as strings
                for (String k : ann.keys()) {
                    String v = k.equals("version") ? version : k.equals("description") ? description : ann.string(k, false);
                    if (v != null) all.put(k, v);
                }
                annotations = all;
                ann.finish();
            }
            meta.finish();
        }
        List<AppComponent> components = new ArrayList<>();
        Fields spec = f.object("spec", true);
        if (spec != null) {
            List<Fields.Element> list = spec.array("components", true);
            if (list.isEmpty() && spec.get("components", false) != null && spec.get("components", false).isArray())
                out.add(new Problem(spec.pathOf("components"), "is empty: an application has at least one component"));
            for (Fields.Element e : list) {
                AppComponent c = component(e);
                if (c != null) components.add(c);
            }
            spec.finish();
        }
        f.finish();
        return new Application(name, version, description, annotations, labels, components);
    }

    private AppComponent component(Fields.Element e) {
        Fields f = Fields.of(e.node(), e.path(), out);
        if (f == null) return null;
        String name = id(f, "name", true);
        AppComponent.Type type = null;
        String t = f.string("type", true);
        if (t != null) {
            for (AppComponent.Type x : AppComponent.Type.values()) if (x.word().equals(t)) type = x;
            if (type == null) out.add(new Problem(f.pathOf("type"), "unknown type " + Paths.quote(t) + " (one of: component, capability"
                    + (t.equals("actor") ? "; wadm's actor is a component" : t.equals("provider") ? "; a provider is a capability" : "") + ")"));
        }
        String image = null, id = null;
        List<ConfigSpec> config = List.of();
        Fields props = f.object("properties", true);
        if (props != null) {
            image = props.string("image", true);
            id = id(props, "id", false);
            config = configs(props, "config");
            props.finish();
        }
        List<Scaler> scalers = new ArrayList<>();
        List<LinkSpec> links = new ArrayList<>();
        for (Fields.Element te : f.array("traits", false)) trait(te, scalers, links);
        f.finish();
        return new AppComponent(name, type, image, id, config, scalers, links, e.path());
    }

    private void trait(Fields.Element e, List<Scaler> scalers, List<LinkSpec> links) {
        Fields f = Fields.of(e.node(), e.path(), out);
        if (f == null) return;
        String type = f.string("type", true);
        Fields props = f.object("properties", true);
        f.finish();
        if (type == null) return;
        switch (type) {
            case "spreadscaler" -> scaler(Scaler.Kind.SPREAD, props, e.path(), scalers);
            case "daemonscaler" -> scaler(Scaler.Kind.DAEMON, props, e.path(), scalers);
            case "link" -> link(props, e.path(), links);
            default -> out.add(new Problem(f.pathOf("type"), "unknown trait type " + Paths.quote(type)
                    + " (one of: spreadscaler, daemonscaler, link" + (type.equals("linkdef") ? "; wadm's old linkdef is link" : "") + ")"));
        }
    }

    private void scaler(Scaler.Kind kind, Fields props, String path, List<Scaler> scalers) {
        if (props == null) return;
        long instances = props.integer("instances", true, 0);
        if (instances < 0 || instances > 100_000) {
            out.add(new Problem(props.pathOf("instances"), "must be 0 to 100000, not " + instances));
            instances = 0;
        }
        List<Spread> spreads = new ArrayList<>();
        List<Fields.Element> list = props.array("spread", false);
        boolean weightsOk = true;
        for (Fields.Element se : list) {
            Fields s = Fields.of(se.node(), se.path(), out);
            if (s == null) continue;
            String name = s.string("name", true);
            Map<String, String> req = s.stringMap("requirements", false);
            long weight = s.integer("weight", false, Spread.DEFAULT_WEIGHT);
            if (weight < 0 || weight > 1_000_000) {
                out.add(new Problem(s.pathOf("weight"), "must be 0 to 1000000, not " + weight));
                weight = 0;
                weightsOk = false;
            }
            s.finish();
            for (Spread other : spreads)
                if (name != null && name.equals(other.name()))
                    out.add(new Problem(s.pathOf("name"), "duplicate spread name " + Paths.quote(name)));
            spreads.add(new Spread(name, req, (int) weight));
        }
        if (kind == Scaler.Kind.SPREAD && weightsOk && !spreads.isEmpty() && instances > 0
                && spreads.stream().mapToLong(Spread::weight).sum() == 0)
            out.add(new Problem(props.pathOf("spread"), "every weight is 0: " + instances + " instances cannot be placed"));
        props.finish();
        scalers.add(new Scaler(kind, (int) instances, spreads, path));
    }

    private void link(Fields props, String path, List<LinkSpec> links) {
        if (props == null) return;
        String name = id(props, "name", false);
        String target = null;
        List<ConfigSpec> targetConfig = List.of(), sourceConfig = List.of();
        JsonNode tv = props.get("target", true);
        if (tv != null) {
            if (tv.isTextual()) {
                target = props.string("target", true);
            } else if (tv.isObject()) {
                Fields t = Fields.of(tv, props.pathOf("target"), out);
                target = t.string("name", true);
                targetConfig = configs(t, "config");
                t.finish();
            } else {
                out.add(new Problem(props.pathOf("target"), "expected a component name or {name, config}, found " + Fields.kind(tv)));
            }
        }
        Fields source = props.object("source", false);
        if (source != null) {
            sourceConfig = configs(source, "config");
            source.finish();
        }
        String namespace = props.string("namespace", true);
        String pkg = props.string("package", true);
        List<String> interfaces = new ArrayList<>();
        List<Fields.Element> list = props.array("interfaces", true);
        for (Fields.Element ie : list) {
            if (!ie.node().isTextual() || ie.node().asText().isBlank())
                out.add(new Problem(ie.path(), "expected an interface name, found " + Fields.kind(ie.node())));
            else interfaces.add(ie.node().asText());
        }
        JsonNode iv = props.get("interfaces", false);
        if (iv != null && iv.isArray() && iv.isEmpty()) out.add(new Problem(props.pathOf("interfaces"), "is empty: name at least one interface"));
        props.finish();
        links.add(new LinkSpec(name, target, namespace, pkg, interfaces, sourceConfig, targetConfig, path));
    }

    private List<ConfigSpec> configs(Fields f, String key) {
        List<ConfigSpec> l = new ArrayList<>();
        for (Fields.Element ce : f.array(key, false)) {
            Fields c = Fields.of(ce.node(), ce.path(), out);
            if (c == null) continue;
            String name = id(c, "name", true);
            Map<String, String> props = c.stringMap("properties", false);
            c.finish();
            if (name == null) continue;
            if (l.stream().anyMatch(x -> x.name().equals(name)))
                out.add(new Problem(c.pathOf("name"), "duplicate config name " + Paths.quote(name)));
            else l.add(new ConfigSpec(name, props));
        }
        return l;
    }

    private String id(Fields f, String key, boolean required) {
        String s = f.string(key, required);
        if (s != null && !ID.matcher(s).matches()) {
            out.add(new Problem(f.pathOf(key), Paths.quote(s) + " must be 1-64 of [A-Za-z0-9_-]"));
            return null;
        }
        return s;
    }

    private void exact(Fields f, String key, String expected) {
        String s = f.string(key, true);
        if (s != null && !s.equals(expected)) out.add(new Problem(f.pathOf(key), "must be " + expected + ", not " + Paths.quote(s)));
    }
}
