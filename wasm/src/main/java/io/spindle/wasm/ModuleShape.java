package io.spindle.wasm;

import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a module is made of, whatever world it claims: identity, imports, exports, custom sections and memory.
 * {@code component inspect} shows it even for a module that a world check refuses.
 *
 * @param sha256         lowercase hex SHA-256 of the bytes: the module's identity and compile-cache key
 * @param size           bytes
 * @param imports        core imports, in order (signature "" for non-functions)
 * @param exports        core exports, in order (module "")
 * @param customSections custom sections in file order, with their payload sizes after the name
 * @param declaredWorld  the content of its {@code spindle:world} section, or null
 * @param initialPages   initial memory pages, or -1 without a memory
 * @param maxPages       maximum memory pages, or -1 when none is declared
 */
public record ModuleShape(String sha256, long size, List<Function> imports, List<Function> exports,
                          List<Section> customSections, String declaredWorld, int initialPages, int maxPages) {

    /** An import or export at the core level: {@code module} is empty for exports. */
    public record Function(String module, String name, String kind, String signature) {
        /** {@code module#name} for imports, {@code name} for exports. */
        public String qualifiedName() {
            return module.isEmpty() ? name : module + "#" + name;
        }
    }

    /** A custom section's name and payload size in bytes. */
    public record Section(String name, long size) {
    }

    public ModuleShape {
        imports = List.copyOf(imports);
        exports = List.copyOf(exports);
        customSections = List.copyOf(customSections);
    }

    /** Parses and validates bytes; a module that does not parse is a ComponentException of kind MALFORMED. */
    public static ModuleShape read(String name, byte[] bytes) {
        return of(bytes, parse(name, bytes));
    }

    static WasmModule parse(String name, byte[] bytes) {
        try {
            return Parser.parse(bytes);
        } catch (RuntimeException | StackOverflowError | AssertionError e) { // Chicory asserts on some malformed input
            throw new ComponentException(name, "load", ComponentException.Kind.MALFORMED,
                    "not a valid WebAssembly module (" + bytes.length + " bytes): " + describe(e), e);
        }
    }

    /** The shape of a parsed module and its bytes. */
    static ModuleShape of(byte[] bytes, WasmModule module) {
        List<Function> imports = new ArrayList<>();
        List<FunctionType> importTypes = new ArrayList<>();
        for (int i = 0; i < module.importSection().importCount(); i++) {
            Import imp = module.importSection().getImport(i);
            if (imp instanceof FunctionImport f) {
                FunctionType t = module.typeSection().getType(f.typeIndex());
                importTypes.add(t);
                imports.add(new Function(imp.module(), imp.name(), "func", signature(t)));
            } else {
                imports.add(new Function(imp.module(), imp.name(), kind(imp.importType()), ""));
            }
        }
        List<Function> exports = new ArrayList<>();
        for (int i = 0; i < module.exportSection().exportCount(); i++) {
            Export e = module.exportSection().getExport(i);
            String sig = "";
            if (e.exportType() == ExternalType.FUNCTION) {
                int idx = e.index();
                sig = signature(idx < importTypes.size() ? importTypes.get(idx)
                        : module.functionSection().getFunctionType(idx - importTypes.size(), module.typeSection()));
            }
            exports.add(new Function("", e.name(), kind(e.exportType()), sig));
        }
        int initial = -1, max = -1;
        if (module.memorySection().isPresent() && module.memorySection().get().memoryCount() > 0) {
            MemoryLimits ml = module.memorySection().get().getMemory(0).limits();
            initial = ml.initialPages();
            max = ml.maximumPages() == MemoryLimits.MAX_PAGES ? -1 : ml.maximumPages();
        }
        List<Section> sections = new ArrayList<>();
        String declared = scanCustomSections(bytes, sections);
        return new ModuleShape(sha256(bytes), bytes.length, imports, exports, sections, declared, initial, max);
    }

    /**
     * Reads the custom sections straight off the binary (id 0: name, payload) into out, so that every section, the
     * name section included, gets its real size; returns the first {@code spindle:world} section's text, or null.
     * Stops quietly at the first malformed section header (a parsed module has none).
     */
    public static String scanCustomSections(byte[] b, List<Section> out) {
        String world = null;
        if (b.length < 8 || b[0] != 0 || b[1] != 'a' || b[2] != 's' || b[3] != 'm') return null;
        int[] pos = {8};
        while (pos[0] < b.length) {
            int id = b[pos[0]++] & 0xff;
            long len = leb(b, pos);
            if (len < 0 || pos[0] + len > b.length) break;
            int end = (int) (pos[0] + len);
            if (id == 0) {
                long nameLen = leb(b, pos);
                if (nameLen < 0 || pos[0] + nameLen > end) break;
                String name = new String(b, pos[0], (int) nameLen, StandardCharsets.UTF_8);
                int from = pos[0] + (int) nameLen;
                out.add(new Section(name, end - from));
                if (world == null && name.equals(World.WORLD_SECTION)) world = new String(b, from, end - from, StandardCharsets.UTF_8);
            }
            pos[0] = end;
        }
        return world;
    }

    /** An unsigned LEB128 u32 at pos[0], advancing it; -1 when malformed or truncated. */
    private static long leb(byte[] b, int[] pos) {
        long v = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (pos[0] >= b.length) return -1;
            int c = b[pos[0]++] & 0xff;
            v |= (long) (c & 0x7f) << shift;
            if ((c & 0x80) == 0) return v > 0xffffffffL ? -1 : v;
        }
        return -1;
    }

    /** A core function type as text, e.g. {@code (i32, i32) -> (i32)}. */
    public static String signature(FunctionType t) {
        return "(" + t.params().stream().map(v -> v.toString().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "))
                + ") -> (" + t.returns().stream().map(v -> v.toString().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")) + ")";
    }

    private static String kind(ExternalType t) {
        return switch (t) {
            case FUNCTION -> "func";
            case MEMORY -> "memory";
            case TABLE -> "table";
            case GLOBAL -> "global";
            default -> t.name().toLowerCase(Locale.ROOT);
        };
    }

    static String describe(Throwable e) {
        if (e instanceof StackOverflowError) return "nesting too deep to parse";
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** Lowercase hex SHA-256 of bytes. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
