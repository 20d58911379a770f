package io.spindle.sources.opcua;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.CompositeValidator;
import org.eclipse.milo.opcua.sdk.server.identity.UsernameIdentityValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultApplicationGroup;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.DefaultServerCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateStore;
import org.eclipse.milo.opcua.stack.core.security.MemoryTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.RsaSha256CertificateFactory;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;

import static org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS;
import static org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig.USER_TOKEN_POLICY_USERNAME;

/**
 * An in-process Milo server on 127.0.0.1 (real TCP), endpoint {@code opc.tcp://127.0.0.1:<port>/spindle}, security
 * None, anonymous or user {@value #USER} / {@value #PASSWORD}. A "restart" is closing it and starting another on the
 * same port: new sessions, subscriptions, everything.
 */
final class TestServer implements AutoCloseable {
    static final String USER = "spindle";
    static final String PASSWORD = "s3cret";
    static final String APPLICATION_URI = "urn:spindle:test:server";
    private static KeyPair keyPair;
    private static X509Certificate certificate;

    final int port;
    final OpcUaServer server;
    final TestNamespace namespace;
    private final MemoryTrustListManager trust;

    private TestServer(int port, OpcUaServer server, TestNamespace namespace, MemoryTrustListManager trust) {
        this.port = port;
        this.server = server;
        this.namespace = namespace;
        this.trust = trust;
    }

    /** Starts a server on the port and waits until it listens. */
    static TestServer start(int port) throws Exception {
        var trust = new MemoryTrustListManager();
        var quarantine = new MemoryCertificateQuarantine();
        var factory = new RsaSha256CertificateFactory() {
            @Override
            protected KeyPair createRsaSha256KeyPair() {
                return keyPair;
            }

            @Override
            protected X509Certificate[] createRsaSha256CertificateChain(KeyPair kp) {
                return new X509Certificate[] {certificate};
            }
        };
        ensureCertificate();
        var group = DefaultApplicationGroup.createAndInitialize(trust, new MemoryCertificateStore(), factory,
                new DefaultServerCertificateValidator(trust, quarantine));
        EndpointConfig.Builder base = EndpointConfig.newBuilder()
                .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
                .setBindAddress("127.0.0.1")
                .setBindPort(port)
                .setHostname("127.0.0.1")
                .setPath("/spindle")
                .setCertificate(certificate)
                .addTokenPolicies(USER_TOKEN_POLICY_ANONYMOUS, USER_TOKEN_POLICY_USERNAME);
        EndpointConfig plain = base.copy().setSecurityPolicy(SecurityPolicy.None).setSecurityMode(MessageSecurityMode.None).build();
        EndpointConfig secure = base.copy().setSecurityPolicy(SecurityPolicy.Basic256Sha256)
                .setSecurityMode(MessageSecurityMode.SignAndEncrypt).build();
        OpcUaServerConfig config = OpcUaServerConfig.builder()
                .setApplicationUri(APPLICATION_URI)
                .setApplicationName(LocalizedText.english("Spindle test server"))
                .setProductUri("urn:spindle:test")
                .setEndpoints(Set.of(plain, secure))
                .setCertificateManager(new DefaultCertificateManager(quarantine, group))
                .setIdentityValidator(new CompositeValidator(AnonymousIdentityValidator.INSTANCE,
                        new UsernameIdentityValidator(c -> USER.equals(c.getUsername()) && PASSWORD.equals(c.getPassword()))))
                .build();
        OpcUaServer server = new OpcUaServer(config, profile -> new OpcTcpServerTransport(OpcTcpServerTransportConfig.newBuilder().build()));
        TestNamespace namespace = new TestNamespace(server);
        namespace.startup();
        server.startup().get(20, TimeUnit.SECONDS);
        return new TestServer(port, server, namespace, trust);
    }

    /** The endpoint URL clients use. */
    String endpoint() {
        return "opc.tcp://127.0.0.1:" + port + "/spindle";
    }

    /** Makes the server accept a client's application instance certificate on its secure endpoint. */
    void trust(X509Certificate clientCertificate) {
        trust.addTrustedCertificate(clientCertificate);
    }

    /** The server's certificate, for clients to trust. */
    static X509Certificate certificate() {
        return certificate;
    }

    /** A port nothing listens on right now. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        namespace.shutdown();
        server.shutdown().get(20, TimeUnit.SECONDS);
    }

    // one key and certificate for every server of the run: RSA key generation is the slow part of a start
    private static synchronized void ensureCertificate() throws Exception {
        if (certificate != null) return;
        keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
        certificate = new SelfSignedCertificateBuilder(keyPair)
                .setCommonName("Spindle test server")
                .setApplicationUri(APPLICATION_URI)
                .addIpAddress("127.0.0.1")
                .addDnsName("localhost")
                .build();
    }
}
