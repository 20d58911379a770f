package io.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spindle.deploy.orchestrator.Orchestrator;
import io.spindle.host.Host;
import io.spindle.lattice.Subjects;
import io.spindle.lattice.transport.KvEntry;
import io.spindle.lattice.transport.NatsServerProcess;
import io.spindle.lattice.transport.NatsTransport;
import io.spindle.wasm.ModuleShape;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code spindle app put|get|list|versions|deploy|status|history|rollback|undeploy|delete} against a real
 * nats-server, a real host (zone=edge) and an orchestrator with short timings, all in this JVM.
 */
class AppLifecycleCommandTest {
    static final String LATTICE = "apptest";
    @TempDir
    static Path dir;
    static NatsServerProcess nats;
    static NatsTransport hostTransport, orchestratorTransport;
    static Host host;
    static Orchestrator orchestrator;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(NatsServerProcess.available(), "nats-server is not installed (Debian package nats-server)");
        nats = NatsServerProcess.start(dir.resolve("nats"));
        hostTransport = NatsTransport.connect(nats.url(), "test-host");
        host = Host.builder(hostTransport).lattice(LATTICE).friendlyName("edge-1").label("zone", "edge")
                .heartbeat(Duration.ofMillis(200)).discoveryWindow(Duration.ofMillis(150)).dataDir(dir.resolve("host")).build().start();
        orchestratorTransport = NatsTransport.connect(nats.url(), "test-orchestrator");
        orchestrator = Orchestrator.builder(orchestratorTransport).lattice(LATTICE).hostExpiry(Duration.ofMillis(1000))
                .leaseTtl(Duration.ofMillis(900)).tick(Duration.ofMillis(200)).probation(Duration.ofMillis(800))
                .retry(Duration.ofMillis(500)).requestTimeout(Duration.ofSeconds(20)).discoveryWindow(Duration.ofMillis(200))
                .build().start();
    }

    @AfterAll
    static void stop() {
        if (orchestrator != null) orchestrator.close();
        if (host != null) host.close();
        if (orchestratorTransport != null) orchestratorTransport.close();
        if (hostTransport != null) hostTransport.close();
        if (nats != null) nats.close();
    }

    private static String[] withLattice(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--nats", nats.url(), "--lattice", LATTICE, "--timeout", "10s"));
        return all.toArray(String[]::new);
    }

    private static Cli.Result run(String... args) {
        return Cli.run(withLattice(args));
    }

    private static Cli.Result ok(String... args) {
        Cli.Result r = run(args);
        assertThat(r.exit()).as(String.join(" ", args) + "\nstdout: " + r.out() + "\nstderr: " + r.err()).isZero();
        return r;
    }

    @Test
    void theWholeLifecycle() throws Exception {
        Path app = dir.resolve("downsampler");
        String v1Text = AppManifests.downsampler(LATTICE, "downsampler", "v1", 10_000_000);
        Path v1 = AppManifests.write(app, "v1.yaml", v1Text);
        String digest = "sha256-" + ModuleShape.sha256(Files.readAllBytes(app.resolve("components/lttb.wasm")));

        Cli.Result put = ok("app", "put", v1.toString());
        assertThat(put.out()).isEqualTo("stored application downsampler version v1 (1 version)\n");
        // the module may be in the bucket already (another test of this class uploaded the same bytes)
        assertThat(put.err()).matches("(uploaded component lttb \\(\\Q" + app.resolve("components/lttb.wasm") + "\\E, \\d+ bytes\\) as \\Q" + digest + "\\E\n)?");
        KvEntry stored = hostTransport.keyValue(new Subjects(LATTICE).componentsBucket()).get(digest).orElseThrow();
        assertThat(stored.value()).isEqualTo(Files.readAllBytes(app.resolve("components/lttb.wasm")));
        Cli.Result again = ok("app", "put", v1.toString(), "--json");
        Map<String, Object> againJson = JsonParse.object(again.out());
        assertThat(againJson).containsEntry("name", "downsampler").containsEntry("version", "v1").containsEntry("created", false)
                .containsEntry("images", Map.of("lttb", digest));
        assertThat(again.err()).as("already in the bucket: not uploaded again").isEmpty();
        assertThat(ok("app", "put", v1.toString()).out()).isEqualTo("application downsampler version v1 is already stored, unchanged (1 version)\n");

        Cli.Result deploy = ok("app", "deploy", "downsampler", "--wait=20s");
        assertThat(deploy.out()).startsWith("deploying application downsampler version v1\n")
                .containsPattern("application downsampler version v1 deployed \\(\\d+\\.\\d s\\)\n$");
        assertThat(deploy.err()).contains("downsampler v1: deployed — ");

        Cli.Result status = ok("app", "status", "downsampler");
        List<String> lines = status.out().lines().toList();
        assertThat(lines.get(0)).startsWith("downsampler v1: deployed — ");
        assertThat(lines.get(1)).matches("NAME +ID +TYPE +DESIRED +RUNNING ON +STATUS +MESSAGE");
        String shortId = host.id().substring(0, 8);
        assertThat(lines).anyMatch(l -> l.matches("messaging +downsampler-messaging +capability +1 +1: " + shortId + " +deployed +-"));
        assertThat(lines).anyMatch(l -> l.matches("lttb +downsampler-lttb +component +1 +1: " + shortId + " +deployed +-"));
        Map<String, Object> sj = JsonParse.object(ok("app", "status", "downsampler", "--json").out());
        assertThat(sj).containsEntry("name", "downsampler").containsEntry("version", "v1").containsEntry("status", "deployed");
        List<?> comps = (List<?>) sj.get("components");
        assertThat(comps).hasSize(2);
        Map<?, ?> lttb = comps.stream().map(c -> (Map<?, ?>) c).filter(c -> c.get("name").equals("lttb")).findFirst().orElseThrow();
        assertThat(lttb.get("image")).isEqualTo(digest);
        assertThat(lttb.get("hosts")).isEqualTo(List.of(host.id()));
        assertThat(host.inventory().components()).anyMatch(c -> c.id().equals("downsampler-lttb") && c.digest().equals(digest));

        assertThat(ok("app", "list").out().lines())
                .anyMatch(l -> l.matches("downsampler +v1 +v1 +deployed +1 +LTTB on the edge, 10000000 ns buckets"));
        List<Object> listJson = JsonParse.array(ok("app", "list", "--json").out());
        assertThat(listJson).anyMatch(o -> ((Map<?, ?>) o).get("name").equals("downsampler")
                && "v1".equals(((Map<?, ?>) o).get("deployed_version")));
        assertThat(ok("app", "versions", "downsampler").out().lines().toList().get(1))
                .matches("v1 +\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ +yes +LTTB on the edge, 10000000 ns buckets");

        // v2 from its file: put and deployed in one command, rolled out on the host
        Path v2 = AppManifests.write(app, "v2.yaml", AppManifests.downsampler(LATTICE, "downsampler", "v2", 20_000_000));
        Cli.Result d2 = ok("app", "deploy", v2.toString(), "--wait=30s");
        assertThat(d2.out()).startsWith("stored application downsampler version v2 (2 versions)\ndeploying application downsampler version v2\n")
                .contains("application downsampler version v2 deployed");
        assertThat(ok("app", "versions", "downsampler", "--json").out()).contains("\"version\":\"v2\",");
        assertThat(ok("app", "get", "downsampler", "v1").out()).isEqualTo(v1Text);
        Map<String, Object> got = JsonParse.object(ok("app", "get", "downsampler", "--json").out());
        assertThat(got).containsEntry("version", "v2").containsEntry("images", Map.of("lttb", digest));

        Cli.Result rb = ok("app", "rollback", "downsampler", "--wait=30s");
        assertThat(rb.out()).startsWith("rolling back application downsampler to version v1\n").contains("version v1 deployed");
        assertThat(JsonParse.object(ok("app", "status", "downsampler", "--json").out())).containsEntry("version", "v1");

        Cli.Result busy = run("app", "delete", "downsampler");
        assertThat(busy.exit()).isEqualTo(1);
        assertThat(busy.err()).isEqualTo("spindle: app delete: model.del: application downsampler is deployed (version v1); undeploy it first\n");

        Cli.Result un = ok("app", "undeploy", "downsampler", "--wait=20s");
        assertThat(un.out()).containsPattern("^application downsampler undeployed \\(\\d+\\.\\d s\\)\n$");
        assertThat(host.inventory().components()).noneMatch(c -> c.id().equals("downsampler-lttb"));

        List<String> history = ok("app", "history", "downsampler").out().lines().toList();
        assertThat(history.get(0)).matches("VERSION +ACTION +AT +MESSAGE");
        assertThat(history.subList(1, history.size())).extracting(l -> l.split(" +")[0] + " " + l.split(" +")[1])
                .containsExactly("v1 deploy", "v2 deploy", "v1 rollback", "v1 undeploy");
        assertThat(JsonParse.array(ok("app", "history", "downsampler", "--json").out())).hasSize(4);

        assertThat(ok("app", "delete", "downsampler", "v2").out()).isEqualTo("deleted version v2 of application downsampler\n");
        assertThat(ok("app", "delete", "downsampler").out()).isEqualTo("deleted application downsampler\n");
        Cli.Result gone = run("app", "status", "downsampler");
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.err()).startsWith("spindle: app status: model.status: no application named 'downsampler'");
    }

    @Test
    void refusalsSayWhyAndExitOne() throws Exception {
        Cli.Result unknown = run("app", "deploy", "no-such-app", "--wait");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).startsWith("spindle: app deploy: model.deploy: no application named 'no-such-app'");

        Path bad = AppManifests.write(dir.resolve("bad"), "bad.yaml", AppManifests.downsampler(LATTICE, "bad", "v1", 1)
                .replace("target: lttb", "target: ltb").replace("type: daemonscaler", "type: daemonscalar"));
        Cli.Result invalid = run("app", "put", bad.toString());
        assertThat(invalid.exit()).isEqualTo(1);
        assertThat(invalid.out()).isEmpty();
        assertThat(invalid.err().lines().toList()).containsExactly(
                "spindle: app put: " + bad + ": the manifest has 2 problems; nothing stored:",
                "  " + bad + ": spec.components[0].traits[0].type: unknown trait type 'daemonscalar' (one of: spreadscaler, daemonscaler, link)",
                "  " + bad + ": spec.components[0].traits[1].properties.target: no component named 'ltb' (components: messaging, lttb)");
        Cli.Result badDeploy = run("app", "deploy", bad.toString());
        assertThat(badDeploy.exit()).isEqualTo(1);
        assertThat(badDeploy.err()).contains("the manifest has 2 problems; nothing stored");
        assertThat(run("app", "status", "bad").err()).contains("no application named 'bad'");

        Cli.Result missing = run("app", "put", dir.resolve("nope.yaml").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("spindle: " + dir.resolve("nope.yaml") + ": no such file\n");
        Cli.Result missingDeploy = run("app", "deploy", "./nope.yaml");
        assertThat(missingDeploy.exit()).isEqualTo(1);
        assertThat(missingDeploy.err()).isEqualTo("spindle: ./nope.yaml: no such file (nor an application name: 1-64 of [A-Za-z0-9_-])\n");

        Cli.Result nobody = Cli.run("app", "list", "--nats", nats.url(), "--lattice", "nobody-serves-this", "--timeout", "500ms");
        assertThat(nobody.exit()).isEqualTo(1);
        assertThat(nobody.err()).startsWith("spindle: app list: model.list: no answer from an orchestrator in lattice nobody-serves-this")
                .contains("is one running?");

        assertThat(run("app", "deploy", bad.toString(), "v1").exit()).as("VERSION with a FILE").isEqualTo(2);
        assertThat(run("app", "deploy").exit()).isEqualTo(2);
        assertThat(run("app", "status", "x", "--wait").exit()).isEqualTo(2);
        assertThat(run("app", "undeploy", "x", "--wait=soon").exit()).isEqualTo(2);
    }

    @Test
    void waitingTooLongExitsOneNamingTheLastStatus() throws Exception {
        Path f = AppManifests.write(dir.resolve("cloudy"), "cloudy.yaml", AppManifests.downsampler(LATTICE, "cloudy", "c1", 5_000_000)
                .replace("zone: edge", "zone: cloud"));
        ok("app", "put", f.toString());
        Cli.Result r = run("app", "deploy", "cloudy", "--wait=1s");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEqualTo("deploying application cloudy version c1\n");
        assertThat(r.err()).contains("\nspindle: app deploy: application cloudy not deployed at version c1 within 1.0 s; last status: cloudy c1: waiting — lttb: ");
        ok("app", "undeploy", "cloudy", "--wait=20s");
        ok("app", "delete", "cloudy");
    }

    @Test
    void statusWatchPrintsOneJsonLinePerChange() throws Exception {
        Path f = AppManifests.write(dir.resolve("watched"), "watched.yaml", AppManifests.downsampler(LATTICE, "watched", "w1", 5_000_000));
        ok("app", "put", f.toString());
        CommandLine cmd = Main.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        AtomicInteger exit = new AtomicInteger(-1);
        Thread watch = new Thread(() -> exit.set(cmd.execute(withLattice("app", "status", "watched", "--watch", "--json"))), "watch");
        watch.start();
        try {
            ok("app", "deploy", "watched", "--wait=20s");
            long end = System.nanoTime() + 10_000_000_000L;
            while (!out.toString().contains("\"status\":\"deployed\"") && System.nanoTime() < end) Thread.sleep(20);
        } finally {
            watch.interrupt();
            watch.join(10_000);
        }
        assertThat(watch.isAlive()).isFalse();
        assertThat(exit.get()).as(err.toString()).isZero();
        List<String> statuses = out.toString().lines().map(l -> (String) JsonParse.object(l).get("status")).toList();
        assertThat(statuses).hasSizeGreaterThanOrEqualTo(2).startsWith("undeployed").endsWith("deployed");
        for (int i = 1; i < statuses.size(); i++) assertThat(out.toString().lines().toList().get(i)).isNotEqualTo(out.toString().lines().toList().get(i - 1));
        ok("app", "undeploy", "watched", "--wait=20s");
        ok("app", "delete", "watched");
    }

    @Test
    void helpAndCompletionKnowTheCommands() {
        Cli.Result help = Cli.run("app", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("put", "get", "list", "versions", "deploy", "undeploy", "status", "history", "rollback", "delete", "validate");
        assertThat(Cli.run("app", "deploy", "--help").out()).contains("--wait[=DURATION]", "NAME|FILE", "--lattice");
        assertThat(Cli.run("app", "get", "--help").out()).contains("NAME", "[VERSION]", "--json");
        assertThat(Cli.run("host", "--help").out()).contains("--no-orchestrator", "--host-expiry");
        assertThat(Cli.run("orchestrator", "--help").out()).contains("--host-expiry", "--lease-ttl", "--probation");
        String completion = Cli.run("completion").out();
        assertThat(completion).contains("orchestrator", "rollback", "--no-orchestrator", "--watch");
    }
}
