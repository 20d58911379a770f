package io.spindle.host;

import io.spindle.lattice.Link;
import io.spindle.providers.Interfaces;
import io.spindle.wasm.World;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules a link must satisfy, checked before it is stored ({@code link.put}) and again before a host applies it.
 * Messages name the field and say exactly what is wrong.
 */
final class LinkRules {
    /** Component, provider, link and config names. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private LinkRules() {
    }

    static boolean validId(String s) {
        return s != null && ID.matcher(s).matches();
    }

    static String quote(String s) {
        if (s == null) return "null";
        return "'" + (s.length() > 80 ? s.substring(0, 80) + "..." : s) + "'";
    }

    /** Problems of the link's own fields: ids, name, package and interfaces, config names. */
    static List<String> syntax(Link l) {
        List<String> p = new ArrayList<>();
        if (l.sourceId() == null) p.add("source_id is missing");
        else if (!validId(l.sourceId())) p.add("source_id " + quote(l.sourceId()) + " must be 1-64 of [A-Za-z0-9_-]");
        if (l.target() == null) p.add("target is missing");
        else if (!validId(l.target())) p.add("target " + quote(l.target()) + " must be 1-64 of [A-Za-z0-9_-]");
        if (l.sourceId() != null && l.sourceId().equals(l.target())) p.add("source_id and target are both " + quote(l.target()) + ": a link joins two different things");
        if (!validId(l.name())) p.add("name " + quote(l.name()) + " must be 1-64 of [A-Za-z0-9_-]");
        if (l.witNamespace() == null) p.add("wit_namespace is missing (e.g. spindle)");
        if (l.witPackage() == null) p.add("wit_package is missing (e.g. messaging)");
        if (l.witNamespace() != null && l.witPackage() != null) {
            String pkg = l.witNamespace() + ":" + l.witPackage();
            List<String> known = Interfaces.PACKAGES.get(pkg);
            if (known == null) {
                p.add("interface package " + quote(pkg) + " is not known (linkable: " + String.join(", ", Interfaces.PACKAGES.keySet().stream().sorted().toList()) + ")");
            } else if (l.interfaces().isEmpty()) {
                p.add("interfaces is empty: name at least one of " + pkg + "'s (" + String.join(", ", known) + ")");
            } else {
                for (String i : l.interfaces()) {
                    if (Interfaces.HOST_GIVEN.contains(pkg + "/" + i))
                        p.add("interface " + pkg + "/" + i + " is given by the host to every component and is not linked");
                    else if (!known.contains(i))
                        p.add("interface " + quote(i) + " is not in package " + pkg + " (it has: " + String.join(", ", known) + ")");
                }
                if (l.interfaces().stream().distinct().count() != l.interfaces().size()) p.add("interfaces lists one interface twice");
            }
        }
        for (String c : l.sourceConfig()) if (!validId(c)) p.add("source_config name " + quote(c) + " must be 1-64 of [A-Za-z0-9_-]");
        for (String c : l.targetConfig()) if (!validId(c)) p.add("target_config name " + quote(c) + " must be 1-64 of [A-Za-z0-9_-]");
        return p;
    }

    /** A link's end as found in the lattice: a component (with its world) or a provider (with its ref). */
    record Party(String id, boolean component, World world, String providerRef, String where) {
        String describe() {
            return component ? "component " + quote(id) + " (" + (world == null ? "world unknown" : world.id()) + ", " + where + ")"
                    : "provider " + quote(id) + " (" + providerRef + ", " + where + ")";
        }
    }

    /**
     * Problems of the two ends for one interface (qualified, e.g. spindle:messaging/publisher): who may import it,
     * who offers it. A null world means the component's module could not be inspected (not checked then).
     */
    static List<String> roles(String iface, Party source, Party target) {
        List<String> p = new ArrayList<>();
        if (iface.equals(Interfaces.PROCESSOR)) {
            if (source.component()) {
                p.add("source_id " + quote(source.id()) + " is a component; " + iface + " is driven by a provider (spindle:messaging feeds a component's process)");
            } else if (Interfaces.provider(source.providerRef()).map(k -> !k.drives().contains(iface)).orElse(true)) {
                p.add("source_id " + quote(source.id()) + " is a " + source.providerRef() + " provider, which does not drive " + iface
                        + " (spindle:messaging does)");
            }
            if (!target.component()) {
                p.add("target " + quote(target.id()) + " is a provider (" + target.providerRef() + "); " + iface + " is exported by components");
            } else if (target.world() != null && !Interfaces.worldExports(target.world(), iface)) {
                p.add("target " + quote(target.id()) + " implements world " + target.world().id() + ", which does not export " + iface);
            }
            return p;
        }
        if (!source.component()) {
            p.add("source_id " + quote(source.id()) + " is a provider (" + source.providerRef() + "); only a component imports " + iface);
        } else if (source.world() != null && !Interfaces.worldImports(source.world(), iface)) {
            p.add("source_id " + quote(source.id()) + " implements world " + source.world().id() + ", which does not import " + iface);
        }
        if (target.component()) {
            p.add("target " + quote(target.id()) + " is a component; " + iface + " is offered by a provider ("
                    + iface.substring(0, iface.indexOf('/')) + ")");
        } else {
            var kind = Interfaces.provider(target.providerRef());
            if (kind.isEmpty() || !kind.get().offers().contains(iface))
                p.add("target " + quote(target.id()) + " is a " + target.providerRef() + " provider, which does not offer " + iface
                        + (kind.isPresent() && !kind.get().offers().isEmpty() ? " (it offers " + String.join(", ", kind.get().offers()) + ")" : ""));
        }
        return p;
    }

    /** The side of the link whose config the provider reads for iface: true for the source side. */
    static boolean providerIsSource(String iface) {
        return iface.equals(Interfaces.PROCESSOR);
    }
}
