package io.spindle.cli;

import io.spindle.lattice.LatticeClient;
import io.spindle.lattice.transport.NatsConnectOptions;
import io.spindle.lattice.transport.NatsTransport;
import io.spindle.lattice.transport.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Where the lattice is and how to reach it: {@code --nats}, {@code --lattice}, {@code --timeout}, and the NATS
 * credentials and TLS options (each also from an environment variable; the password is never echoed).
 */
final class LatticeOptions {
    static final String DEFAULT_NATS = "nats://127.0.0.1:4222";

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--nats", paramLabel = "URL", defaultValue = "${env:SPINDLE_NATS:-" + DEFAULT_NATS + "}",
            description = "NATS server(s), comma-separated (default ${DEFAULT-VALUE}; env SPINDLE_NATS).")
    String nats;

    @Option(names = "--lattice", paramLabel = "NAME", defaultValue = "${env:SPINDLE_LATTICE:-default}",
            description = "Lattice name (default ${DEFAULT-VALUE}; env SPINDLE_LATTICE).")
    String lattice;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "2s", converter = DurationOption.class,
            description = "Bound on each request and on collecting host replies (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--nats-creds", paramLabel = "FILE", defaultValue = "${env:SPINDLE_NATS_CREDS}",
            description = "NATS JWT credentials file (nsc's .creds; env SPINDLE_NATS_CREDS).")
    Path natsCreds;

    @Option(names = "--nats-user", paramLabel = "NAME", defaultValue = "${env:SPINDLE_NATS_USER}",
            description = "NATS user, with --nats-password (env SPINDLE_NATS_USER).")
    String natsUser;

    @Option(names = "--nats-password", paramLabel = "PASSWORD", arity = "0..1", interactive = true,
            defaultValue = "${env:SPINDLE_NATS_PASSWORD}",
            description = "NATS password; without a value it is asked for, unechoed (prefer env SPINDLE_NATS_PASSWORD: "
                    + "a command line is visible to other users).")
    char[] natsPassword;

    @Option(names = "--nats-nkey", paramLabel = "FILE", defaultValue = "${env:SPINDLE_NATS_NKEY}",
            description = "File with an nkey user seed (SU...; env SPINDLE_NATS_NKEY).")
    Path natsNkey;

    @Option(names = "--tls-ca", paramLabel = "FILE", defaultValue = "${env:SPINDLE_TLS_CA}",
            description = "PEM CA certificate(s) that sign the NATS server's certificate; implies TLS (env SPINDLE_TLS_CA).")
    Path tlsCa;

    @Option(names = "--tls-cert", paramLabel = "FILE", defaultValue = "${env:SPINDLE_TLS_CERT}",
            description = "PEM client certificate for mutual TLS, with --tls-key (env SPINDLE_TLS_CERT).")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", defaultValue = "${env:SPINDLE_TLS_KEY}",
            description = "PEM (PKCS#8, unencrypted) key of --tls-cert (env SPINDLE_TLS_KEY).")
    Path tlsKey;

    @Option(names = "--require-tls", defaultValue = "${env:SPINDLE_REQUIRE_TLS:-false}", fallbackValue = "true", arity = "0..1",
            description = "Refuse plaintext: every --nats URL must be tls:// and the server must offer TLS (env SPINDLE_REQUIRE_TLS=true).")
    boolean requireTls;

    /** A connected transport; the caller closes it. */
    Transport connect(String clientName) {
        return NatsTransport.connect(List.of(nats.split("\\s*,\\s*")), clientName, connectOptions());
    }

    /** The credentials and TLS options; a bad combination or a plaintext URL under --require-tls is a usage error. */
    NatsConnectOptions connectOptions() {
        try {
            NatsConnectOptions o = NatsConnectOptions.defaults().withRequireTls(requireTls);
            if (natsUser != null || natsPassword != null)
                o = o.withUserPassword(natsUser, natsPassword == null ? null : new String(natsPassword));
            if (natsNkey != null) o = o.withNkeySeedFile(natsNkey);
            if (natsCreds != null) o = o.withCredsFile(natsCreds);
            if (tlsCa != null) o = o.withTlsCa(tlsCa);
            if (tlsCert != null || tlsKey != null) o = o.withClientCert(tlsCert, tlsKey);
            if (requireTls)
                for (String url : nats.split("\\s*,\\s*"))
                    if (!url.toLowerCase(java.util.Locale.ROOT).startsWith("tls://") && !url.toLowerCase(java.util.Locale.ROOT).startsWith("wss://"))
                        throw new IllegalArgumentException("--require-tls: --nats URL '" + url + "' is plaintext; use tls://host:port");
            return o;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage()
                    .replace("NATS user '", "--nats-user '").replace("has no password", "has no --nats-password"));
        }
    }

    LatticeClient client(Transport t) {
        return new LatticeClient(t, lattice, timeout);
    }
}
