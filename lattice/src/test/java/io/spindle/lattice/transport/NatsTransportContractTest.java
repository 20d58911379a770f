package io.spindle.lattice.transport;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/** The contract on a real nats-server with JetStream (one server for the class, a new connection per test). */
class NatsTransportContractTest extends TransportContract {
    private static NatsServerProcess server;
    private static Path dir;

    @BeforeAll
    static void startServer() throws Exception {
        Assumptions.assumeTrue(NatsServerProcess.available(), "nats-server is not installed (Debian package nats-server)");
        dir = Files.createTempDirectory("spindle-nats-contract");
        server = NatsServerProcess.start(dir);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) server.close();
        if (dir != null) TestFiles.deleteTree(dir);
    }

    @Override
    protected Transport open() {
        return NatsTransport.connect(server.url(), "contract-" + id);
    }
}
