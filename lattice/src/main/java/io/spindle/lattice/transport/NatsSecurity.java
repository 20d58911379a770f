package io.spindle.lattice.transport;

import io.nats.client.Nats;
import io.nats.client.Options;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;

/** Applies {@link NatsConnectOptions} to a jnats builder and turns jnats's connect failures into reasons. */
final class NatsSecurity {
    private NatsSecurity() {
    }

    static Options.Builder apply(Options.Builder b, List<String> servers, NatsConnectOptions o) {
        if (o.requireTls())
            for (String s : servers) {
                String l = s.strip().toLowerCase(Locale.ROOT);
                if (!l.startsWith("tls://") && !l.startsWith("wss://"))
                    throw new IllegalArgumentException("TLS is required but NATS URL '" + s + "' is plaintext; use tls://host:port");
            }
        if (o.user() != null) b.userInfo(o.user().toCharArray(), o.password().toCharArray());
        if (o.nkeySeedFile() != null) b.authHandler(NkeySeedAuth.fromFile(o.nkeySeedFile()));
        if (o.credsFile() != null) {
            if (!Files.isReadable(o.credsFile()))
                throw new IllegalArgumentException("NATS creds file " + o.credsFile() + " does not exist or is not readable");
            b.authHandler(Nats.credentials(o.credsFile().toString()));
        }
        // an SSLContext makes jnats require TLS from every server (it refuses one that does not offer it)
        if (o.usesTls()) b.sslContext(PemSsl.context(o.tlsCaFile(), o.tlsCertFile(), o.tlsKeyFile()));
        return b;
    }

    /** The reason a connection failed, in words an operator can act on. */
    static String explain(Throwable e, List<Throwable> reported, NatsConnectOptions o) {
        for (Throwable t : reported) {
            String r = explain1(t, o);
            if (r != null) return r;
        }
        String direct = explain1(e, o);
        if (direct != null) return direct;
        boolean timedOut = !reported.isEmpty() && reported.stream().allMatch(t -> t instanceof java.util.concurrent.TimeoutException);
        if (timedOut && o.usesTls() && o.tlsCertFile() == null)
            // TLS 1.3: a server that wants a client certificate closes after the handshake; the client only sees silence
            return "no answer within the connect timeout after the TLS handshake; a server that requires a client certificate "
                    + "(mutual TLS) closes such connections: give a client certificate and key (none given)";
        return String.valueOf(e.getMessage());
    }

    private static String explain1(Throwable e, NatsConnectOptions o) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            String lower = m.toLowerCase(Locale.ROOT);
            if (t instanceof io.nats.client.AuthenticationException || lower.contains("authorization violation")
                    || lower.contains("authentication"))
                return "the server refused the credentials (" + o.identity() + "): " + m;
            if (lower.contains("ssl connection wanted by client"))
                return "the server does not offer TLS and TLS is required (refusing to fall back to plaintext)";
            if (lower.contains("ssl required by server"))
                return "the server requires TLS: use a tls:// URL or give a TLS CA file";
            if (t instanceof java.security.cert.CertPathValidatorException || t instanceof java.security.cert.CertPathBuilderException
                    || lower.contains("pkix path") || lower.contains("certification path"))
                return "TLS: the server's certificate is not trusted ("
                        + (o.tlsCaFile() != null ? "not signed by the CA in " + o.tlsCaFile() : "not signed by a CA in the JDK's trust store") + "): " + m;
            if (lower.contains("no subject alternative") || lower.contains("no name matching"))
                return "TLS: the server's certificate does not name the host connected to: " + m;
            if (lower.contains("bad_certificate") || lower.contains("certificate_required") || lower.contains("unknown_ca"))
                return "TLS: the server refused the client certificate"
                        + (o.tlsCertFile() == null ? " (none given: the server requires one)" : " " + o.tlsCertFile()) + ": " + m;
        }
        return null;
    }
}
