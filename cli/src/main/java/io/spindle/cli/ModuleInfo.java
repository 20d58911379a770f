package io.spindle.cli;

import io.spindle.wasm.Component;
import io.spindle.wasm.ComponentException;
import io.spindle.wasm.ModuleShape;
import io.spindle.wasm.World;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code component inspect} shows of a module: from the loaded {@link Component} when it loads, else as much as
 * the bytes give (size and SHA-256 always, imports, exports and memory when the module at least parses) next to the
 * error that refused it.
 *
 * @param file           the file as given on the command line
 * @param name           the component's name (the file name without .wasm)
 * @param size           bytes
 * @param sha256         lowercase hex
 * @param world          the world it implements, or null when it did not load
 * @param declaredWorld  its spindle:world section, or null
 * @param imports        core imports (module, name, kind, signature; signature "" for non-functions)
 * @param exports        core exports (module "")
 * @param customSections custom sections in file order, with their payload sizes (after the name)
 * @param initialPages   initial memory pages, or -1 when unknown (no memory, or the module did not parse)
 * @param maxPages       maximum memory pages, or -1 when none is declared or unknown
 * @param error          the load error, or null
 */
record ModuleInfo(String file, String name, long size, String sha256, String world, String declaredWorld,
                  List<ModuleShape.Function> imports, List<ModuleShape.Function> exports, List<ModuleShape.Section> customSections,
                  int initialPages, int maxPages, String error) {

    /** The info of a module that loaded. */
    static ModuleInfo of(String file, Component c) {
        ModuleShape m = c.shape();
        return new ModuleInfo(file, c.name(), m.size(), m.sha256(), c.world().id(), m.declaredWorld(), m.imports(),
                m.exports(), m.customSections(), m.initialPages(), m.maxPages(), null);
    }

    /** What can be read of a module that failed to load with error: its shape when it parses, else size and hash. */
    static ModuleInfo partial(String file, String name, byte[] bytes, String error) {
        try {
            ModuleShape m = ModuleShape.read(name, bytes);
            return new ModuleInfo(file, name, m.size(), m.sha256(), null, m.declaredWorld(), m.imports(), m.exports(),
                    m.customSections(), m.initialPages(), m.maxPages(), error);
        } catch (ComponentException notParsed) {
            List<ModuleShape.Section> sections = new ArrayList<>();
            String declared = ModuleShape.scanCustomSections(bytes, sections);
            return new ModuleInfo(file, name, bytes.length, ModuleShape.sha256(bytes), null, declared, List.of(), List.of(),
                    sections, -1, -1, error);
        }
    }

    /** One JSON object: file, size, sha256, world, declared_world, imports, exports, custom_sections, memory. */
    String toJson() {
        return toJson(null);
    }

    /** The JSON object with a {@code "claims"} key holding claimsJson (a JSON value) appended, unless null. */
    String toJson(String claimsJson) {
        StringBuilder sb = new StringBuilder(2048).append('{');
        Json.string(Json.key(sb, "file"), file).append(',');
        Json.string(Json.key(sb, "name"), name).append(',');
        Json.key(sb, "size").append(size).append(',');
        Json.string(Json.key(sb, "sha256"), sha256).append(',');
        nullable(Json.key(sb, "world"), world).append(',');
        nullable(Json.key(sb, "declared_world"), declaredWorld).append(',');
        Json.key(sb, "imports").append('[');
        for (int i = 0; i < imports.size(); i++) {
            ModuleShape.Function f = imports.get(i);
            if (i > 0) sb.append(',');
            sb.append('{');
            Json.string(Json.key(sb, "module"), f.module()).append(',');
            Json.string(Json.key(sb, "name"), f.name()).append(',');
            Json.string(Json.key(sb, "kind"), f.kind()).append(',');
            nullable(Json.key(sb, "signature"), f.signature().isEmpty() ? null : f.signature()).append('}');
        }
        sb.append("],");
        Json.key(sb, "exports").append('[');
        for (int i = 0; i < exports.size(); i++) {
            ModuleShape.Function f = exports.get(i);
            if (i > 0) sb.append(',');
            sb.append('{');
            Json.string(Json.key(sb, "name"), f.name()).append(',');
            Json.string(Json.key(sb, "kind"), f.kind()).append(',');
            nullable(Json.key(sb, "signature"), f.signature().isEmpty() ? null : f.signature()).append('}');
        }
        sb.append("],");
        Json.key(sb, "custom_sections").append('[');
        for (int i = 0; i < customSections.size(); i++) {
            ModuleShape.Section s = customSections.get(i);
            if (i > 0) sb.append(',');
            sb.append('{');
            Json.string(Json.key(sb, "name"), s.name()).append(',');
            Json.key(sb, "size");
            if (s.size() < 0) sb.append("null");
            else sb.append(s.size());
            sb.append('}');
        }
        sb.append("],");
        Json.key(sb, "memory");
        if (initialPages < 0) sb.append("null");
        else {
            sb.append('{');
            Json.key(sb, "initial_pages").append(initialPages).append(',');
            Json.key(sb, "max_pages");
            if (maxPages < 0) sb.append("null");
            else sb.append(maxPages);
            sb.append('}');
        }
        if (error != null) Json.string(Json.key(sb.append(','), "error"), error);
        if (claimsJson != null) Json.key(sb.append(','), "claims").append(claimsJson);
        return sb.append('}').toString();
    }

    /** An aligned, readable table. */
    String toTable() {
        StringBuilder sb = new StringBuilder(2048);
        row(sb, "file", file);
        row(sb, "component", name);
        row(sb, "size", String.format(Locale.ROOT, "%,d bytes", size));
        row(sb, "sha256", sha256);
        if (world != null) {
            row(sb, "world", world + (declaredWorld != null ? " (declared in its " + World.WORLD_SECTION + " section)"
                    : " (inferred from its exports: no " + World.WORLD_SECTION + " section)"));
        } else {
            row(sb, "world", "none: it did not load" + (declaredWorld != null ? " (declares '" + declaredWorld + "')" : ""));
        }
        if (initialPages < 0) row(sb, "memory", "none defined");
        else row(sb, "memory", pages(initialPages) + " initial, " + (maxPages < 0 ? "no maximum" : pages(maxPages) + " maximum"));
        int w = 12;
        for (ModuleShape.Function f : imports) w = Math.max(w, f.qualifiedName().length());
        for (ModuleShape.Function f : exports) w = Math.max(w, f.name().length());
        for (ModuleShape.Section s : customSections) w = Math.max(w, s.name().length());
        String fmt = "  %-" + w + "s  %-6s  %s%n";
        row(sb, "imports", imports.isEmpty() ? "none" : Integer.toString(imports.size()));
        for (ModuleShape.Function f : imports) line(sb, String.format(Locale.ROOT, fmt, f.qualifiedName(), f.kind(), f.signature()));
        row(sb, "exports", exports.isEmpty() ? "none" : Integer.toString(exports.size()));
        for (ModuleShape.Function f : exports) line(sb, String.format(Locale.ROOT, fmt, f.name(), f.kind(), f.signature()));
        row(sb, "custom sections", customSections.isEmpty() ? "none" : Integer.toString(customSections.size()));
        for (ModuleShape.Section s : customSections) {
            String detail = s.size() < 0 ? "size unknown" : String.format(Locale.ROOT, "%,d bytes", s.size());
            if (s.name().equals(World.WORLD_SECTION) && declaredWorld != null) detail += "  \"" + declaredWorld + "\"";
            sb.append(String.format(Locale.ROOT, "  %-" + w + "s  %s%n", s.name(), detail));
        }
        if (error != null) row(sb, "error", error);
        return sb.toString().stripTrailing();
    }

    private static void line(StringBuilder sb, String text) {
        sb.append(text.stripTrailing()).append('\n');
    }

    private static void row(StringBuilder sb, String key, String value) {
        sb.append(String.format(Locale.ROOT, "%-16s %s%n", key, value));
    }

    private static String pages(int n) {
        return n + (n == 1 ? " page" : " pages") + " (" + String.format(Locale.ROOT, "%,d", n * 64L) + " KiB)";
    }

    private static StringBuilder nullable(StringBuilder sb, String s) {
        return s == null ? sb.append("null") : Json.string(sb, s);
    }
}
