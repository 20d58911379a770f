package io.spindle.cli;

import io.spindle.wasm.ComponentRuntime;
import io.spindle.wasm.claims.ComponentClaims;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code spindle component verify FILE}: prints a module's claims; exit 1 unless they are valid. */
@Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Verify a component's signature and print its claims.",
                "Exit 1, naming the reason, when the module is unsigned, the token is malformed, the signature does not "
                        + "verify (bad signature), the module's hash differs from the signed one (tampered), the token "
                        + "expired, or --trusted-issuer is given and the issuer is none of them (untrusted)."},
        footer = {"", "Example: spindle component verify lttb.wasm --trusted-issuer ADZ4...  (exit 0 only when valid)"})
final class ComponentVerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The .wasm module.")
    Path file;

    @Option(names = "--trusted-issuer", paramLabel = "KEY", description = "An account public key (A...) to trust (repeatable; default: any issuer).")
    List<String> trusted;

    @Option(names = "--json", description = "Print {\"file\", \"valid\", \"status\", \"error\", \"issuer\", \"subject\", \"name\", "
            + "\"version\", \"issued_at\", \"expires_at\"} (also when invalid; the exit code says which).")
    boolean json;

    @Override
    public Integer call() {
        Set<String> keys = new LinkedHashSet<>();
        if (trusted != null) for (String k : trusted) {
            String bad = ComponentClaims.checkIssuerKey(k);
            if (bad != null) throw new ParameterException(spec.commandLine(), "--trusted-issuer " + bad);
            keys.add(k);
        }
        byte[] module = ComponentCommand.readModule(file, new ComponentRuntime().defaults());
        ClaimsInfo info = ClaimsInfo.of(module, keys, Instant.now());
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            StringBuilder sb = new StringBuilder("{");
            Json.string(Json.key(sb, "file"), file.toString()).append(',');
            Json.key(sb, "valid").append(info.valid()).append(',');
            o.println(sb.append(info.toJson(), 1, info.toJson().length()));
        } else {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format("%-9s  %s%n", "file", file));
            info.appendRows(sb, 9);
            o.print(sb);
        }
        o.flush();
        if (!info.valid()) throw new CliFailure(file.toString(), info.error());
        return 0;
    }
}
