package io.spindle.deploy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checks across the document: unique names and ids, capability images, component images and worlds, and every
 * link's target, package, interfaces and the roles of its two ends.
 */
final class ManifestValidator {
    private final Application app;
    private final Linkables linkables;
    private final ComponentWorlds worlds;
    private final List<Problem> out;
    private final Map<String, ComponentWorlds.Lookup> looked = new HashMap<>();

    private ManifestValidator(Application app, Linkables linkables, ComponentWorlds worlds, List<Problem> out) {
        this.app = app;
        this.linkables = linkables;
        this.worlds = worlds;
        this.out = out;
    }

    static void check(Application app, Linkables linkables, ComponentWorlds worlds, List<Problem> out) {
        new ManifestValidator(app, linkables, worlds, out).run();
    }

    private void run() {
        Map<String, AppComponent> byName = new LinkedHashMap<>();
        Map<String, AppComponent> byId = new HashMap<>();
        for (AppComponent c : app.components()) {
            if (c.name() != null) {
                AppComponent first = byName.putIfAbsent(c.name(), c);
                if (first != null) out.add(new Problem(c.path() + ".name", "duplicate component name " + Paths.quote(c.name())
                        + " (also " + first.path() + ")"));
                if (app.name() != null) {
                    String id = c.latticeId(app.name());
                    if (c.id() == null && !ManifestBinder.ID.matcher(id).matches())
                        out.add(new Problem(c.path() + ".name", "the derived id " + Paths.quote(id)
                                + " is over 64 characters: give properties.id"));
                    AppComponent other = byId.putIfAbsent(id, c);
                    if (other != null && first == null)
                        out.add(new Problem(c.path() + (c.id() != null ? ".properties.id" : ".name"), "duplicate lattice id "
                                + Paths.quote(id) + " (also " + other.path() + ")"));
                }
            }
            image(c);
            if (c.scalers().size() > 1)
                out.add(new Problem(c.scalers().get(1).path(), "a second scaler (" + c.scalers().get(1).kind().trait()
                        + "): a component has one spreadscaler or daemonscaler (the first is " + c.scalers().get(0).path() + ")"));
        }
        for (AppComponent c : app.components()) {
            Map<String, LinkSpec> keys = new HashMap<>();
            for (LinkSpec l : c.links()) {
                link(c, l, byName);
                if (l.namespace() != null && l.pkg() != null) {
                    LinkSpec first = keys.putIfAbsent(l.name() + "/" + l.namespace() + ":" + l.pkg(), l);
                    if (first != null) out.add(new Problem(l.path(), "a second link of " + l.namespace() + ":" + l.pkg()
                            + " named " + Paths.quote(l.name()) + " (the first is " + first.path() + "): give one a distinct name"));
                }
            }
        }
    }

    private void image(AppComponent c) {
        if (c.image() == null || c.type() == null) return;
        String at = c.path() + ".properties.image";
        if (c.type() == AppComponent.Type.CAPABILITY) {
            if (linkables.provider(c.image()).isEmpty())
                out.add(new Problem(at, "unknown capability image " + Paths.quote(c.image()) + " (built in: "
                        + String.join(", ", linkables.providers().keySet()) + ")"
                        + (c.image().endsWith(".wasm") ? "; a .wasm module is type: component" : "")));
            return;
        }
        if (c.image().startsWith("sha256-") && !ManifestBinder.DIGEST.matcher(c.image()).matches()) {
            out.add(new Problem(at, "digest " + Paths.quote(c.image()) + " must be sha256- and 64 lowercase hex digits"));
            return;
        }
        if (linkables.provider(c.image()).isPresent()) {
            out.add(new Problem(at, Paths.quote(c.image()) + " is a built-in provider: use type: capability"));
            return;
        }
        ComponentWorlds.Lookup w = lookup(c);
        if (w.problem() != null) out.add(new Problem(at, w.problem()));
    }

    private ComponentWorlds.Lookup lookup(AppComponent c) {
        if (c.type() != AppComponent.Type.COMPONENT || c.image() == null || linkables.provider(c.image()).isPresent()
                || (c.image().startsWith("sha256-") && !ManifestBinder.DIGEST.matcher(c.image()).matches()))
            return ComponentWorlds.Lookup.unchecked();
        return looked.computeIfAbsent(c.image(), image -> {
            try {
                ComponentWorlds.Lookup l = worlds.lookup(image);
                return l == null ? ComponentWorlds.Lookup.unchecked() : l;
            } catch (RuntimeException e) { // a lookup that breaks is a problem of this image, not a crash
                return ComponentWorlds.Lookup.failed("cannot inspect: " + e);
            }
        });
    }

