package io.spindle.operator;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real Kubernetes API server for tests: etcd and kube-apiserver v1.20.2 from the cache that
 * {@code scripts/kube-apiserver.sh} builds, on free loopback ports, everything under one directory. Authentication is a
 * static admin token (group {@code system:masters}), authorization RBAC, TLS with the server's self-signed certificate
 * (trusted by {@link #config()} and {@link #kubeconfig()}, no trust-all). There is no controller-manager and no kubelet:
 * objects are stored and served, but nothing garbage-collects, finishes namespace deletion or runs pods.
 * When the binaries are missing the calling test is skipped (it fails under {@code CI=true}).
 *
 * <pre>
 * try (ApiServerFixture api = ApiServerFixture.start(tempDir); KubernetesClient k = api.newClient()) { ... }
 * </pre>
 */
public final class ApiServerFixture implements AutoCloseable {
    /** The Kubernetes version the cache holds. */
    public static final String VERSION = "1.20.2";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final String token;
    private final int etcdPort;
    private final int etcdPeerPort;
    private final int apiPort;
    private final List<Process> processes = new ArrayList<>();
    private final Thread reaper = new Thread(this::stopAll, "api-server-fixture-reaper");
    private String caPem;

    private ApiServerFixture(Path dir) throws IOException {
        this.dir = dir;
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        this.token = HexFormat.of().formatHex(secret);
        this.etcdPort = freePort();
        this.etcdPeerPort = freePort();
        this.apiPort = freePort();
    }

    /** The directory holding etcd, kube-apiserver and kubectl: {@code $SPINDLE_KUBE_CACHE/k8s/1.20.2-linux-amd64}. */
    public static Path binaryDir() {
        String cache = System.getenv("SPINDLE_KUBE_CACHE");
        Path base = cache != null && !cache.isBlank() ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache", "spindle", "kube");
        return base.resolve("k8s").resolve(VERSION + "-linux-amd64");
    }

    /** True when all three binaries are in {@link #binaryDir()}. */
    public static boolean available() {
        Path bin = binaryDir();
        return Files.isExecutable(bin.resolve("etcd")) && Files.isExecutable(bin.resolve("kube-apiserver"))
                && Files.isExecutable(bin.resolve("kubectl"));
    }

    /**
     * Skips the calling test (JUnit abort, reported with the reason) when the binaries are missing; fails instead under
     * CI=true, where scripts/test has built them. Call it from {@code @BeforeEach} so each skipped test says why.
     */
    public static void assumeAvailable() {
        if (available()) return;
        String why = "no kube-apiserver/etcd/kubectl in " + binaryDir() + ": run scripts/kube-apiserver.sh (builds them"
                + " once from Debian's Kubernetes " + VERSION + " source, 5 to 10 minutes)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail("CI=true: " + why);
        System.err.println("ApiServerFixture: skipped: " + why);
        Assumptions.abort(why);
    }

    /**
     * Starts etcd and kube-apiserver under dir and waits until {@code /readyz} answers ok (about 5 s); calls
     * {@link #assumeAvailable()} first.
     */
    public static ApiServerFixture start(Path dir) throws IOException {
        assumeAvailable();
        ApiServerFixture f = new ApiServerFixture(dir);
        try {
            f.launch();
            return f;
        } catch (IOException | RuntimeException e) {
            f.close();
            throw e;
        }
    }

    private void launch() throws IOException {
        Files.createDirectories(dir);
        Path bin = binaryDir();
        Path certs = Files.createDirectories(dir.resolve("certs"));
        writeServiceAccountKeys();
        // token,user,uid,groups: system:masters is bound to cluster-admin by RBAC's bootstrap policy.
        Files.writeString(dir.resolve("tokens.csv"), token + ",admin,admin,system:masters\n");
        Runtime.getRuntime().addShutdownHook(reaper);

        String etcdUrl = "http://127.0.0.1:" + etcdPort;
        String peerUrl = "http://127.0.0.1:" + etcdPeerPort;
        spawn("etcd", List.of(bin.resolve("etcd").toString(), "--data-dir", dir.resolve("etcd").toString(),
                "--name", "spindle-test", "--listen-client-urls", etcdUrl, "--advertise-client-urls", etcdUrl,
                "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
                "--initial-cluster", "spindle-test=" + peerUrl, "--unsafe-no-fsync", "--log-level", "warn"));
        awaitEtcd(etcdUrl);
        spawn("kube-apiserver", List.of(bin.resolve("kube-apiserver").toString(),
                "--etcd-servers=" + etcdUrl, "--bind-address=127.0.0.1", "--advertise-address=127.0.0.1",
                "--secure-port=" + apiPort, "--insecure-port=0", "--cert-dir=" + certs,
                "--token-auth-file=" + dir.resolve("tokens.csv"), "--authorization-mode=RBAC",
                "--service-account-issuer=https://kubernetes.default.svc",
                "--service-account-key-file=" + dir.resolve("sa.pub"),
                "--service-account-signing-key-file=" + dir.resolve("sa.key"),
                "--service-cluster-ip-range=10.0.0.0/24", "--profiling=false", "--v=0"));
        awaitReady(certs.resolve("apiserver.crt"));
        writeKubeconfig();
    }

    private void writeServiceAccountKeys() throws IOException {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048);
            KeyPair kp = gen.generateKeyPair();
            Files.writeString(dir.resolve("sa.key"), pem("PRIVATE KEY", kp.getPrivate().getEncoded())); // PKCS#8
            Files.writeString(dir.resolve("sa.pub"), pem("PUBLIC KEY", kp.getPublic().getEncoded())); // X.509 SPKI
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot make the service-account key pair", e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private void spawn(String name, List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile())).start();
        processes.add(p);
    }

    private void awaitEtcd(String etcdUrl) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        poll("etcd", () -> {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(etcdUrl + "/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().contains("\"true\"");
        });
    }

    private void awaitReady(Path certFile) throws IOException {
        // The server writes its self-signed certificate (serving cert + its CA) before it listens.
        poll("kube-apiserver certificate", () -> Files.size(certFile) > 0 && Files.readString(certFile).contains("END CERTIFICATE"));
        caPem = Files.readString(certFile);
        HttpClient http = HttpClient.newBuilder().sslContext(trusting(caPem)).connectTimeout(Duration.ofSeconds(1)).build();
        poll("kube-apiserver /readyz", () -> {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/readyz"))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().trim().equals("ok");
        });
    }

    private static SSLContext trusting(String pem) throws IOException {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            try (InputStream in = new java.io.ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))) {
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) ks.setCertificateEntry("c" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot trust the kube-apiserver certificate", e);
        }
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private void poll(String what, Check check) throws IOException {
        long end = System.nanoTime() + READY_TIMEOUT.toNanos();
        Exception last = null;
        while (System.nanoTime() < end) {
            for (Process p : processes)
                if (!p.isAlive()) throw new IOException(what + ": a server exited with " + p.exitValue() + "\n" + logs());
            try {
                if (check.ok()) return;
            } catch (Exception e) {
                last = e;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for " + what, e);
            }
        }
        throw new IOException(what + " not ready within " + READY_TIMEOUT.toSeconds() + " s (last: " + last + ")\n" + logs());
    }

    private void writeKubeconfig() throws IOException {
        String ca = Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII));
        Files.writeString(kubeconfig(), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: spindle-test
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                users:
                - name: admin
                  user:
                    token: %s
                contexts:
                - name: spindle-test
                  context:
                    cluster: spindle-test
                    user: admin
                    namespace: default
                current-context: spindle-test
                """.formatted(url(), ca, token));
    }

    /** {@code https://127.0.0.1:<port>}. */
    public String url() {
        return "https://127.0.0.1:" + apiPort;
    }

    /** The admin bearer token (group system:masters). */
    public String token() {
        return token;
    }

    /** A kubeconfig for the admin user (for {@code spindle operator run --kubeconfig} and kubectl). */
    public Path kubeconfig() {
        return dir.resolve("kubeconfig");
    }

    /** The kubectl 1.20.2 binary from the cache (use with {@code --kubeconfig}). */
    public Path kubectl() {
        return binaryDir().resolve("kubectl");
    }

    /** A fresh fabric8 configuration for the admin user (no auto-configuration from ~/.kube or the environment). */
    public Config config() {
        return new ConfigBuilder(Config.empty()).withMasterUrl(url()).withOauthToken(token)
                .withCaCertData(Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII)))
                .withNamespace("default").withRequestTimeout(10_000).build();
    }

    /** A new client on {@link #config()}; the caller closes it. */
    public KubernetesClient newClient() {
        return new KubernetesClientBuilder().withConfig(config()).build();
    }

    /** The last lines of both servers' logs (for failure messages). */
    public String logs() {
        return tail("etcd.log") + "\n" + tail("kube-apiserver.log");
    }

    private String tail(String name) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve(name));
            return "--- " + name + "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "--- " + name + ": (no log)";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    /** Stops kube-apiserver, then etcd (SIGTERM, SIGKILL after 5 s). */
    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // JVM already shutting down, or the hook was never added
        }
    }

    private synchronized void stopAll() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process p = processes.get(i);
            p.destroy();
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
    }
}
