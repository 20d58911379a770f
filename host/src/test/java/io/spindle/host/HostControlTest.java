package io.spindle.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.lattice.CloudEvent;
import io.spindle.lattice.CtlException;
import io.spindle.lattice.HostInfo;
import io.spindle.lattice.HostInventory;
import io.spindle.lattice.Json;
import io.spindle.lattice.Link;
import io.spindle.lattice.Subjects;
import io.spindle.lattice.transport.InProcessTransport;
import io.spindle.wasm.ModuleShape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control interface of lattice/README.md against several in-process hosts: hosts, inventories, labels, starting
 * and stopping components and providers, config, links (validated before they are stored), late hosts, events, and
 * every malformed request refused with a clear message and nothing changed.
 */
class HostControlTest {
    final InProcessTransport transport = new InProcessTransport();
    final TestLattice lat = new TestLattice(transport, "ctl");
    final Subjects s = new Subjects("ctl");

    @AfterEach
    void close() {
        lat.close();
        transport.close();
    }

    static Link link(String source, String target, String ns, String pkg, List<String> ifaces, List<String> sourceConfig, List<String> targetConfig) {
        return new Link(source, target, null, ns, pkg, ifaces, sourceConfig, targetConfig);
    }

    static Link publisher(String component, String provider) {
        return link(component, provider, "spindle", "messaging", List.of("publisher"), null, null);
    }

    static Link feed(String provider, String component, String config) {
        return link(provider, component, "spindle", "telemetry", List.of("processor"), config == null ? null : List.of(config), null);
    }

