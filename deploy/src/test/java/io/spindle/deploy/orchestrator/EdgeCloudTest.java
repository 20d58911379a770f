package io.spindle.deploy.orchestrator;

import static io.spindle.deploy.orchestrator.DeployFixture.await;
import static io.spindle.deploy.orchestrator.DeployFixture.component;
import static org.assertj.core.api.Assertions.assertThat;

import io.spindle.codec.SampleBatch;
import io.spindle.codec.SampleBatchCodec;
import io.spindle.host.Host;
import io.spindle.host.Series;
import io.spindle.lattice.Subjects;
import io.spindle.lattice.transport.DurableStream;
import io.spindle.lattice.transport.NatsLeafTopology;
import io.spindle.lattice.transport.NatsTransport;
import io.spindle.lattice.transport.Transport;
import io.spindle.store.SeriesStore;
import io.spindle.store.StoreConfig;
import io.spindle.store.Stores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Edge and cloud on real NATS: a cloud nats-server with JetStream and an edge nats-server joined to it as a leaf
 * node; the edge host (zone=edge) on the edge server, the cloud host (zone=cloud) and the orchestrator on the cloud
 * one. A simulated machine streams 10 kHz vibration plus process channels on the edge; LTTB moves edge -> cloud and
 * back while it streams, the leaf is cut for 2 s and restored; the stored tier 0 in the cloud equals one
 * uninterrupted run of the Java engine over everything the edge accepted, and the raw vibration has no gap.
 */
class EdgeCloudTest {
    static final String L = "ec";

    @Test
    void theDownsamplerMovesBetweenEdgeAndCloudWithItsStateWhileTenKilohertzStreamsAndALeafCutLosesNothing(@TempDir Path dir)
            throws Exception {
        Assumptions.assumeTrue(NatsLeafTopology.available(), "nats-server is not installed (Debian package nats-server)");
        try (NatsLeafTopology nats = NatsLeafTopology.start(dir.resolve("nats"));
             Transport edgeT = NatsTransport.connect(nats.edgeUrl(), "edge-1");
             Transport cloudT = NatsTransport.connect(nats.cloudUrl(), "cloud-1");
             Transport orchT = NatsTransport.connect(nats.cloudUrl(), "orchestrator");
             Transport ctl = NatsTransport.connect(nats.cloudUrl(), "test");
             DeployFixture f = new DeployFixture(ctl, L)) {
            Host edge = f.host("edge-1", Map.of("zone", "edge"), edgeT, dir.resolve("edge-1"));
            Host cloud = f.host("cloud-1", Map.of("zone", "cloud"), cloudT, dir.resolve("cloud-1"));
            f.orchestrator(orchT);
            Subjects s = new Subjects(L);
            DurableStream ds = ctl.stream(s.dataStream(), List.of(s.dataSubjects()));
            Path db = dir.resolve("cloud-store.db");

            f.models.put(manifest("v1", "edge", 1, db), Map.of());
            f.models.put(manifest("v2", "cloud", 1, db), Map.of());
            f.models.put(manifest("v3", "edge", 0, db), Map.of());
            f.models.deploy("edge-cloud", "v1");
            f.awaitStatus("edge-cloud", AppStatus.DEPLOYED, "v1");
            assertThat(f.where("lttb")).containsExactly("edge-1");
            assertThat(f.where("sim")).containsExactly("edge-1");
            assertThat(f.where("store")).containsExactly("cloud-1");
            Thread.sleep(1500);

            nats.cutLeaf(); // the edge keeps accepting: the source spools what it cannot publish
            Thread.sleep(2000);
            nats.restoreLeaf();
            Thread.sleep(1000);

            f.models.deploy("edge-cloud", "v2"); // edge -> cloud during the stream
            f.awaitStatus("edge-cloud", AppStatus.DEPLOYED, "v2");
            assertThat(f.where("lttb")).containsExactly("cloud-1");
            Thread.sleep(1500);
            f.models.rollback("edge-cloud"); // cloud -> edge
            f.awaitStatus("edge-cloud", AppStatus.DEPLOYED, "v1");
            assertThat(f.where("lttb")).containsExactly("edge-1");
            Thread.sleep(1000);
            f.models.deploy("edge-cloud", "v3"); // the machine stops: the simulator provider is stopped and flushes
            f.awaitStatus("edge-cloud", AppStatus.DEPLOYED, "v3");
            assertThat(f.where("sim")).isEmpty();

            // everything the edge accepted is in the stream; the component catches up with it
            Stream all = read(ds, s);
            assertThat(all.raw).isNotEmpty();
            await("lttb processed every raw batch", () -> edge.feeds().size() == 1 && edge.feeds().get(0).lastOffset() >= all.lastRawSeq);
            Stream done = read(ds, s);
            int[] dups = {0};
            Map<String, List<Series.Point>> got = Series.dedupe(done.lttb, dups);
            Map<String, List<Series.Point>> want = Series.javaEngine(done.raw, Manifest.BUCKET);
            assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(want.keySet());
            for (String series : want.keySet()) assertThat(got.get(series)).as(series).containsExactlyElementsOf(want.get(series));
            assertThat(want.get("press/vib0").size()).as("about 7 s of 10 kHz in 10 ms buckets").isGreaterThan(500);

            // the raw vibration the simulator produced has no gap and no repeat, across the cut and the moves
            long[] t = times(done.raw, "press/vib0");
            for (int i = 1; i < t.length; i++) assertThat(t[i] - t[i - 1]).as("step at " + i).isEqualTo(100_000L);

            // and the store in the cloud holds exactly that tier 0
            await("the cloud store committed tier 0", () -> stored(db, want));
            try (SeriesStore store = Stores.open("sqlite:" + db, StoreConfig.defaults())) {
                for (var e : want.entrySet()) {
                    long[] ts = new long[e.getValue().size() + 1];
                    double[] vs = new double[ts.length];
                    int n = store.read(e.getKey(), 0, Long.MIN_VALUE, Long.MAX_VALUE, ts.length, ts, vs);
                    assertThat(n).as(e.getKey()).isEqualTo(e.getValue().size());
                    for (int i = 0; i < n; i++) assertThat(new Series.Point(ts[i], vs[i])).isEqualTo(e.getValue().get(i));
                }
            }
        }
    }