    private void link(AppComponent source, LinkSpec l, Map<String, AppComponent> byName) {
        String props = l.path() + ".properties";
        AppComponent target = null;
        if (l.target() != null) {
            String at = props + ".target";
            target = byName.get(l.target());
            if (target == null) {
                out.add(new Problem(at, "no component named " + Paths.quote(l.target()) + " (components: "
                        + String.join(", ", byName.keySet()) + ")"));
            } else if (target == source) {
                out.add(new Problem(at, "is the component itself: a link joins two different components"));
                target = null;
            }
        }
        if (l.namespace() == null || l.pkg() == null) return;
        String pkg = l.namespace() + ":" + l.pkg();
        List<String> known = linkables.packages().get(pkg);
        if (known == null) {
            out.add(new Problem(props + ".package", "interface package " + Paths.quote(pkg) + " is not linkable (linkable: "
                    + String.join(", ", linkables.packages().keySet()) + ")"));
            return;
        }
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < l.interfaces().size(); i++) {
            String iface = l.interfaces().get(i);
            String at = props + ".interfaces[" + i + "]";
            String q = pkg + "/" + iface;
            if (seen.contains(iface)) {
                out.add(new Problem(at, "interface " + Paths.quote(iface) + " is listed twice"));
                continue;
            }
            seen.add(iface);
            if (linkables.hostGiven().contains(q)) {
                out.add(new Problem(at, q + " is given by the host to every component and is not linked"));
            } else if (!known.contains(iface)) {
                out.add(new Problem(at, "interface " + Paths.quote(iface) + " is not in package " + pkg + " (it has: "
                        + String.join(", ", known) + ")"));
            } else {
                roles(q, source, target, props);
            }
        }
    }

    /** Who may be the source and the target of a link of interface q. */
    private void roles(String q, AppComponent source, AppComponent target, String props) {
        if (source.type() == null) return;
        String srcAt = source.path() + ".type";
        String tgtAt = props + ".target";
        if (linkables.exportedByComponents(q)) {
            if (source.type() == AppComponent.Type.COMPONENT) {
                out.add(new Problem(srcAt, "component " + Paths.quote(source.name()) + " is the source of a " + q
                        + " link, which a provider drives (" + drivers(q) + "): put the link on that capability"));
            } else if (source.image() != null && linkables.provider(source.image()).map(p -> !p.drives().contains(q)).orElse(false)) {
                out.add(new Problem(props, source.image() + " does not drive " + q + " (" + drivers(q) + " does)"));
            }
            if (target == null || target.type() == null) return;
            if (target.type() == AppComponent.Type.CAPABILITY) {
                out.add(new Problem(tgtAt, Paths.quote(target.name()) + " is a capability (" + target.image() + "); " + q
                        + " is exported by components"));
            } else {
                ComponentWorlds.Lookup w = lookup(target);
                if (w.known() && !w.exports().contains(q))
                    out.add(new Problem(tgtAt, "component " + Paths.quote(target.name()) + " (" + target.image() + ", world "
                            + w.world() + ") does not export " + q + exportsText(w)));
            }
            return;
        }
        if (source.type() == AppComponent.Type.CAPABILITY) {
            out.add(new Problem(srcAt, "capability " + Paths.quote(source.name()) + " is the source of a " + q
                    + " link; only a component imports it"));
        } else {
            ComponentWorlds.Lookup w = lookup(source);
            if (w.known() && !w.imports().contains(q))
                out.add(new Problem(props, "component " + Paths.quote(source.name()) + " (" + source.image() + ", world "
                        + w.world() + ") does not import " + q + " (it imports: "
                        + (w.imports().isEmpty() ? "nothing" : String.join(", ", w.imports().stream().sorted().toList())) + ")"));
        }
        if (target == null || target.type() == null) return;
        if (target.type() == AppComponent.Type.COMPONENT) {
            out.add(new Problem(tgtAt, Paths.quote(target.name()) + " is a component; " + q + " is offered by a capability ("
                    + offerers(q) + ")"));
        } else if (target.image() != null && linkables.provider(target.image()).map(p -> !p.offers().contains(q)).orElse(false)) {
            out.add(new Problem(tgtAt, Paths.quote(target.name()) + " is " + target.image() + ", which does not offer " + q
                    + " (" + offerers(q) + " does)"));
        }
    }

    private String drivers(String q) {
        return String.join(", ", linkables.providers().values().stream().filter(p -> p.drives().contains(q)).map(Linkables.Provider::ref).toList());
    }

    private String offerers(String q) {
        return String.join(", ", linkables.providers().values().stream().filter(p -> p.offers().contains(q)).map(Linkables.Provider::ref).toList());
    }

    private static String exportsText(ComponentWorlds.Lookup w) {
        return " (it exports: " + (w.exports().isEmpty() ? "nothing linkable" : String.join(", ", w.exports().stream().sorted().toList())) + ")";
    }
}
