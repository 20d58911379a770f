package io.spindle.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spindle.store.SeriesStore;
import io.spindle.store.StoreConfig;
import io.spindle.store.Stores;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bearer tokens (401/403, and nothing changes), the admin retention endpoint, HTTPS with a generated keystore, CORS. */
class HttpAuthTest {
    static final String WRITE = "write-token-0123456789abcdef", READ = "read-token-0123456789abcdef";
    @TempDir
    static Path dir;
    static SeriesStore store;
    static Metrics metrics = new Metrics();
    static HttpServer server;
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        String url = "sqlite:" + dir.resolve("spindle.db");
        try (SeriesStore s = Stores.open(url, StoreConfig.defaults())) {
            TestData.temp(s);
        }
        // a 10 s raw ring that commits never trim (no commits here): only the admin endpoint applies it
        store = Stores.open(url, StoreConfig.defaults().withRawMaxAgeNanos(10 * TestData.S).withRetentionIntervalNanos(3600 * TestData.S));
        server = HttpServer.start(HttpOptions.loopback(0).withWriteToken(WRITE).withReadToken(READ), store, TestData.TIERS, metrics);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (store != null) store.close();
    }

    static HttpResponse<String> send(HttpClient c, String method, URI uri, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) b.headers(headers);
        return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> send(String method, String path, String... headers) throws Exception {
        return send(CLIENT, method, URI.create(server.url() + path.substring(1)), headers);
    }

    static long rawCount() {
        return store.series().stream().filter(i -> i.series().equals(TestData.TEMP)).findFirst().orElseThrow().rawCount();
    }

    @Test
    void readsNeedTheReadToken() throws Exception {
        HttpResponse<String> none = send("GET", "/api/v1/series");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(none.body()).contains("missing").doesNotContain(TestData.TEMP);
        for (String bad : List.of("Basic " + READ, "Bearer", "Bearer  ", "Bearer a b", READ))
            assertThat(send("GET", "/api/v1/series", "Authorization", bad).statusCode()).as(bad).isEqualTo(401);
        HttpResponse<String> wrong = send("GET", "/api/v1/series", "Authorization", "Bearer " + READ + "x");
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(wrong.body()).contains("not a read token").doesNotContain(TestData.TEMP);
        assertThat(send("POST", "/query", "Authorization", "Bearer nope-nope-nope").statusCode()).isEqualTo(403);
        assertThat(send("GET", "/metrics").statusCode()).isEqualTo(401);
        assertThat(send("GET", "/api/v1/series", "Authorization", "Bearer " + READ).body()).contains(TestData.TEMP);
        assertThat(send("GET", "/api/v1/series", "Authorization", "bearer " + WRITE).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/healthz").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/readyz").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/metrics", "Authorization", "Bearer " + READ).body())
                .contains("spindle_http_auth_failures_total{reason=\"missing\"}", "spindle_http_auth_failures_total{reason=\"wrong_token\"}");
    }

    @Test
    void adminRetentionNeedsTheWriteTokenAndChangesNothingOtherwise() throws Exception {
        long before = rawCount();
        assertThat(before).isEqualTo(20 * 60 * 10);
        assertThat(send("POST", "/api/v1/admin/retention").statusCode()).isEqualTo(401);
        assertThat(send("POST", "/api/v1/admin/retention", "Authorization", "Token " + WRITE).statusCode()).isEqualTo(401);
        assertThat(send("POST", "/api/v1/admin/retention", "Authorization", "Bearer " + READ).statusCode()).isEqualTo(403);
        assertThat(send("POST", "/api/v1/admin/retention", "Authorization", "Bearer " + WRITE.substring(1)).statusCode()).isEqualTo(403);
        assertThat(rawCount()).isEqualTo(before);
        HttpResponse<String> ok = send("POST", "/api/v1/admin/retention", "Authorization", "Bearer " + WRITE);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        long removed = TestServer.JSON.readTree(ok.body()).get("rows_removed").asLong();
        assertThat(removed).isPositive();
        assertThat(rawCount()).isLessThan(before).isGreaterThanOrEqualTo(100); // the newest 10 s stay
        assertThat(TestServer.JSON.readTree(send("POST", "/api/v1/admin/retention", "Authorization", "Bearer " + WRITE).body())
                .get("rows_removed").asLong()).isZero();
        assertThat(send("GET", "/api/v1/admin/retention", "Authorization", "Bearer " + WRITE).statusCode()).isNotEqualTo(200);
    }

    @Test
    void adminIsDisabledWithoutAWriteTokenAndReadsAreOpenWithoutAReadToken() throws Exception {
        try (HttpServer open = HttpServer.start(HttpOptions.loopback(0), store, TestData.TIERS, new Metrics())) {
            long before = rawCount();
            HttpResponse<String> r = send(CLIENT, "POST", URI.create(open.url() + "api/v1/admin/retention"), "Authorization", "Bearer " + WRITE);
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(r.body()).contains("disabled");
            assertThat(rawCount()).isEqualTo(before);
            assertThat(send(CLIENT, "GET", URI.create(open.url() + "api/v1/series")).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void badOptionsNameTheInput() {
        assertThatThrownBy(() -> HttpOptions.loopback(0).withWriteToken("short")).hasMessageContaining("writeToken is shorter than 16");
        assertThatThrownBy(() -> HttpOptions.loopback(0).withReadToken("has space in it 0123456789")).hasMessageContaining("readToken has characters");
        assertThatThrownBy(() -> HttpOptions.loopback(0).withAllowedOrigins(List.of("*"))).hasMessageContaining("allowed origin '*'");
        assertThatThrownBy(() -> HttpOptions.loopback(0).withAllowedOrigins(List.of("https://a.example/path"))).hasMessageContaining("no path");
        assertThat(HttpOptions.loopback(0).withWriteToken(WRITE).withTls(dir, "pw-secret").toString()).doesNotContain(WRITE).doesNotContain("pw-secret");
    }

    @Test
    void httpsWithAGeneratedKeystore() throws Exception {
        Path ks = dir.resolve("server.p12"), cert = dir.resolve("server.crt");
        keytool("-genkeypair", "-alias", "spindle", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "1", "-storetype", "PKCS12", "-keystore", ks.toString(),
                "-storepass", "store-pass-1", "-keypass", "store-pass-1");
        keytool("-exportcert", "-rfc", "-alias", "spindle", "-keystore", ks.toString(), "-storepass", "store-pass-1", "-file", cert.toString());
        assertThatThrownBy(() -> HttpServer.start(HttpOptions.loopback(0).withTls(ks, "wrong-pass"), store, TestData.TIERS, new Metrics()))
                .hasMessageContaining(ks.toString()).hasMessageContaining("wrong password");
        assertThatThrownBy(() -> HttpServer.start(HttpOptions.loopback(0).withTls(dir.resolve("none.p12"), "x"), store, TestData.TIERS, new Metrics()))
                .hasMessageContaining("none.p12").hasMessageContaining("does not exist");
        try (HttpServer tls = HttpServer.start(HttpOptions.loopback(0).withReadToken(READ).withTls(ks, "store-pass-1"), store, TestData.TIERS, new Metrics())) {
            assertThat(tls.url()).startsWith("https://127.0.0.1:");
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(cert)) {
                trust.setCertificateEntry("server", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            HttpClient https = HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> r = send(https, "GET", URI.create(tls.url() + "api/v1/series"), "Authorization", "Bearer " + READ);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains(TestData.TEMP);
            assertThat(send(https, "GET", URI.create(tls.url() + "api/v1/series")).statusCode()).isEqualTo(401);
            // the same port speaks no plaintext HTTP, and a client that does not trust the certificate is refused
            URI plain = URI.create("http://127.0.0.1:" + tls.port() + "/api/v1/series");
            assertThatThrownBy(() -> {
                HttpResponse<String> p = send(CLIENT, "GET", plain, "Authorization", "Bearer " + READ);
                assertThat(p.body()).doesNotContain(TestData.TEMP);
                throw new IOException("answered plaintext with " + p.statusCode());
            }).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> send(CLIENT, "GET", URI.create(tls.url() + "healthz"))).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
        }
    }

    @Test
    void corsIsOffByDefaultAndOnlyForTheListedOrigins() throws Exception {
        HttpResponse<String> off = send("GET", "/healthz", "Origin", "https://grafana.example");
        assertThat(off.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("access-control-"));
        HttpResponse<String> pre = send("OPTIONS", "/api/v1/series", "Origin", "https://grafana.example", "Access-Control-Request-Method", "GET");
        assertThat(pre.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("access-control-"));
        try (HttpServer cors = HttpServer.start(HttpOptions.loopback(0).withReadToken(READ).withAllowedOrigins(List.of("https://grafana.example", "http://127.0.0.1:3000")),
                store, TestData.TIERS, new Metrics())) {
            URI series = URI.create(cors.url() + "api/v1/series");
            HttpResponse<String> ok = send(CLIENT, "GET", series, "Origin", "https://grafana.example", "Authorization", "Bearer " + READ);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://grafana.example");
            assertThat(send(CLIENT, "GET", series, "Origin", "http://127.0.0.1:3000", "Authorization", "Bearer " + READ)
                    .headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://127.0.0.1:3000");
            HttpResponse<String> other = send(CLIENT, "GET", series, "Origin", "https://evil.example", "Authorization", "Bearer " + READ);
            assertThat(other.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("access-control-"));
            HttpResponse<String> preflight = send(CLIENT, "OPTIONS", series, "Origin", "https://grafana.example",
                    "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "authorization");
            assertThat(preflight.statusCode()).isEqualTo(200);
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://grafana.example");
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("")).containsIgnoringCase("authorization");
        }
    }

    private static void keytool(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0).as("keytool " + String.join(" ", args) + ": " + out).isTrue();
    }
}
