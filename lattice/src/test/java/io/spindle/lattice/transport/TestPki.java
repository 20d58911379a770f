package io.spindle.lattice.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away PKI generated at test time with {@code openssl} (EC P-256, valid one day): a CA, a server certificate
 * for 127.0.0.1/localhost and a client certificate signed by it, and a second CA that signs nothing the servers
 * use (the "untrusted" one). All PEM; keys are PKCS#8. In the lattice test-jar for other modules.
 */
public record TestPki(Path ca, Path caKey, Path serverCert, Path serverKey, Path clientCert, Path clientKey, Path otherCa) {

    /** True when openssl is on the machine. */
    public static boolean available() {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator))
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, "openssl"))) return true;
        return false;
    }

    /** Generates everything under dir. */
    public static TestPki create(Path dir) throws IOException {
        Files.createDirectories(dir);
        TestPki p = new TestPki(dir.resolve("ca.pem"), dir.resolve("ca.key"), dir.resolve("server.pem"), dir.resolve("server.key"),
                dir.resolve("client.pem"), dir.resolve("client.key"), dir.resolve("other-ca.pem"));
        selfSigned(dir, p.ca, p.caKey, "spindle-test-ca");
        selfSigned(dir, dir.resolve("other-ca.pem"), dir.resolve("other-ca.key"), "spindle-untrusted-ca");
        Path serverExt = dir.resolve("server.ext");
        Files.writeString(serverExt, "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
        Path clientExt = dir.resolve("client.ext");
        Files.writeString(clientExt, "extendedKeyUsage=clientAuth\n");
        signed(dir, p, p.serverCert, p.serverKey, "localhost", serverExt);
        signed(dir, p, p.clientCert, p.clientKey, "spindle-test-client", clientExt);
        return p;
    }

    private static void selfSigned(Path dir, Path cert, Path key, String cn) throws IOException {
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key.toString(),
                "-out", cert.toString(), "-days", "1", "-subj", "/CN=" + cn);
    }

    private static void signed(Path dir, TestPki p, Path cert, Path key, String cn, Path ext) throws IOException {
        Path csr = dir.resolve(cn + ".csr");
        openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key.toString(),
                "-out", csr.toString(), "-subj", "/CN=" + cn);
        openssl(dir, "x509", "-req", "-in", csr.toString(), "-CA", p.ca.toString(), "-CAkey", p.caKey.toString(), "-CAcreateserial",
                "-out", cert.toString(), "-days", "1", "-extfile", ext.toString());
    }

    private static void openssl(Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("openssl " + String.join(" ", args) + " failed: " + out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running openssl", e);
        }
    }
}
