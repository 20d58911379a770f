package io.spindle.cli;

import io.spindle.wasm.claims.NKeys;
import io.spindle.wasm.claims.SeedFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code spindle keys ...}: Ed25519 key pairs in NATS nkey form for signing components and identifying hosts. */
@Command(name = "keys", subcommands = KeysCommand.Gen.class, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Ed25519 key pairs in NATS nkey form: accounts sign components, hosts and components are identified by theirs.")
public final class KeysCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing subcommand (one of: " + String.join(", ", spec.subcommands().keySet()) + ")");
    }

    /** The key types by their option value. */
    enum KeyType {
        account(NKeys.Type.ACCOUNT), component(NKeys.Type.COMPONENT), host(NKeys.Type.HOST);

        final NKeys.Type type;

        KeyType(NKeys.Type t) {
            this.type = t;
        }
    }

    /** {@code spindle keys gen}: a new key pair; the seed goes to a 0600 file, or to stdout with a warning. */
    @Command(name = "gen", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Generate a key pair and print its public key.",
                    "Types: account (A..., signs components: `component sign --issuer`), host (N..., a host's id), "
                            + "component (M..., wasmCloud's module prefix; jnats has no module type).",
                    "With --out the seed is written to FILE with mode 0600 (atomically; an existing file is kept unless "
                            + "--force); without it the seed is printed on stdout after the public key, with a warning on stderr."},
            footer = {"", "Example: spindle keys gen --type account --out ~/.spindle/issuer.nk"})
    static final class Gen implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--type", required = true, paramLabel = "TYPE", description = "account, component or host.")
        KeyType type;

        @Option(names = "--out", paramLabel = "FILE", description = "Write the seed here (0600).")
        Path out;

        @Option(names = "--force", description = "Replace an existing --out file.")
        boolean force;

        @Option(names = "--json", description = "Print {\"type\", \"public_key\", \"seed_file\"} (with \"seed\" instead of "
                + "\"seed_file\" without --out).")
        boolean json;

        @Override
        public Integer call() {
            NKeys.KeyPair k = NKeys.generate(type.type, new SecureRandom());
            if (out != null) {
                try {
                    SeedFiles.write(out, k.seed(), force);
                } catch (FileAlreadyExistsException e) {
                    throw new CliFailure(out.toString(), "already exists (a key file is never replaced silently; --force replaces it)");
                } catch (IOException e) {
                    throw new CliFailure(out.toString(), "cannot write the seed: " + FailureHandler.ioReason(e), e);
                }
            } else {
                PrintWriter err = spec.commandLine().getErr();
                err.println("spindle: warning: the seed (the private key) is printed on stdout; keep it secret, or use --out FILE (written 0600)");
                err.flush();
            }
            PrintWriter o = spec.commandLine().getOut();
            if (json) {
                StringBuilder sb = new StringBuilder("{");
                Json.string(Json.key(sb, "type"), type.name()).append(',');
                Json.string(Json.key(sb, "public_key"), k.publicKey()).append(',');
                if (out != null) Json.string(Json.key(sb, "seed_file"), out.toString());
                else Json.string(Json.key(sb, "seed"), k.seed());
                o.println(sb.append('}'));
            } else {
                o.println(k.publicKey());
                if (out == null) o.println(k.seed());
            }
            o.flush();
            return 0;
        }
    }

}