    private static boolean stored(Path db, Map<String, List<Series.Point>> want) {
        try (SeriesStore store = Stores.open("sqlite:" + db, StoreConfig.defaults())) {
            for (var e : want.entrySet())
                if (store.count(e.getKey(), 0, Long.MIN_VALUE, Long.MAX_VALUE) != e.getValue().size()) return false;
            return true;
        } catch (RuntimeException busy) {
            return false;
        }
    }

    private static long[] times(List<Series.Batch> raw, String series) {
        List<Long> out = new ArrayList<>();
        for (Series.Batch b : raw) if (b.series().equals(series)) for (long x : b.t()) out.add(x);
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    private record Stream(List<Series.Batch> raw, List<Map.Entry<String, List<Series.Point>>> lttb, long lastRawSeq) {
    }

    private static Stream read(DurableStream ds, Subjects s) throws Exception {
        long last = ds.lastSequence();
        List<Series.Batch> raw = new ArrayList<>();
        List<Map.Entry<String, List<Series.Point>>> lttb = new ArrayList<>();
        long[] lastRaw = {0};
        CountDownLatch done = new CountDownLatch(1);
        SampleBatch sb = new SampleBatch();
        try (AutoCloseable c = ds.consume(s.dataSubjects(), 1, (seq, subject, data) -> {
            if (seq > last) return;
            boolean isRaw = subject.startsWith("spindle.data." + L + ".raw.");
            if (isRaw || subject.startsWith("spindle.data." + L + ".lttb.")) {
                SampleBatchCodec.decode(data, sb);
                long[] ts = new long[sb.count()];
                double[] vs = new double[sb.count()];
                for (int i = 0; i < ts.length; i++) {
                    ts[i] = sb.time(i);
                    vs[i] = sb.value(i);
                }
                if (isRaw) {
                    raw.add(new Series.Batch(subject, sb.series(), ts, vs));
                    lastRaw[0] = seq;
                } else {
                    List<Series.Point> pts = new ArrayList<>();
                    for (int i = 0; i < ts.length; i++) pts.add(new Series.Point(ts[i], vs[i]));
                    lttb.add(Map.entry(sb.series(), pts));
                }
            }
            if (seq == last) done.countDown();
        })) {
            if (last > 0 && !done.await(30, TimeUnit.SECONDS)) throw new AssertionError("stream not read up to " + last);
        }
        return new Stream(raw, lttb, lastRaw[0]);
    }

    /** Simulator on the edge (one 10 kHz channel, instances 0 stops it), messaging everywhere, LTTB by zone, store in the cloud. */
    static String manifest(String version, String lttbZone, int simulators, Path db) {
        return """
                apiVersion: core.oam.dev/v1beta1
                kind: Application
                metadata:
                  name: edge-cloud
                  annotations:
                    version: %1$s
                spec:
                  components:
                    - name: sim
                      type: capability
                      properties:
                        image: spindle:source-simulator
                        id: sim
                        config:
                          - name: press
                            properties: {machine: press, channels: "1", rate_hz: "10000", paced: "true", seed: "3"}
                      traits:
                        - type: daemonscaler
                          properties:
                            instances: %3$d
                            spread:
                              - name: edge
                                requirements: {zone: edge}
                    - name: messaging
                      type: capability
                      properties:
                        image: spindle:messaging
                      traits:
                        - type: daemonscaler
                          properties:
                            instances: 1
                        - type: link
                          properties:
                            target: lttb
                            namespace: spindle
                            package: telemetry
                            interfaces: [processor]
                            source:
                              config:
                                - name: lttb-feed
                                  properties:
                                    subscribe: "spindle.data.%5$s.raw.>"
                                    publish-prefix: "spindle.data.%5$s.lttb"
                    - name: lttb
                      type: component
                      properties:
                        image: "%2$s"
                        id: lttb
                        config:
                          - name: lttb-settings
                            properties:
                              bucket-nanos: "%6$d"
                      traits:
                        - type: spreadscaler
                          properties:
                            instances: 1
                            spread:
                              - name: %4$s
                                requirements: {zone: %4$s}
                    - name: store
                      type: capability
                      properties:
                        image: spindle:store
                        id: store
                        config:
                          - name: cloud-store
                            properties:
                              uri: "sqlite:%7$s"
                      traits:
                        - type: spreadscaler
                          properties:
                            instances: 1
                            spread:
                              - name: cloud
                                requirements: {zone: cloud}
                """.formatted(version, component("components/lttb/lttb.wasm"), simulators, lttbZone, L, Manifest.BUCKET, db);
    }
}
