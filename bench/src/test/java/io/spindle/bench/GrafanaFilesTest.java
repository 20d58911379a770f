package io.spindle.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.downsample.stream.StreamConfig;
import io.spindle.downsample.stream.StreamingLttb;
import io.spindle.downsample.tier.TierConfig;
import io.spindle.http.HttpOptions;
import io.spindle.http.HttpServer;
import io.spindle.http.Metrics;
import io.spindle.sources.sim.ChannelGenerator;
import io.spindle.sources.sim.MachineSimulator;
import io.spindle.sources.sim.SimulatorConfig;
import io.spindle.store.SeriesStore;
import io.spindle.store.StoreConfig;
import io.spindle.store.Stores;
import io.spindle.store.WriteBatch;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files in {@code grafana/}: they parse, the dashboard uses only the provisioned data source, the README's
 * mounts match the provisioning, and every panel's queries (variables resolved through {@code POST /variable} as the
 * simpod-json-datasource plugin sends it) get data from a real server over a store filled by the simulator.
 */
class GrafanaFilesTest {
    /** Surefire runs in the module directory; the checkout is its parent. */
    private static final Path GRAFANA = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent().resolve("grafana");
    private static final Path DASHBOARD = GRAFANA.resolve("dashboards/spindle-machine.json");
    private static final Path DATASOURCES = GRAFANA.resolve("provisioning/datasources/spindle.yaml");
    private static final Path DASHBOARDS = GRAFANA.resolve("provisioning/dashboards/spindle.yaml");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SECONDS = 20, START_NS = 1_767_225_600_000_000_000L;

