package io.spindle.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spindle.store.SeriesStore;
import io.spindle.store.StoreConfig;
import io.spindle.store.Stores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real server on a free loopback port over a real SQLite store filled with {@link TestData}, and a real HTTP
 * client. {@link #shared()} is filled once per test JVM for the tests that only read.
 */
final class TestServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer shared;

    final Path dir;
    final SeriesStore store;
    final Metrics metrics = new Metrics();
    final HttpServer server;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    record Resp(int status, String body, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }

    TestServer(String uiDirectory) {
        try {
            dir = Files.createTempDirectory("spindle-http-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        store = Stores.open("sqlite:" + dir.resolve("spindle.db"), StoreConfig.defaults());
        TestData.fillAll(store);
        server = HttpServer.start(HttpOptions.loopback(0), store, TestData.TIERS, metrics, uiDirectory);
    }

    static synchronized TestServer shared() {
        if (shared == null) {
            shared = new TestServer(HttpServer.UI_DIRECTORY);
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    Resp get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    Resp post(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Resp post(String path, byte[] body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    Resp send(HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = client.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return new Resp(r.statusCode(), r.body(), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    URI uri(String path) {
        return URI.create(server.url() + (path.startsWith("/") ? path.substring(1) : path));
    }

    @Override
    public void close() {
        server.close();
        store.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
