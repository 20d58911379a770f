package io.spindle.lattice.transport;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An edge/cloud pair of nats-servers for tests, on free loopback ports: the cloud runs JetStream (store under
 * {@code dir/cloud/store}) and listens for leafnodes; the edge runs without JetStream and joins the cloud as a leaf
 * node through a {@link LeafLinkProxy}, so its clients' JetStream and KV calls are served by the cloud across the leaf.
 * Both servers set {@code default_js_domain: {"$G": ""}}: without it nats-server 2.9 denies {@code $JS.API.>},
 * {@code $KV.>} and {@code $OBJ.>} on the leaf ("JetStream Not Extended"). {@link #cutLeaf()} and {@link #restoreLeaf()}
 * cut and restore the leaf link deterministically; the edge redials every second ({@code reconnect: 1}). Logs go to
 * {@code dir/cloud/server.log} and {@code dir/edge/server.log}; the binary is found as by {@link NatsServerProcess}.
 *
 * <pre>
 * try (NatsLeafTopology t = NatsLeafTopology.start(tempDir)) {
 *     Transport edge = NatsTransport.connect(t.edgeUrl(), "edge-host");
 *     Transport cloud = NatsTransport.connect(t.cloudUrl(), "cloud-host");
 * }
 * </pre>
 */
public final class NatsLeafTopology implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Pattern LEAFNODES = Pattern.compile("\"leafnodes\"\\s*:\\s*(\\d+)");

    private final Server cloud, edge;
    private final LeafLinkProxy proxy;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private NatsLeafTopology(Server cloud, Server edge, LeafLinkProxy proxy) {
        this.cloud = cloud;
        this.edge = edge;
        this.proxy = proxy;
    }

    /** Starts the cloud, the proxy and the edge under dir; returns once the leaf is connected (at most 10 s each). */
    public static NatsLeafTopology start(Path dir) throws IOException {
        int cloudPort = freePort(), cloudHttp = freePort(), leafPort = freePort(), edgePort = freePort(), edgeHttp = freePort();
        Path cloudDir = dir.resolve("cloud"), edgeDir = dir.resolve("edge");
        Files.createDirectories(cloudDir.resolve("store"));
        Files.createDirectories(edgeDir);
        LeafLinkProxy proxy = new LeafLinkProxy(leafPort);
        // advertise: the hub tells its leaves where to redial; its own address would let the edge bypass the proxy
        Server cloud = new Server("cloud", cloudDir, cloudPort, cloudHttp, """
                server_name: spindle-cloud-%d
                listen: 127.0.0.1:%d
                http: 127.0.0.1:%d
                default_js_domain: { "$G": "" }
                jetstream { store_dir: "%s" }
                leafnodes { listen: 127.0.0.1:%d, advertise: "127.0.0.1:%d" }
                """.formatted(cloudPort, cloudPort, cloudHttp, cloudDir.resolve("store"), leafPort, proxy.port()));
        NatsLeafTopology t = null;
        try {
            cloud.start();
            Server edge = new Server("edge", edgeDir, edgePort, edgeHttp, """
                    server_name: spindle-edge-%d
                    listen: 127.0.0.1:%d
                    http: 127.0.0.1:%d
                    default_js_domain: { "$G": "" }
                    leafnodes {
                      reconnect: 1
                      remotes [ { url: "nats-leaf://127.0.0.1:%d" } ]
                    }
                    """.formatted(edgePort, edgePort, edgeHttp, proxy.port()));
            t = new NatsLeafTopology(cloud, edge, proxy);
            edge.start();
            t.awaitLeaf(true);
            return t;
        } catch (IOException | RuntimeException e) {
            if (t != null) t.close();
            else {
                proxy.close();
                cloud.stop(false);
            }
            throw e;
        }
    }

    /** True when a nats-server binary is available. */
    public static boolean available() {
        return NatsServerProcess.available();
    }

    /** The cloud server's client URL (JetStream lives here). */
    public String cloudUrl() {
        return cloud.url();
    }

    /** The edge server's client URL. */
    public String edgeUrl() {
        return edge.url();
    }

    /** Cuts the leaf link (every connection through the proxy closed, new ones refused); returns once both sides see it down. */
    public void cutLeaf() throws IOException {
        proxy.cut();
        awaitLeaf(false);
    }

    /** Lets the edge redial; returns once both servers report the leaf connected again. */
    public void restoreLeaf() throws IOException {
        proxy.restore();
        awaitLeaf(true);
    }

    /** True while the leaf link is cut. */
    public boolean isCut() {
        return proxy.isCut();
    }

    /** Kills the edge server (SIGKILL): edge clients lose their server, the cloud its leaf. */
    public void killEdge() {
        edge.stop(true);
    }

    /** Starts the edge server again on the same ports; returns once it accepts clients and (unless cut) the leaf is up. */
    public void startEdge() throws IOException {
        edge.start();
        if (!proxy.isCut()) awaitLeaf(true);
    }

    /** Both servers' log tails, for failure messages. */
    public String logs() {
        return "cloud:\n" + cloud.tail() + "\nedge:\n" + edge.tail();
    }

    private void awaitLeaf(boolean connected) throws IOException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            boolean edgeUp = edge.running() && leafnodes(edge) > 0, cloudUp = leafnodes(cloud) > 0;
            if (connected ? edgeUp && cloudUp : !edgeUp && !cloudUp) return;
            sleep(20);
        }
        throw new IOException("leaf link did not come " + (connected ? "up" : "down") + " within " + WAIT.toSeconds() + " s; " + logs());
    }

    /** The number of leafnode connections the server's monitoring reports (/leafz), -1 when it does not answer. */
    private int leafnodes(Server s) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.httpPort + "/leafz"))
                    .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
            Matcher m = LEAFNODES.matcher(r.body());
            return r.statusCode() == 200 && m.find() ? Integer.parseInt(m.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static void sleep(long ms) throws IOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        edge.stop(false);
        proxy.close();
        cloud.stop(false);
    }

    /** One nats-server process run from a config file written into its directory. */
    private static final class Server {
        final String name;
        final Path dir;
        final int port, httpPort;
        final String config;
        Process process;

        Server(String name, Path dir, int port, int httpPort, String config) {
            this.name = name;
            this.dir = dir;
            this.port = port;
            this.httpPort = httpPort;
            this.config = config;
        }

        String url() {
            return "nats://127.0.0.1:" + port;
        }

        synchronized boolean running() {
            return process != null && process.isAlive();
        }

        synchronized void start() throws IOException {
            if (running()) throw new IllegalStateException(name + " nats-server already running");
            String bin = NatsServerProcess.binary();
            if (bin == null) throw new IOException("no nats-server binary (install the Debian package nats-server)");
            Path conf = dir.resolve(name + ".conf");
            Files.writeString(conf, config);
            process = new ProcessBuilder(List.of(bin, "-c", conf.toString())).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile())).start();
            long end = System.nanoTime() + WAIT.toNanos();
            IOException last = null;
            while (System.nanoTime() < end) {
                if (!process.isAlive()) throw new IOException(name + " nats-server exited with " + process.exitValue() + ": " + tail());
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    s.setSoTimeout(1000);
                    InputStream in = s.getInputStream();
                    byte[] info = new byte[4];
                    if (in.readNBytes(info, 0, 4) == 4 && new String(info, StandardCharsets.US_ASCII).equals("INFO")) return;
                } catch (IOException e) {
                    last = e;
                }
                sleep(20);
            }
            process.destroyForcibly();
            throw new IOException(name + " nats-server did not accept clients on port " + port + " within 10 s: " + last + "; " + tail());
        }

        synchronized void stop(boolean force) {
            if (process == null) return;
            if (force) process.destroyForcibly();
            else process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            process = null;
        }

        String tail() {
            try {
                List<String> lines = Files.readAllLines(dir.resolve("server.log"));
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
            } catch (IOException e) {
                return "(no log)";
            }
        }
    }
}