    /**
     * "key: value" pairs of a small YAML file (no YAML library on this class path): comments dropped, list dashes
     * and indentation ignored, quotes removed. Enough for the flat provisioning files; a line that is neither a
     * comment, a key nor blank fails the test, so a file this cannot read is noticed.
     */
    static Map<String, List<String>> yamlScalars(Path file) throws IOException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        Pattern kv = Pattern.compile("^\\s*(?:-\\s+)?([A-Za-z_][A-Za-z0-9_]*):(?:\\s+(.*))?$");
        int no = 0;
        for (String line : Files.readAllLines(file)) {
            no++;
            String l = line.replaceAll("\\s+#.*$", "");
            if (l.isBlank() || l.strip().startsWith("#")) continue;
            Matcher m = kv.matcher(l);
            assertThat(m.matches()).as("%s:%d is not a 'key: value' line: %s", file, no, line).isTrue();
            String v = m.group(2) == null ? "" : m.group(2).strip();
            if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'")))
                v = v.substring(1, v.length() - 1);
            out.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(v);
        }
        return out;
    }

    @Test
    void provisioningNamesThePluginAndTheDashboardDirectory() throws IOException {
        Map<String, List<String>> ds = yamlScalars(DATASOURCES);
        assertThat(ds.get("apiVersion")).containsExactly("1");
        assertThat(ds.get("type")).containsExactly("simpod-json-datasource");
        assertThat(ds.get("uid")).containsExactly("spindle");
        assertThat(ds.get("access")).containsExactly("proxy");
        assertThat(ds.get("url")).containsExactly("$SPINDLE_URL");
        assertThat(ds.get("defaultEditorMode")).containsExactly("code");

        Map<String, List<String>> db = yamlScalars(DASHBOARDS);
        assertThat(db.get("apiVersion")).containsExactly("1");
        assertThat(db.get("type")).containsExactly("file");
        String path = db.get("path").get(0);

        String readme = Files.readString(GRAFANA.resolve("README.md"));
        assertThat(readme).contains("GF_INSTALL_PLUGINS=" + ds.get("type").get(0))
                .contains("-e SPINDLE_URL=")
                .contains("/grafana/provisioning:/etc/grafana/provisioning")
                .contains("/grafana/dashboards:" + path);
    }

    @Test
    void dashboardIsValidAndUsesOnlyTheProvisionedDataSource() throws IOException {
        String uid = yamlScalars(DATASOURCES).get("uid").get(0);
        JsonNode d = JSON.readTree(DASHBOARD.toFile());
        assertThat(d.get("uid").asText()).isNotBlank();
        assertThat(d.get("title").asText()).isNotBlank();
        assertThat(d.get("schemaVersion").asInt()).isBetween(36, 45);
        Set<Integer> ids = new HashSet<>();
        int targets = 0;
        for (JsonNode p : d.get("panels")) {
            assertThat(ids.add(p.get("id").asInt())).as("panel id %s is unique", p.get("id")).isTrue();
            JsonNode g = p.get("gridPos");
            assertThat(g.get("x").asInt() + g.get("w").asInt()).as(p.get("title").asText()).isLessThanOrEqualTo(24);
            if (p.get("type").asText().equals("row")) continue;
            assertThat(p.get("type").asText()).isEqualTo("timeseries");
            assertThat(p.at("/datasource/uid").asText()).as(p.get("title").asText()).isEqualTo(uid);
            assertThat(p.at("/fieldConfig/defaults/custom/spanNulls").isBoolean() && p.at("/fieldConfig/defaults/custom/spanNulls").asBoolean())
                    .as("%s draws gaps as breaks", p.get("title").asText()).isFalse();
            for (JsonNode t : p.get("targets")) {
                targets++;
                assertThat(t.at("/datasource/uid").asText()).as(p.get("title") + " " + t.get("refId")).isEqualTo(uid);
                assertThat(t.at("/datasource/type").asText()).isEqualTo("simpod-json-datasource");
                assertThat(t.get("target").asText()).isNotBlank();
                assertThat(t.get("editorMode").asText()).isEqualTo("code");
                JsonNode payload = JSON.readTree(t.get("payload").asText());
                assertThat(payload.get("source").asText()).isIn("raw", "tiers");
            }
        }
        assertThat(targets).isGreaterThanOrEqualTo(9);
        for (JsonNode v : d.at("/templating/list"))
            if (v.get("type").asText().equals("query")) assertThat(v.at("/datasource/uid").asText()).as(v.get("name").asText()).isEqualTo(uid);
    }

    @Test
    void everyPanelQueryGetsDataFromSpindle(@TempDir Path dir) throws Exception {
        try (SeriesStore store = Stores.open("sqlite:" + dir.resolve("s.db"), StoreConfig.defaults())) {
            TierConfig tiers = new TierConfig(StreamConfig.of(10_000_000L), 4, 6, 0, 1);
            fill(store, tiers);
            try (HttpServer server = HttpServer.start(new HttpOptions(InetAddress.getLoopbackAddress(), 0, null), store, tiers, new Metrics())) {
                Grafana grafana = new Grafana(URI.create(server.url()));
                JsonNode d = JSON.readTree(DASHBOARD.toFile());
                Map<String, List<String>> vars = grafana.resolveVariables(d.at("/templating/list"));
                assertThat(vars.get("machine")).containsExactly("sim");
                assertThat(vars.get("vib")).containsExactly("sim/vib0", "sim/vib1", "sim/vib2");
                assertThat(vars.get("series")).containsExactly("sim/vib0");

                int queried = 0;
                for (JsonNode p : d.get("panels")) {
                    if (p.get("type").asText().equals("row")) continue;
                    List<String> repeat = p.has("repeat") ? vars.get(p.get("repeat").asText()) : List.of("");
                    for (String value : repeat) {
                        Map<String, List<String>> scoped = new HashMap<>(vars);
                        if (p.has("repeat")) scoped.put(p.get("repeat").asText(), List.of(value));
                        for (JsonNode t : p.get("targets")) {
                            String what = p.get("title").asText() + " / " + t.get("refId").asText() + " (" + value + ")";
                            JsonNode frames = grafana.query(t, scoped, 500);
                            assertThat(frames.size()).as(what).isEqualTo(1);
                            JsonNode dp = frames.get(0).get("datapoints");
                            long nonNull = 0;
                            for (JsonNode x : dp) if (!x.get(0).isNull()) nonNull++;
                            assertThat(nonNull).as(what).isPositive();
                            assertThat(dp.size()).as(what).isLessThanOrEqualTo(500);
                            queried++;
                        }
                    }
                }
                assertThat(queried).isEqualTo(2 + 3 + 2 + 2 + 3);
            }
        }
    }

    /** The demo's machine "sim" (seed 42, three 10 kHz vibration channels) for SECONDS, tiers and raw. */
    private static void fill(SeriesStore store, TierConfig tiers) {
        MachineSimulator sim = new MachineSimulator(new SimulatorConfig("sim", 42, 3, 10_000, false, START_NS, 10));
        for (int ch = 0; ch < sim.channelCount(); ch++) {
            String series = sim.series(ch);
            ChannelGenerator g = sim.generator(ch, START_NS);
            int n = (int) (SECONDS * g.rateHz());
            long[] t = new long[n];
            double[] v = new double[n];
            g.next(t, v, n);
            List<long[]> pt = new ArrayList<>();
            List<double[]> pv = new ArrayList<>();
            int[] count = new int[tiers.levels()];
            for (int k = 0; k < tiers.levels(); k++) {
                pt.add(new long[n + 4]);
                pv.add(new double[n + 4]);
            }
            StreamingLttb[] e = new StreamingLttb[tiers.levels()];
            for (int k = tiers.levels() - 1; k >= 0; k--) {
                int tier = k;
                StreamingLttb next = k + 1 < e.length ? e[k + 1] : null;
                e[k] = new StreamingLttb(tiers.config(k), (tt, vv) -> {
                    pt.get(tier)[count[tier]] = tt;
                    pv.get(tier)[count[tier]++] = vv;
                    if (next != null) next.add(tt, vv);
                });
            }
            e[0].add(t, v, 0, n);
            for (StreamingLttb x : e) x.flush();
            WriteBatch b = store.batch().points(series, SeriesStore.RAW, t, v, 0, n);
            for (int k = 0; k < tiers.levels(); k++) if (count[k] > 0) b.points(series, k, pt.get(k), pv.get(k), 0, count[k]);
            b.commit();
        }
    }

    /** What the simpod-json-datasource plugin sends, with Grafana's variable interpolation in its "regex" format. */
    private static final class Grafana {
        private final URI base;
        private final HttpClient http = HttpClient.newHttpClient();
        private final String from = Instant.ofEpochMilli(START_NS / 1_000_000).toString();
        private final String to = Instant.ofEpochMilli(START_NS / 1_000_000 + SECONDS * 1000).toString();

        Grafana(URI base) {
            this.base = base;
        }

        ObjectNode range() {
            ObjectNode r = JSON.createObjectNode().put("from", from).put("to", to);
            r.putObject("raw").put("from", from).put("to", to);
            return r;
        }

        JsonNode post(String path, JsonNode body) throws IOException, InterruptedException {
            HttpResponse<String> resp = http.send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(resp.statusCode()).as("POST /%s %s -> %s", path, body, resp.body()).isEqualTo(200);
            return JSON.readTree(resp.body());
        }

        /** Query variables in dashboard order: /variable, then the variable's regex; "All" and the current value as Grafana picks them. */
        Map<String, List<String>> resolveVariables(JsonNode list) throws IOException, InterruptedException {
            Map<String, List<String>> vars = new LinkedHashMap<>();
            for (JsonNode v : list) {
                String name = v.get("name").asText();
                assertThat(v.get("type").asText()).as(name).isEqualTo("query");
                assertThat(v.at("/query/format").asText()).as(name).isEqualTo("string");
                ObjectNode body = JSON.createObjectNode();
                body.putObject("payload").put("target", interpolate(v.at("/query/query").asText(), vars));
                body.set("range", range());
                List<String> options = new ArrayList<>();
                String regex = v.path("regex").asText("");
                Pattern filter = regex.isEmpty() ? null : Pattern.compile(regex.substring(1, regex.lastIndexOf('/')));
                for (JsonNode o : post("variable", body)) {
                    String value = o.get("__value").asText();
                    assertThat(o.get("__text").asText()).isEqualTo(value);
                    if (filter == null || filter.matcher(value).find()) options.add(value);
                }
                assertThat(options).as("options of variable %s", name).isNotEmpty();
                JsonNode cur = v.at("/current/value");
                List<String> chosen = new ArrayList<>();
                if (cur.isArray() && cur.size() == 1 && cur.get(0).asText().equals("$__all")) chosen.addAll(options);
                else if (cur.isArray()) cur.forEach(c -> chosen.add(c.asText()));
                else chosen.add(cur.asText());
                assertThat(options).as("the default of variable %s is one of its options", name).containsAll(chosen);
                vars.put(name, chosen);
            }
            return vars;
        }

        /** POST /query for one target, as the plugin sends it in code mode (payload JSON text, variables replaced). */
        JsonNode query(JsonNode target, Map<String, List<String>> vars, int maxDataPoints) throws IOException, InterruptedException {
            ObjectNode t = JSON.createObjectNode().put("refId", target.get("refId").asText())
                    .put("target", interpolate(target.get("target").asText(), vars));
            t.set("payload", JSON.readTree(interpolate(target.get("payload").asText(), vars)));
            ObjectNode body = JSON.createObjectNode().put("panelId", 1).put("maxDataPoints", maxDataPoints)
                    .put("intervalMs", SECONDS * 1000 / maxDataPoints).put("interval", SECONDS * 1000 / maxDataPoints + "ms");
            body.set("range", range());
            ArrayNode ts = body.putArray("targets");
            ts.add(t);
            body.putArray("adhocFilters");
            return post("query", body);
        }

        /** $name replaced the way Grafana's "regex" format does: one value escaped, several as (a|b). */
        static String interpolate(String s, Map<String, List<String>> vars) {
            Matcher m = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)").matcher(s);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                List<String> vs = vars.get(m.group(1));
                assertThat(vs).as("variable $%s in '%s' is defined before use", m.group(1), s).isNotNull();
                List<String> esc = vs.stream().map(x -> x.replaceAll("([\\\\^$.|?*+()\\[\\]{}/])", "\\\\$1")).toList();
                m.appendReplacement(sb, Matcher.quoteReplacement(esc.size() == 1 ? esc.get(0) : "(" + String.join("|", esc) + ")"));
            }
            return m.appendTail(sb).toString();
        }
    }
}
