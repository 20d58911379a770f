package io.spindle.cli;

import io.spindle.wasm.ComponentRuntime;
import io.spindle.wasm.ModuleShape;
import io.spindle.wasm.claims.ComponentClaims;
import io.spindle.wasm.claims.NKeys;
import io.spindle.wasm.claims.SeedFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code spindle component sign FILE --issuer KEY}: embeds a signed claims token in the module's spindle:claims section. */
@Command(name = "sign", // no standard --version here: --version is the component's

        description = {"Sign a component: embed a claims token (issuer, subject = SHA-256 of the module without its "
                + "spindle:claims section, name, version, issued and expiry times), signed with the issuer's Ed25519 "
                + "account key, in a spindle:claims custom section. An existing signature is replaced.",
                "The module is written back in place (atomically) unless --out is given. See wasm/README.md for the format."},
        footer = {"", "Example: spindle component sign components/lttb/lttb.wasm --issuer issuer.nk --version 1.2.0 --expires 365d"})
final class ComponentSignCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Parameters(index = "0", paramLabel = "FILE", description = "The .wasm module.")
    Path file;

    @Option(names = "--issuer", required = true, paramLabel = "KEY", description = "Seed file of the issuing account key (spindle keys gen --type account --out KEY).")
    Path issuer;

    @Option(names = "--name", paramLabel = "N", description = "The component's name (default: the file name without .wasm).")
    String name;

    @Option(names = "--version", paramLabel = "V", description = "The component's version, e.g. 1.2.0 (default: none).")
    String version;

    @Option(names = "--expires", paramLabel = "DUR", converter = DurationOption.class,
            description = "The signature expires this long after now, e.g. 90d, 12h (default: never).")
    Duration expires;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the signed module here instead of replacing FILE.")
    Path out;

    @Option(names = "--json", description = "Print {\"file\", \"sha256\", \"claims\": {\"status\", \"issuer\", \"subject\", \"name\", "
            + "\"version\", \"issued_at\", \"expires_at\", ...}}.")
    boolean json;

    @Override
    public Integer call() {
        if (expires != null && (expires.isZero() || expires.isNegative()))
            throw new ParameterException(spec.commandLine(), "--expires must be positive, got " + expires);
        byte[] module = ComponentCommand.readModule(file, new ComponentRuntime().defaults());
        NKeys.KeyPair key;
        try {
            key = SeedFiles.read(issuer);
        } catch (IOException e) {
            throw new CliFailure("--issuer", e.getMessage(), e);
        }
        if (key.type() != NKeys.Type.ACCOUNT)
            throw new CliFailure(issuer.toString(), "holds a " + key.type().name().toLowerCase(java.util.Locale.ROOT)
                    + " key; components are signed with an account key (spindle keys gen --type account)");
        Instant now = Instant.now();
        byte[] signed;
        try {
            ModuleShape.read(ComponentCommand.nameOf(file), module); // sign only what parses: a signature vouches for a module
            signed = ComponentClaims.sign(module, key.seed(), name != null ? name : ComponentCommand.nameOf(file), version, expires, now);
        } catch (io.spindle.wasm.ComponentException | IllegalArgumentException e) {
            throw new CliFailure(file.toString(), "cannot sign: " + e.getMessage(), e);
        }
        Path target = out != null ? out : file;
        try {
            Path dir = target.toAbsolutePath().getParent();
            Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            try {
                Files.write(tmp, signed);
                // createTempFile makes it 0600: keep the replaced file's mode, else the usual rw-r--r--
                Path modeOf = Files.exists(target) ? target : file;
                try {
                    Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(modeOf));
                } catch (UnsupportedOperationException notPosix) {
                    // the temporary file's default mode stays
                }
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new CliFailure(target.toString(), "cannot write the signed module: " + FailureHandler.ioReason(e), e);
        }
        ClaimsInfo info = ClaimsInfo.of(signed, List.of(), now);
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            StringBuilder sb = new StringBuilder("{");
            Json.string(Json.key(sb, "file"), target.toString()).append(',');
            Json.string(Json.key(sb, "sha256"), ModuleShape.sha256(signed)).append(',');
            o.println(Json.key(sb, "claims").append(info.toJson()).append('}'));
        } else {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format("%-9s  %s%n", "signed", target));
            info.appendRows(sb, 9);
            o.print(sb);
        }
        o.flush();
        return 0;
    }
}
