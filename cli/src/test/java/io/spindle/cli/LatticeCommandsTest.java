package io.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spindle.host.Host;
import io.spindle.lattice.transport.NatsServerProcess;
import io.spindle.lattice.transport.NatsTransport;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control commands against a real nats-server and a real host: tables, JSON, refusals that change nothing. */
class LatticeCommandsTest {
    @TempDir
    static Path dir;
    static NatsServerProcess nats;
    static NatsTransport hostTransport;
    static Host host;

    @BeforeAll
    static void start() throws Exception {
        nats = NatsServerProcess.start(dir.resolve("nats"));
        hostTransport = NatsTransport.connect(nats.url(), "test-host");
        host = Host.builder(hostTransport).lattice("clitest").friendlyName("edge-1").label("zone", "edge")
                .dataDir(dir.resolve("host")).build().start();
    }

    @AfterAll
    static void stop() {
        if (host != null) host.close();
        if (hostTransport != null) hostTransport.close();
        if (nats != null) nats.close();
    }

    private static Cli.Result run(String... args) {
        if (args[0].equals("start") || args[0].equals("stop")) { // without --host the CLI waits the whole --timeout collecting hosts
            String[] withHost = java.util.Arrays.copyOf(args, args.length + 2);
            withHost[args.length] = "--host";
            withHost[args.length + 1] = host.id();
            args = withHost;
        }
        String[] all = new String[args.length + 6];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--nats";
        all[args.length + 1] = nats.url();
        all[args.length + 2] = "--lattice";
        all[args.length + 3] = "clitest";
        // a scatter-gather (get hosts) waits its whole window: keep that short; a request to one host (start component
        // compiles the module) gets time for a loaded machine
        all[args.length + 4] = "--timeout";
        all[args.length + 5] = args[0].equals("get") && args[1].equals("hosts") ? "400ms" : "20s";
        return Cli.run(all);
    }

    @Test
    void getHostsShowsTheHostAsTableAndJson() {
        Cli.Result t = run("get", "hosts");
        assertThat(t.exit()).as(t.err()).isZero();
        assertThat(t.out()).startsWith("HOST ID").contains(host.id()).contains("edge-1").contains("zone=edge");
        Cli.Result j = run("get", "hosts", "--json");
        List<Object> hosts = JsonParse.array(j.out());
        assertThat(hosts).hasSize(1);
        assertThat(((Map<?, ?>) hosts.get(0)).get("id")).isEqualTo(host.id());
    }

    @Test
    void startComponentLinkAndConfigRoundTrip() {
        Path lttb = Cli.root().resolve("components/lttb/lttb.wasm");
        assertThat(run("config", "put", "cfg1", "bucket-nanos=1000000").exit()).isZero();
        assertThat(run("get", "config", "cfg1").out()).contains("bucket-nanos").contains("1000000");
        assertThat(run("config", "get", "cfg1", "--json").out().strip()).isEqualTo("{\"bucket-nanos\":\"1000000\"}");
        Cli.Result p = run("start", "provider", "spindle:messaging", "--id", "bus");
        assertThat(p.exit()).as(p.err()).isZero();
        Cli.Result c = run("start", "component", lttb.toString(), "--id", "lttb1", "--config", "cfg1");
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(c.out()).contains("started component lttb1 (sha256-").contains(host.id());
        Cli.Result l = run("link", "put", "bus", "lttb1", "spindle:telemetry/processor");
        assertThat(l.exit()).as(l.err()).isZero();
        assertThat(run("get", "links").out()).contains("bus").contains("lttb1").contains("spindle:telemetry/processor");
        Cli.Result inv = run("get", "inventory", host.id());
        assertThat(inv.out()).contains("component").contains("lttb1").contains("provider").contains("bus");
        // by digest: the bytes were stored in the lattice
        String digest = c.out().replaceAll("(?s).*\\((sha256-[0-9a-f]{64})\\).*", "$1");
        Cli.Result byDigest = run("start", "component", digest, "--id", "lttb2", "--config", "cfg1");
        assertThat(byDigest.exit()).as(byDigest.err()).isZero();
        assertThat(run("stop", "component", "lttb2").exit()).isZero();
        assertThat(run("link", "del", "bus", "spindle:telemetry").exit()).isZero();
        assertThat(run("get", "links", "--json").out().strip()).isEqualTo("[]");
        assertThat(run("config", "del", "cfg1").exit()).isZero();
    }

    @Test
    void refusalsExitOneWithTheReasonAndChangeNothing() {
        Cli.Result bad = run("link", "put", "nobody", "nothing", "spindle:messaging/publisher");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).startsWith("spindle: link put: ").contains("nobody");
        assertThat(run("get", "links", "--json").out().strip()).doesNotContain("nobody");
        Cli.Result missing = run("get", "config", "no-such-config");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("no-such-config");
        Cli.Result badIface = run("link", "put", "a", "b", "not-an-interface");
        assertThat(badIface.exit()).isEqualTo(2);
        assertThat(badIface.err()).contains("NAMESPACE:PACKAGE/INTERFACE");
        Cli.Result noFile = run("start", "component", "/no/such/file.wasm", "--id", "x");
        assertThat(noFile.exit()).isEqualTo(1);
        assertThat(noFile.err()).contains("/no/such/file.wasm");
    }

    @Test
    void noServerIsAClearFailure() {
        Cli.Result r = Cli.run("get", "hosts", "--nats", "nats://127.0.0.1:1", "--timeout", "500ms");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("spindle: get hosts: ").contains("127.0.0.1:1");
    }
}
