package io.spindle.cli;

import io.spindle.wasm.Component;
import io.spindle.wasm.ComponentException;
import io.spindle.wasm.ComponentRuntime;
import io.spindle.wasm.InstanceLimits;
import io.spindle.wasm.claims.ComponentClaims;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code spindle component ...}: WebAssembly components (spindle:telemetry worlds): inspect them, run them. */
@Command(name = "component", subcommands = {ComponentCommand.Inspect.class, ComponentRunCommand.class, ComponentSignCommand.class, ComponentVerifyCommand.class},
        mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Inspect and run WebAssembly components (core modules of a spindle:telemetry world, see "
                + "wit/telemetry.wit and wit/ABI.md)."})
public final class ComponentCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing subcommand (one of: "
                + String.join(", ", spec.subcommands().keySet()) + ")");
    }

    /** The component name of a module file: its file name without {@code .wasm}. */
    static String nameOf(Path file) {
        Path f = file.getFileName();
        return f == null ? file.toString() : f.toString().replaceFirst("\\.wasm$", "");
    }

    /** The bytes of a module file, refusing directories, missing files and files over the runtime's size limit. */
    static byte[] readModule(Path file, InstanceLimits limits) {
        if (Files.isDirectory(file)) throw new CliFailure(file.toString(), "is a directory, not a WebAssembly module");
        try {
            long size = Files.size(file);
            if (size > limits.maxModuleBytes())
                throw new CliFailure(file.toString(), new ComponentException(nameOf(file), "load",
                        ComponentException.Kind.MODULE_TOO_LARGE, "module is " + size + " bytes, over the limit of "
                        + limits.maxModuleBytes() + " bytes").getMessage());
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CliFailure(file.toString(), "no such file");
        } catch (IOException e) {
            throw new CliFailure(file.toString(), "cannot read: " + FailureHandler.ioReason(e), e);
        }
    }

    /** Loads a module file; a refused module fails as {@code <file>: component '<name>' load: <reason>}. */
    static Component load(ComponentRuntime runtime, Path file) {
        byte[] bytes = readModule(file, runtime.defaults());
        try {
            return runtime.load(nameOf(file), bytes);
        } catch (ComponentException e) {
            throw new CliFailure(file.toString(), e.getMessage(), e);
        }
    }

    /** {@code spindle component inspect FILE}: what a module is, declares, imports and exports. */
    @Command(name = "inspect", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Show a component's size, SHA-256, world, imports, exports, custom sections, memory and claims "
                    + "(its signature, verified against any issuer: see `component verify`).",
                    "The module is parsed, validated and checked against its world; nothing runs. A module that is "
                            + "refused (malformed, too large, not matching its world) is shown as far as it can be "
                            + "read, and the reason goes to stderr with exit code 1."},
            footer = {"", "Example: spindle component inspect components/lttb/lttb.wasm --json"})
    static final class Inspect implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "The .wasm module.")
        Path file;

        @Option(names = "--json", description = "Print one JSON object: {\"file\", \"size\", \"sha256\", \"world\", "
                + "\"declared_world\", \"imports\": [{\"module\", \"name\", \"kind\", \"signature\"}], \"exports\": "
                + "[{\"name\", \"kind\", \"signature\"}], \"custom_sections\": [{\"name\", \"size\"}], \"memory\": "
                + "{\"initial_pages\", \"max_pages\"}, \"claims\": {\"status\", \"error\", \"issuer\", \"subject\", \"name\", \"version\", "
                + "\"issued_at\", \"expires_at\"}} (null where absent; claims null when unsigned).")
        boolean json;

        @Override
        public Integer call() {
            ComponentRuntime runtime = new ComponentRuntime();
            byte[] bytes = readModule(file, runtime.defaults());
            String name = nameOf(file);
            ModuleInfo info;
            ComponentException refused = null;
            try {
                info = ModuleInfo.of(file.toString(), runtime.load(name, bytes));
            } catch (ComponentException e) {
                refused = e;
                info = ModuleInfo.partial(file.toString(), name, bytes, e.getMessage());
            }
            // claims only when the module has the section: bytes that are no module are not "malformed claims"
            boolean signed = info.customSections().stream().anyMatch(x -> x.name().equals(ComponentClaims.SECTION));
            ClaimsInfo claims = signed ? ClaimsInfo.of(bytes, java.util.List.of(), java.time.Instant.now()) : null;
            PrintWriter out = spec.commandLine().getOut();
            if (json) out.println(info.toJson(claims == null ? "null" : claims.toJson()));
            else {
                StringBuilder sb = new StringBuilder(info.toTable()).append(System.lineSeparator());
                if (claims == null) sb.append(String.format("%-15s  none (no %s section)%n", "signature", ComponentClaims.SECTION));
                else claims.appendRows(sb, 15);
                out.print(sb);
            }
            out.flush();
            if (refused != null) throw new CliFailure(file.toString(), refused.getMessage(), refused);
            return 0;
        }
    }
}
