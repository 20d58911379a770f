package io.spindle.sources.opcua;

import io.netty.channel.ChannelOption;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClientConfigBuilder;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.sdk.client.typetree.DataTypeTreeFactory;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.UserTokenType;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;
import org.eclipse.milo.opcua.stack.transport.client.tcp.OpcTcpClientTransportConfigBuilder;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

/** Makes the Milo client for a config: endpoint discovery and choice, identity, and a transport on the source's threads. */
final class ClientFactory {
    static final String APPLICATION_URI = "urn:spindle:sources:opcua";
    // long enough for a slow server, short enough that a hung call does not stall reconnects for a minute
    private static final int REQUEST_TIMEOUT_MS = 10_000;

    private ClientFactory() {
    }

    /** Asks the server for its endpoints (GetEndpoints) and makes a client for the one that fits; does not connect. */
    static OpcUaClient create(OpcUaSourceConfig config, ClientSecurity security, ExecutorService executor,
            ScheduledExecutorService scheduler, AtomicLong bytes) throws UaException {
        AtomicReference<String> refusal = new AtomicReference<>();
        try {
            OpcUaClient client = OpcUaClient.create(
                    config.endpoint(),
                    endpoints -> choose(config, endpoints, refusal),
                    transport -> configureTransport(transport, executor, scheduler, bytes),
                    builder -> configureClient(builder, config, security));
            // resolves only the data types asked about (enumeration checks), not the server's whole type tree
            client.setDataTypeTreeFactory(DataTypeTreeFactory.lazy());
            return client;
        } catch (UaException e) {
            if (refusal.get() != null) throw new UaException(StatusCodes.Bad_ConfigurationError, refusal.get());
            throw e;
        }
    }

    private static void configureClient(OpcUaClientConfigBuilder builder, OpcUaSourceConfig config, ClientSecurity security) {
        builder.setApplicationName(LocalizedText.english("Spindle OPC UA source"))
                .setApplicationUri(APPLICATION_URI)
                .setProductUri("urn:spindle")
                .setSessionName(() -> "spindle:" + config.device())
                .setRequestTimeout(uint(REQUEST_TIMEOUT_MS))
                // one Publish in flight: Milo 1.1.x handles concurrent Publish responses on different threads, and when
                // they swap it republishes the "missing" one and then delivers it again (duplicate, out of order)
                .setMaxPendingPublishRequests(uint(1))
                .setIdentityProvider(config.username() == null
                        ? new AnonymousProvider()
                        : new UsernameProvider(config.username(), config.password()));
        if (security != null) {
            builder.setKeyPair(security.keyPair)
                    .setCertificate(security.certificate)
                    .setCertificateChain(new X509Certificate[] {security.certificate})
                    .setCertificateValidator(security.validator);
        }
    }

    private static void configureTransport(OpcTcpClientTransportConfigBuilder transport, ExecutorService executor,
            ScheduledExecutorService scheduler, AtomicLong bytes) {
        ByteCounter counter = new ByteCounter(bytes);
        transport.setExecutor(executor)
                .setScheduledExecutor(scheduler)
                .setBootstrapCustomizer(bootstrap -> bootstrap.option(ChannelOption.RCVBUF_ALLOCATOR, counter));
    }

    /**
     * Picks an endpoint with the configured security policy and mode that accepts the configured identity, and points
     * it at the configured host and port: servers often advertise a host name that only resolves on their own network.
     */
    private static Optional<EndpointDescription> choose(OpcUaSourceConfig config, List<EndpointDescription> endpoints,
            AtomicReference<String> refusal) {
        UserTokenType wanted = config.username() == null ? UserTokenType.Anonymous : UserTokenType.UserName;
        String policyUri = SecurityPolicy.valueOf(config.securityPolicy()).getUri();
        MessageSecurityMode mode = MessageSecurityMode.valueOf(config.securityMode());
        Optional<EndpointDescription> chosen = endpoints.stream()
                .filter(e -> policyUri.equals(e.getSecurityPolicyUri()))
                .filter(e -> e.getSecurityMode() == mode)
                .filter(e -> e.getUserIdentityTokens() != null && Arrays.stream(e.getUserIdentityTokens())
                        .map(UserTokenPolicy::getTokenType).anyMatch(wanted::equals))
                .findFirst()
                .map(e -> EndpointUtil.updateUrl(e, config.host(), config.port()));
        if (chosen.isEmpty()) {
            refusal.set("no endpoint of " + config.endpoint() + " offers " + config.securityPolicy() + "/" + mode
                    + " with a " + wanted
                    + " identity (offered: " + endpoints.stream()
                    .map(e -> e.getSecurityPolicyUri().replaceAll(".*#", "") + "/" + e.getSecurityMode())
                    .distinct().toList() + ")");
        }
        return chosen;
    }
}
