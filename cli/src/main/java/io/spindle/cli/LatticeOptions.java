package io.spindle.cli;

import io.spindle.lattice.LatticeClient;
import io.spindle.lattice.transport.NatsTransport;
import io.spindle.lattice.transport.Transport;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Where the lattice is: {@code --nats}, {@code --lattice}, {@code --timeout} (also from SPINDLE_NATS, SPINDLE_LATTICE). */
final class LatticeOptions {
    static final String DEFAULT_NATS = "nats://127.0.0.1:4222";

    @Option(names = "--nats", paramLabel = "URL", defaultValue = "${env:SPINDLE_NATS:-" + DEFAULT_NATS + "}",
            description = "NATS server(s), comma-separated (default ${DEFAULT-VALUE}; env SPINDLE_NATS).")
    String nats;

    @Option(names = "--lattice", paramLabel = "NAME", defaultValue = "${env:SPINDLE_LATTICE:-default}",
            description = "Lattice name (default ${DEFAULT-VALUE}; env SPINDLE_LATTICE).")
    String lattice;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "2s", converter = DurationOption.class,
            description = "Bound on each request and on collecting host replies (default ${DEFAULT-VALUE}).")
    Duration timeout;

    /** A connected transport; the caller closes it. */
    Transport connect(String clientName) {
        return NatsTransport.connect(nats, clientName);
    }

    LatticeClient client(Transport t) {
        return new LatticeClient(t, lattice, timeout);
    }
}