    @Test
    void hostsAnswerWithTheirIdsLabelsAndInventories() {
        Host a = lat.host("alpha", Map.of("zone", "edge", "site", "plant-1"));
        Host b = lat.host("beta", Map.of("zone", "cloud"));
        assertThat(a.id()).startsWith("N").hasSize(56);
        assertThat(a.id()).isNotEqualTo(b.id());
        List<HostInfo> hosts = lat.scatter.getHosts();
        assertThat(hosts).extracting(HostInfo::friendlyName).containsExactly("alpha", "beta");
        assertThat(hosts.get(0).labels()).isEqualTo(Map.of("zone", "edge", "site", "plant-1"));
        assertThat(hosts.get(0).lattice()).isEqualTo("ctl");
        assertThat(hosts.get(0).version()).isNotBlank();
        assertThat(lat.scatter.ping()).extracting(HostInfo::id).containsExactlyInAnyOrder(a.id(), b.id());

        HostInfo labelled = lat.client.label(b.id(), "rack", "r7");
        assertThat(labelled.labels()).containsEntry("rack", "r7").containsEntry("zone", "cloud");
        assertThat(lat.client.label(b.id(), "rack", null).labels()).doesNotContainKey("rack");
        lat.awaitEvent("labels_changed", e -> e.source().equals(b.id()));

        lat.client.startProvider(a.id(), "spindle:messaging", "msg", null);
        lat.client.startComponent(a.id(), TestLattice.lttb(), "lttb", Map.of("owner", "test"), null);
        HostInventory inv = lat.client.inventory(a.id());
        assertThat(inv.hostId()).isEqualTo(a.id());
        assertThat(inv.labels()).containsEntry("zone", "edge");
        assertThat(inv.providers()).extracting(HostInventory.ProviderDescription::id, HostInventory.ProviderDescription::imageRef)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("msg", "spindle:messaging"));
        assertThat(inv.components()).hasSize(1);
        HostInventory.ComponentDescription c = inv.components().get(0);
        assertThat(c.id()).isEqualTo("lttb");
        assertThat(c.state()).isEqualTo("running");
        assertThat(c.annotations()).containsEntry("owner", "test");
        assertThat(lat.client.inventory(b.id()).components()).isEmpty();
        // heartbeats carry the inventory
        CloudEvent hb = lat.awaitEvent("host_heartbeat", e -> e.source().equals(a.id()) && e.data().path("components").size() == 1);
        assertThat(hb.specversion()).isEqualTo("1.0");
        assertThat(hb.type()).isEqualTo("com.spindle.lattice.host_heartbeat");
        assertThat(hb.datacontenttype()).isEqualTo("application/json");
        assertThat(hb.data().path("labels").path("zone").asText()).isEqualTo("edge");
        assertThat(lat.events("host_started")).extracting(CloudEvent::source).contains(a.id(), b.id());
        lat.awaitEvent("health_check_passed", e -> e.data().path("id").asText().equals("lttb"));
    }

    @Test
    void componentsStartByFileOrDigestScaleAndStop() throws Exception {
        Host a = lat.host("a", Map.of()), b = lat.host("b", Map.of());
        String digest = "sha256-" + ModuleShape.sha256(Files.readAllBytes(Path.of(TestLattice.lttb())));
        HostInventory.ComponentDescription c = lat.client.startComponent(a.id(), TestLattice.lttb(), "lttb", null, null);
        assertThat(c.digest()).isEqualTo(digest);
        assertThat(c.imageRef()).isEqualTo(TestLattice.lttb());
        assertThat(transport.keyValue(s.componentsBucket()).keys()).containsExactly(digest);
        CloudEvent scaled = lat.awaitEvent("component_scaled", e -> e.data().path("component_id").asText().equals("lttb"));
        assertThat(scaled.data().path("world").asText()).isEqualTo("spindle:telemetry/processor@0.1.0");
        assertThat(scaled.data().path("max_instances").asInt()).isEqualTo(1);
        // starting again is idempotent; another host starts it by digest
        assertThat(lat.client.startComponent(a.id(), TestLattice.lttb(), "lttb", null, null).digest()).isEqualTo(digest);
        assertThat(lat.client.startComponent(b.id(), digest, "lttb2", null, null).imageRef()).isEqualTo(digest);
        assertThat(lat.client.scaleComponent(b.id(), digest, "lttb2", 3, null, null).maxInstances()).isEqualTo(3);
        assertThat(lat.client.inventory(b.id()).components().get(0).maxInstances()).isEqualTo(3);
        assertThat(lat.client.scaleComponent(b.id(), null, "lttb2", 0, null, null)).satisfies(d -> {
            assertThat(d.maxInstances()).isZero();
            assertThat(d.state()).isEqualTo("stopped");
        });
        assertThat(lat.client.inventory(b.id()).components()).isEmpty();
        lat.client.stopComponent(a.id(), "lttb");
        assertThat(lat.client.inventory(a.id()).components()).isEmpty();
        lat.awaitEvent("component_scaled", e -> e.data().path("component_id").asText().equals("lttb") && e.data().path("max_instances").asInt() == 0);
        // a different module under a running id is refused
        lat.client.startComponent(a.id(), TestLattice.lttb(), "x", null, null);
        assertThatThrownBy(() -> lat.client.startComponent(a.id(), TestLattice.root().resolve("components/passthrough/passthrough.wasm").toString(), "x", null, null))
                .isInstanceOf(CtlException.class).hasMessageContaining("component.start: component 'x' already runs on this host with module " + digest);
    }

    @Test
    void configIsStoredReadAndDeleted() {
        Host a = lat.host("a", Map.of());
        lat.client.putConfig("lttb-1ms", Map.of("bucket-nanos", "1000000", "lateness-nanos", "0"));
        assertThat(lat.client.getConfig("lttb-1ms")).isEqualTo(Map.of("bucket-nanos", "1000000", "lateness-nanos", "0"));
        lat.awaitEvent("config_set", e -> e.data().path("config_name").asText().equals("lttb-1ms"));
        lat.client.putConfig("lttb-1ms", Map.of("bucket-nanos", "2000000"));
        assertThat(lat.client.getConfig("lttb-1ms")).isEqualTo(Map.of("bucket-nanos", "2000000"));
        lat.client.deleteConfig("lttb-1ms");
        assertThatThrownBy(() -> lat.client.getConfig("lttb-1ms")).hasMessage("config.get: no config named 'lttb-1ms'");
        lat.awaitEvent("config_deleted", e -> e.source().equals(a.id()));
    }

    /** Everything observable that a refused request must not change. */
    private String state() {
        StringBuilder sb = new StringBuilder();
        for (Host h : lat.hosts) {
            HostInventory inv = h.inventory();
            sb.append(h.friendlyName()).append(inv.labels()).append(inv.components().stream().map(c -> c.id() + "/" + c.digest() + "/" + c.maxInstances() + "/" + c.state()).toList())
                    .append(inv.providers().stream().map(p -> p.id() + "/" + p.imageRef()).toList()).append('\n');
        }
        for (String bucket : List.of(s.linksBucket(), s.configBucket(), s.componentsBucket(), s.checkpointBucket())) {
            var kv = transport.keyValue(bucket);
            Map<String, String> m = new TreeMap<>();
            for (String k : kv.keys()) m.put(k, kv.get(k).map(e -> ModuleShape.sha256(e.value())).orElse("-"));
            sb.append(bucket).append(m).append('\n');
        }
        return sb.toString();
    }

    @Test
    void malformedRequestsAreRefusedClearlyAndChangeNothing() {
        Host a = lat.host("a", Map.of("zone", "edge"));
        lat.host("b", Map.of());
        lat.client.putConfig("good", Map.of("k", "v"));
        lat.client.startProvider(a.id(), "spindle:messaging", "msg", null);
        lat.client.startComponent(a.id(), TestLattice.lttb(), "lttb", null, null);
        String before = state();
        String id = a.id(), lttb = Json.MAPPER.valueToTree(TestLattice.lttb()).toString();
        Map<String, String[]> cases = new java.util.LinkedHashMap<>();
        // subject -> {body, expected message (a prefix when it ends with "...")}
        cases.put("1", new String[] {s.ctl("component.start", id), "", "component.start: the request is empty; expected a JSON object (ScaleComponent)"});
        cases.put("2", new String[] {s.ctl("component.start", id), "{", "component.start request is not valid: ..."});
        cases.put("3", new String[] {s.ctl("component.start", id), "[1]", "component.start request is not valid: ..."});
        cases.put("4", new String[] {s.ctl("component.start", id), "{\"component_id\":\"x\",\"colour\":\"red\"}",
                "component.start request is not valid: Unrecognized field \"colour\"..."});
        cases.put("5", new String[] {s.ctl("component.start", id), "{\"component_ref\":" + lttb + "}", "component.start: component_id is missing"});
        cases.put("6", new String[] {s.ctl("component.start", id), "{\"component_ref\":" + lttb + ",\"component_id\":\"a b\"}",
                "component.start: component_id 'a b' must be 1-64 of [A-Za-z0-9_-]"});
        cases.put("7", new String[] {s.ctl("component.start", id), "{\"component_id\":\"x\"}",
                "component.start: component_ref is missing: a file path or sha256-<hex> digest"});
        cases.put("8", new String[] {s.ctl("component.start", id), "{\"component_ref\":\"/no/such.wasm\",\"component_id\":\"x\"}",
                "component.start: component_ref '/no/such.wasm': no such file on this host (nor a sha256-<hex> digest)"});
        cases.put("9", new String[] {s.ctl("component.start", id), "{\"component_ref\":\"sha256-abc\",\"component_id\":\"x\"}",
                "component.start: component_ref 'sha256-abc' is not a digest: sha256- must be followed by 64 lowercase hex digits"});
        cases.put("10", new String[] {s.ctl("component.start", id), "{\"component_ref\":\"sha256-" + "0".repeat(64) + "\",\"component_id\":\"x\"}",
                "component.start: component_ref 'sha256-" + "0".repeat(64) + "': no module with that digest in SPINDLE_COMPONENTS_ctl..."});
        cases.put("11", new String[] {s.ctl("component.start", id), "{\"component_ref\":" + lttb + ",\"component_id\":\"x\",\"host_id\":\"NOTME\"}",
                "component.start: host_id 'NOTME' is not this host (" + id + ")"});
        cases.put("12", new String[] {s.ctl("component.start", id), "{\"component_ref\":" + lttb + ",\"component_id\":\"x\",\"config\":[\"nope\"]}",
                "component.start: config 'nope' does not exist (put it first with config.put)"});
        cases.put("13", new String[] {s.ctl("component.start", id), "{\"component_ref\":" + Json.MAPPER.valueToTree(TestLattice.adversarial("wasi_import"))
                + ",\"component_id\":\"x\"}", "component.start: component 'x' load: does not match world spindle:telemetry/processor@0.1.0: imports wasi_snapshot_preview1#fd_write..."});
        cases.put("14", new String[] {s.ctl("component.start", id), "{\"component_ref\":" + lttb + ",\"component_id\":\"msg\"}",
                "component.start: id 'msg' is a provider on this host"});
        cases.put("15", new String[] {s.ctl("component.start", id), "{\"component_ref\":" + lttb + ",\"component_id\":\"x\",\"annotations\":{\""
                + Host.CHECKPOINT_MESSAGES_ANNOTATION + "\":\"many\"}}", "component.start: annotation spindle.checkpoint.messages must be an integer >= 1, got 'many'"});
        cases.put("16", new String[] {s.ctl("component.scale", id), "{\"component_id\":\"lttb\",\"count\":-1}", "component.scale: count -1 must be in [0, 1024]"});
        cases.put("17", new String[] {s.ctl("component.scale", id), "{\"component_id\":\"lttb\"}", "component.scale: count is missing (0 stops the component)"});
        cases.put("18", new String[] {s.ctl("component.stop", id), "{\"component_id\":\"ghost\"}",
                "component.stop: component 'ghost' does not run on host a (it runs: lttb)"});
        cases.put("19", new String[] {s.ctl("provider.start", id), "{\"provider_ref\":\"spindle:http\",\"provider_id\":\"p\"}",
                "provider.start: provider_ref 'spindle:http' is not a built-in provider (known: spindle:messaging, spindle:keyvalue, spindle:store, spindle:source-shdr, spindle:source-mqtt, spindle:source-opcua, spindle:source-simulator)"});
        cases.put("20", new String[] {s.ctl("provider.start", id), "{\"provider_ref\":\"spindle:keyvalue\",\"provider_id\":\"p.q\"}",
                "provider.start: provider_id 'p.q' must be 1-64 of [A-Za-z0-9_-]"});
        cases.put("21", new String[] {s.ctl("provider.start", id), "{\"provider_ref\":\"spindle:keyvalue\",\"provider_id\":\"lttb\"}",
                "provider.start: id 'lttb' is a component on this host"});
        cases.put("22", new String[] {s.ctl("provider.start", id), "{\"provider_ref\":\"spindle:keyvalue\",\"provider_id\":\"msg\"}",
                "provider.start: provider 'msg' already runs here as spindle:messaging"});
        cases.put("23", new String[] {s.ctl("provider.stop", id), "{\"provider_id\":\"ghost\"}", "provider.stop: provider 'ghost' does not run on host a"});
        cases.put("24", new String[] {s.ctl("host.label", id), "{\"key\":\"bad key\",\"value\":\"x\"}",
                "host.label: label key 'bad key' must be 1-128 of [A-Za-z0-9_./-], starting with a letter or digit"});
        cases.put("25", new String[] {s.ctl("host.label", id), "{\"key\":\"rack\"}", "host.label: host a has no label 'rack'"});
        cases.put("26", new String[] {s.ctl("host.inventory", id), "please", "host.inventory: takes no request body (got 6 bytes)"});
        cases.put("27", new String[] {s.ctl("host.stop", id), "{\"host_id\":\"NOTME\"}", "host.stop: host_id 'NOTME' is not this host (" + id + ")"});
        cases.put("28", new String[] {s.ctl("host.stop", id), "{\"timeout_ms\":-5}", "host.stop: timeout_ms -5 must be >= 0"});
        cases.put("29", new String[] {s.ctl("host.reboot", id), "", "unknown operation 'host.reboot' on " + s.ctl("host.reboot", id) + " (see lattice/README.md for the operations)"});
        cases.put("30", new String[] {s.ctl("config.put", "c1"), "", "config.put c1: the body is empty; expected a JSON object of string values"});
        cases.put("31", new String[] {s.ctl("config.put", "c1"), "[\"a\"]", "config.put c1: expected a JSON object of string values, got array"});
        cases.put("32", new String[] {s.ctl("config.put", "c1"), "{\"bucket-nanos\":1000}",
                "config.put c1: value of 'bucket-nanos' must be a string, got number (write \"1000\")"});
        cases.put("33", new String[] {s.ctl("config.put", "c1"), "{\"a\":", "config.put c1 is not valid JSON: ..."});
        cases.put("34", new String[] {s.ctl("config.put", "bad!name"), "{}", "config.put: config name 'bad!name' must be 1-64 of [A-Za-z0-9_-]"});
        cases.put("35", new String[] {s.ctl("config.put", "a") + ".b", "{}", "config.put: config name 'a.b' must be 1-64 of [A-Za-z0-9_-] (one subject token)"});
        cases.put("36", new String[] {s.ctl("config.get", "nope"), "", "config.get: no config named 'nope'"});
        cases.put("37", new String[] {s.ctl("config.del", "nope"), "", "config.del: no config named 'nope'"});
        cases.put("38", new String[] {s.ctl("config.put", "c1"), "{\"\":\"v\"}", "config.put c1: key '' must be 1-256 characters without control characters"});
        cases.put("39", new String[] {s.ctl("link.get"), "x", "link.get: takes no request body (got 1 bytes)"});
        cases.put("40", new String[] {s.ctl("link.del"), "{\"source_id\":\"lttb\",\"wit_namespace\":\"spindle\",\"wit_package\":\"messaging\"}",
                "link.del: no link of lttb named default on spindle:messaging (it has no links)"});
        cases.put("41", new String[] {s.ctl("link.del"), "{\"name\":\"x y\"}",
                "link.del: source_id is missing; name 'x y' must be 1-64 of [A-Za-z0-9_-]; wit_namespace is missing; wit_package is missing"});
        cases.put("42", new String[] {s.ctl("link.bogus"), "", "unknown operation 'link.bogus' on " + s.ctl("link.bogus") + " (see lattice/README.md for the operations)"});
        cases.put("44", new String[] {s.ctl("link.put") + ".x", "{}", "unknown operation 'link.put.x' on " + s.ctl("link.put") + ".x (see lattice/README.md for the operations)"});
        cases.put("45", new String[] {s.ctl("config.put", id), "{\"k\":\"v\"}", "stored-once"});
        cases.put("43", new String[] {s.ctl("provider.start", id), "{\"provider_ref\":\"spindle:keyvalue\",\"provider_id\":\"kv\",\"config\":[\"good\",\"nope\"]}",
                "provider.start: config 'nope' does not exist (put it first with config.put)"});
        List<String> failures = new ArrayList<>();
        for (var c : cases.entrySet()) {
            if (c.getValue()[2].equals("stored-once")) { // a config named like a host id is the queue group's, not that host's
                int before2 = lat.events("config_set").size();
                JsonNode r = lat.raw(c.getValue()[0], c.getValue()[1]);
                assertThat(r.path("success").asBoolean()).isTrue();
                TestLattice.await("config_set", () -> lat.events("config_set").size() == before2 + 1);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                assertThat(lat.events("config_set")).hasSize(before2 + 1);
                lat.client.deleteConfig(id);
                continue;
            }
            String got = lat.refused(c.getValue()[0], c.getValue()[1]);
            String want = c.getValue()[2];
            boolean ok = want.endsWith("...") ? got.startsWith(want.substring(0, want.length() - 3)) : got.equals(want);
            if (!ok) failures.add("case " + c.getKey() + ":\n  want " + want + "\n  got  " + got);
        }
        assertThat(failures).isEmpty();
        assertThat(state()).isEqualTo(before);
        // a provider whose config is wrong does not start
        lat.client.putConfig("kvbad", Map.of("bucket", "SPINDLE_LINKS_ctl"));
        assertThatThrownBy(() -> lat.client.startProvider(a.id(), "spindle:keyvalue", "kv", List.of("kvbad")))
                .hasMessage("provider.start: provider kv config: bucket 'SPINDLE_LINKS_ctl' is reserved for the lattice (buckets starting SPINDLE_ must start SPINDLE_KV_)");
        assertThat(a.inventory().providers()).hasSize(1);
        lat.awaitEvent("provider_start_failed", e -> e.data().path("provider_id").asText().equals("kv"));
        lat.awaitEvent("component_scale_failed", e -> e.data().path("error").asText().contains("wasi_snapshot_preview1"));
    }

    @Test
    void linksAreValidatedBeforeTheyAreStored() {
        Host a = lat.host("a", Map.of()), b = lat.host("b", Map.of());
        lat.client.startProvider(a.id(), "spindle:messaging", "msg", null);
        lat.client.startProvider(b.id(), "spindle:keyvalue", "kv", null);
        lat.client.startComponent(a.id(), TestLattice.lttb(), "lttb", null, null);
        lat.client.startComponent(b.id(), TestLattice.lttb(), "lttb2", null, null);
        lat.client.putConfig("loop", Map.of("subscribe", "spindle.data.ctl.>", "publish-prefix", "spindle.data.ctl.out"));
        lat.client.putConfig("kvbad", Map.of("bucket", "SPINDLE_CHECKPOINTS_ctl"));
        String before = state();
        String q = "processor";
        Map<Link, String> cases = new java.util.LinkedHashMap<>();
        cases.put(publisher("ghost", "msg"), "link.put: source_id 'ghost': no component or provider named 'ghost' runs in lattice ctl (start it first)");
        cases.put(publisher("lttb", "nobody"), "link.put: target 'nobody': no component or provider named 'nobody' runs in lattice ctl (start it first)");
        cases.put(link("lttb", "msg", "wasi", "http", List.of("outgoing-handler"), null, null),
                "link.put: interface package 'wasi:http' is not known (linkable: spindle:keyvalue, spindle:messaging, spindle:telemetry)");
        cases.put(link("lttb", "msg", "spindle", "messaging", List.of("handler"), null, null),
                "link.put: interface 'handler' is not in package spindle:messaging (it has: publisher)");
        cases.put(link("lttb", "msg", "spindle", "telemetry", List.of("log"), null, null),
                "link.put: interface spindle:telemetry/log is given by the host to every component and is not linked");
        cases.put(link("lttb", "msg", "spindle", "messaging", List.of(), null, null),
                "link.put: interfaces is empty: name at least one of spindle:messaging's (publisher)");
        cases.put(link("lttb", "lttb", "spindle", "messaging", List.of("publisher"), null, null),
                "link.put: source_id and target are both 'lttb': a link joins two different things");
        cases.put(link("a.b", "msg", "spindle", "messaging", List.of("publisher"), null, List.of("x y")),
                "link.put: source_id 'a.b' must be 1-64 of [A-Za-z0-9_-]; target_config name 'x y' must be 1-64 of [A-Za-z0-9_-]");
        cases.put(publisher("lttb", "lttb2"), "link.put: target 'lttb2' is a component; spindle:messaging/publisher is offered by a provider (spindle:messaging)");
        cases.put(publisher("msg", "kv"), "link.put: source_id 'msg' is a provider (spindle:messaging); only a component imports spindle:messaging/publisher; "
                + "target 'kv' is a spindle:keyvalue provider, which does not offer spindle:messaging/publisher (it offers spindle:keyvalue/store)");
        cases.put(publisher("lttb", "kv"), "link.put: target 'kv' is a spindle:keyvalue provider, which does not offer spindle:messaging/publisher (it offers spindle:keyvalue/store)");
        cases.put(feed("kv", "lttb", null), "link.put: source_id 'kv' is a spindle:keyvalue provider, which does not drive spindle:telemetry/" + q + " (spindle:messaging does)");
        cases.put(feed("lttb2", "lttb", null), "link.put: source_id 'lttb2' is a component; spindle:telemetry/processor is driven by a provider (spindle:messaging feeds a component's process)");
        cases.put(feed("msg", "kv", null), "link.put: target 'kv' is a provider (spindle:keyvalue); spindle:telemetry/processor is exported by components");
        cases.put(feed("msg", "lttb", "nope"), "link.put: source_config 'nope' does not exist (put it first with config.put)");
        cases.put(feed("msg", "lttb", "loop"), "link.put: source_config (for spindle:messaging): publish-prefix 'spindle.data.ctl.out' is matched by subscribe "
                + "'spindle.data.ctl.>': the component would read its own output");
        cases.put(link("lttb2", "kv", "spindle", "keyvalue", List.of("store"), null, List.of("kvbad")),
                "link.put: target_config (for spindle:keyvalue): bucket 'SPINDLE_CHECKPOINTS_ctl' is reserved for the lattice (buckets starting SPINDLE_ must start SPINDLE_KV_)");
        List<String> failures = new ArrayList<>();
        for (var c : cases.entrySet()) {
            String got;
            try {
                lat.client.putLink(c.getKey());
                got = "(stored)";
            } catch (CtlException e) {
                got = e.getMessage();
            }
            if (!got.equals(c.getValue())) failures.add(c.getKey().describe() + ":\n  want " + c.getValue() + "\n  got  " + got);
        }
        assertThat(failures).isEmpty();
        assertThat(lat.refused(s.ctl("link.put"), "{\"source_id\":\"lttb\",\"target\":\"msg\",\"wit_namespace\":\"spindle\",\"wit_package\":\"messaging\","
                + "\"interfaces\":[\"publisher\"],\"priority\":1}")).startsWith("link.put request is not valid: Unrecognized field \"priority\"");
        assertThat(lat.refused(s.ctl("link.put"), "")).isEqualTo("link.put: the request is empty; expected a JSON object (Link)");
        assertThat(lat.refused(s.ctl("link.put"), "{}")).isEqualTo("link.put: source_id is missing; target is missing; wit_namespace is missing (e.g. spindle); "
                + "wit_package is missing (e.g. messaging)");
        assertThat(lat.client.getLinks()).isEmpty();
        assertThat(state()).isEqualTo(before);
        TestLattice.await("link_put_failed events", () -> lat.events("link_put_failed").size() >= cases.size() + 3);
        assertThat(lat.events("link_put_failed").get(0).data().path("phase").asText()).isEqualTo("put");

        // valid links across hosts: lttb2 (on b) may link to kv (on b), lttb (on a) to msg (on a)
        lat.client.putLink(link("lttb2", "kv", "spindle", "keyvalue", List.of("store"), null, null));
        lat.client.putLink(publisher("lttb", "msg"));
        assertThat(lat.client.getLinks()).extracting(Link::key).containsExactly("lttb.default.spindle.messaging", "lttb2.default.spindle.keyvalue");
        TestLattice.await("links applied", () -> "applied".equals(a.linkStatus().get("lttb.default.spindle.messaging"))
                && "applied".equals(b.linkStatus().get("lttb2.default.spindle.keyvalue")));
        assertThat(a.linkStatus()).doesNotContainKey("lttb2.default.spindle.keyvalue");
        lat.client.deleteLink("lttb", "default", "spindle", "messaging");
        assertThat(lat.client.getLinks()).extracting(Link::key).containsExactly("lttb2.default.spindle.keyvalue");
        lat.awaitEvent("link_deleted", e -> e.data().path("source_id").asText().equals("lttb"));
        TestLattice.await("link unapplied", () -> !a.linkStatus().containsKey("lttb.default.spindle.messaging"));
    }

    @Test
    void aHostThatStartsLateAppliesTheCurrentLinks() {
        Host a = lat.host("early", Map.of());
        lat.client.startProvider(a.id(), "spindle:messaging", "msg", null);
        lat.client.startComponent(a.id(), TestLattice.lttb(), "lttb", null, null);
        lat.client.putConfig("feed", Map.of("subscribe", "spindle.data.ctl.in.>", "publish-prefix", "spindle.data.ctl.out"));
        lat.client.putConfig("pub", Map.of("publish-allow", "alarms.>"));
        lat.client.putLink(feed("msg", "lttb", "feed"));
        lat.client.putLink(link("lttb", "msg", "spindle", "messaging", List.of("publisher"), null, List.of("pub")));
        lat.awaitEvent("link_put", e -> e.data().path("source_id").asText().equals("lttb"));
        TestLattice.await("applied on the early host", () -> a.linkStatus().values().stream().filter("applied"::equals).count() == 2);
        assertThat(a.feeds()).hasSize(1);

        // the late host has the links from the bucket before anything runs on it, and applies them once both ends run there
        Host late = lat.host("late", Map.of());
        assertThat(late.linkStatus()).isEmpty(); // nothing of the links runs here yet
        lat.client.startComponent(late.id(), TestLattice.lttb(), "lttb", null, null);
        TestLattice.await("pending on the late host", () -> late.linkStatus().getOrDefault("msg.default.spindle.telemetry", "").startsWith("pending: source_id 'msg'"));
        lat.client.startProvider(late.id(), "spindle:messaging", "msg", null);
        TestLattice.await("applied on the late host", () -> late.linkStatus().values().stream().filter("applied"::equals).count() == 2);
        assertThat(late.feeds()).singleElement().satisfies(f -> {
            assertThat(f.subscribe()).isEqualTo("spindle.data.ctl.in.>");
            assertThat(f.durable()).isTrue();
        });

        // a config change reaches the hosts that apply it; deleting a config a link needs unapplies it, with a reason
        lat.client.putConfig("feed", Map.of("subscribe", "spindle.data.ctl.in2.>"));
        TestLattice.await("new subscription", () -> {
            var feeds = late.feeds(); // one read: the feed is replaced while the config change is applied
            return feeds.size() == 1 && feeds.get(0).subscribe().equals("spindle.data.ctl.in2.>");
        });
        lat.client.deleteConfig("pub");
        TestLattice.await("refused without its config", () -> late.linkStatus().getOrDefault("lttb.default.spindle.messaging", "")
                .equals("refused: config 'pub' does not exist"));
        CloudEvent failed = lat.awaitEvent("link_put_failed", e -> e.source().equals(late.id()) && e.data().path("phase").asText().equals("apply"));
        assertThat(failed.data().path("error").asText()).isEqualTo("link lttb.default.spindle.messaging not applied on host late: config 'pub' does not exist");
    }

    @Test
    void aStoredLinkThatBreaksTheRulesIsNotApplied() {
        Host a = lat.host("a", Map.of());
        lat.client.startProvider(a.id(), "spindle:keyvalue", "kv", null);
        lat.client.startComponent(a.id(), TestLattice.lttb(), "lttb", null, null);
        // written straight into the bucket, past link.put's validation: the host validates again before applying
        var bucket = transport.keyValue(s.linksBucket());
        bucket.put("lttb.default.spindle.messaging", Json.write(publisher("lttb", "kv")));
        bucket.put("junk.default.spindle.x", "not json".getBytes());
        TestLattice.await("refused", () -> a.linkStatus().size() == 2);
        assertThat(a.linkStatus().get("lttb.default.spindle.messaging")).isEqualTo(
                "refused: target 'kv' is a spindle:keyvalue provider, which does not offer spindle:messaging/publisher (it offers spindle:keyvalue/store)");
        assertThat(a.linkStatus().get("junk.default.spindle.x")).startsWith("refused: link junk.default.spindle.x is not valid: Unrecognized token 'not'");
        assertThat(a.feeds()).isEmpty();
    }

    @Test
    void hostStopOverTheControlInterfaceDrainsAndDeregisters() throws Exception {
        Host a = lat.host("a", Map.of());
        Host b = lat.host("b", Map.of());
        lat.client.stopHost(a.id(), 1000L);
        assertThat(a.awaitStopped(Duration.ofSeconds(10))).isTrue();
        assertThat(a.isRunning()).isFalse();
        lat.awaitEvent("host_stopped", e -> e.source().equals(a.id()));
        assertThat(lat.scatter.getHosts()).extracting(HostInfo::id).containsExactly(b.id());
        assertThatThrownBy(() -> lat.client.inventory(a.id())).isInstanceOf(CtlException.class).hasMessageContaining("no responders");
    }

    @Test
    void theHostKeepsItsIdInItsDataDirectory(@TempDir Path dir) throws Exception {
        Host h1 = lat.add(lat.builder("keeper").dataDir(dir).build().start());
        String id = h1.id();
        h1.close();
        Path seed = dir.resolve(HostIdentity.SEED_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(seed))).isEqualTo("rw-------");
        assertThat(Files.readString(seed)).startsWith("SN");
        Host h2 = lat.add(lat.builder("keeper").dataDir(dir).build().start());
        assertThat(h2.id()).isEqualTo(id);
        Files.writeString(seed, "SNOTAKEY");
        assertThatThrownBy(() -> lat.builder("broken").dataDir(dir).build()).hasMessageContaining("does not hold a valid nkey seed");
    }

    @Test
    void eventsAreCloudEventsFromTheHostThatActed() {
        Host a = lat.host("a", Map.of());
        lat.client.startProvider(a.id(), "spindle:messaging", "msg", null);
        lat.client.stopProvider(a.id(), "msg");
        CloudEvent started = lat.awaitEvent("provider_started", e -> true);
        assertThat(started.source()).isEqualTo(a.id());
        assertThat(started.id()).isNotBlank();
        assertThat(started.time()).isNotBlank();
        assertThat(started.data().path("provider_ref").asText()).isEqualTo("spindle:messaging");
        lat.awaitEvent("provider_stopped", e -> e.data().path("provider_id").asText().equals("msg"));
        JsonNode raw = Json.MAPPER.valueToTree(started);
        assertThat(raw.fieldNames()).toIterable().contains("specversion", "id", "source", "type", "time", "datacontenttype", "data");
    }
}
