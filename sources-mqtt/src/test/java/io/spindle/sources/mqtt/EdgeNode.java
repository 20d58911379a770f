package io.spindle.sources.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;

/**
 * A Sparkplug B edge node for the tests, built on Eclipse Tahu's model and encoder and published with the HiveMQ
 * client: births with aliases, DATA by alias, deaths (its NDEATH is also its MQTT will), and rebirth on request.
 * Publishing methods are synchronized so that seq follows publish order across the test thread and the NCMD handler.
 */
final class EdgeNode implements AutoCloseable {
    /** A metric the node or one of its devices declares in its birth. */
    record Def(String name, long alias, MetricDataType type, Object value) {
    }

    final String group;
    final String id;
    private final Mqtt3AsyncClient client;
    private final SparkplugBPayloadEncoder encoder = new SparkplugBPayloadEncoder();
    private final List<Def> nodeMetrics = new ArrayList<>();
    private final Map<String, List<Def>> devices = new LinkedHashMap<>();
    private final List<Long> rebirthRequests = new CopyOnWriteArrayList<>();
    private final List<String> malformedCommands = new CopyOnWriteArrayList<>();
    private final ExecutorService commands;
    private long bdSeq;
    private int seq;
    private volatile boolean answerRebirths = true;

    EdgeNode(int port, String group, String id, long bdSeq) {
        this.group = group;
        this.id = id;
        this.bdSeq = bdSeq;
        this.commands = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-edge-node-" + id));
        this.client = MqttClient.builder().useMqttVersion3().identifier("edge-" + id + "-" + System.nanoTime())
            .serverHost("127.0.0.1").serverPort(port).buildAsync();
    }

    EdgeNode nodeMetric(String name, long alias, MetricDataType type, Object value) {
        nodeMetrics.add(new Def(name, alias, type, value));
        return this;
    }

    EdgeNode deviceMetric(String device, String name, long alias, MetricDataType type, Object value) {
        devices.computeIfAbsent(device, d -> new ArrayList<>()).add(new Def(name, alias, type, value));
        return this;
    }

    /** Connects with the NDEATH as will, subscribes to its NCMD topic and publishes its births. */
    void connectAndBirth() throws Exception {
        connect();
        birth();
    }

    void connect() throws Exception {
        client.connectWith().cleanSession(true).keepAlive(30)
            .willPublish().topic(topic("NDEATH", null)).qos(MqttQos.AT_LEAST_ONCE).payload(deathPayload(bdSeq))
            .applyWillPublish()
            .send().get(10, TimeUnit.SECONDS);
        client.subscribeWith().topicFilter(SparkplugTopic.ncmd(group, id)).qos(MqttQos.AT_LEAST_ONCE)
            .callback(this::onCommand).executor(commands).send().get(10, TimeUnit.SECONDS);
    }

    /** Whether an NCMD rebirth request makes the node publish its births again (the default). */
    void answerRebirths(boolean on) {
        answerRebirths = on;
    }

    /** The receive times of the rebirth requests so far. */
    List<Long> rebirthRequests() {
        return List.copyOf(rebirthRequests);
    }

    /** NCMDs that were not well-formed rebirth requests. */
    List<String> malformedCommands() {
        return List.copyOf(malformedCommands);
    }

    private void onCommand(Mqtt3Publish p) {
        try {
            SparkplugBPayload payload = new SparkplugBPayloadDecoder().buildFromByteArray(p.getPayloadAsBytes(), null);
            boolean rebirth = payload.getMetrics().stream().anyMatch(m -> m.getName().equals("Node Control/Rebirth")
                && m.getDataType() == MetricDataType.Boolean && Boolean.TRUE.equals(m.getValue()));
            // Sparkplug 3.0: an NCMD is QoS 0, not retained, with a timestamp; a rebirth request carries no seq
            if (!rebirth || payload.getTimestamp() == null || payload.getSeq() != null || p.isRetain()
                || p.getQos() != MqttQos.AT_MOST_ONCE) {
                malformedCommands.add(p.toString());
                return;
            }
            rebirthRequests.add(System.nanoTime());
            if (answerRebirths) birth();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** NBIRTH (seq 0, bdSeq, Node Control/Rebirth, node metrics) and a DBIRTH per device. */
    synchronized void birth() throws Exception {
        seq = 0;
        long now = System.currentTimeMillis();
        SparkplugBPayload.SparkplugBPayloadBuilder nb = new SparkplugBPayload.SparkplugBPayloadBuilder()
            .setTimestamp(new Date(now)).setSeq(0L)
            .addMetric(new Metric.MetricBuilder("bdSeq", MetricDataType.Int64, bdSeq).timestamp(new Date(now))
                .createMetric())
            .addMetric(new Metric.MetricBuilder("Node Control/Rebirth", MetricDataType.Boolean, false)
                .timestamp(new Date(now)).createMetric());
        for (Def d : nodeMetrics) nb.addMetric(birthMetric(d, now));
        publish(topic("NBIRTH", null), encoder.getBytes(nb.createPayload(), false));
        for (Map.Entry<String, List<Def>> e : devices.entrySet()) {
            SparkplugBPayload.SparkplugBPayloadBuilder db = new SparkplugBPayload.SparkplugBPayloadBuilder()
                .setTimestamp(new Date(now)).setSeq((long) nextSeq());
            for (Def d : e.getValue()) db.addMetric(birthMetric(d, now));
            publish(topic("DBIRTH", e.getKey()), encoder.getBytes(db.createPayload(), false));
        }
    }

    private static Metric birthMetric(Def d, long now) throws Exception {
        return new Metric.MetricBuilder(d.name, d.type, d.value).alias(d.alias).timestamp(new Date(now)).createMetric();
    }

    /** DDATA (device) or NDATA (device null) with one metric by alias. */
    synchronized void data(String device, long alias, MetricDataType type, Object value, long tMillis)
        throws Exception {
        data(device, new Metric.MetricBuilder(alias, type, value).timestamp(new Date(tMillis)).createMetric());
    }

    /** DDATA or NDATA with the given metrics (aliases only: births gave the names). */
    synchronized void data(String device, Metric... metrics) throws Exception {
        SparkplugBPayload.SparkplugBPayloadBuilder b = new SparkplugBPayload.SparkplugBPayloadBuilder()
            .setTimestamp(new Date()).setSeq((long) nextSeq());
        for (Metric m : metrics) b.addMetric(m);
        publish(topic(device == null ? "NDATA" : "DDATA", device), encoder.getBytes(b.createPayload(), true));
    }

    /** Loses a message: the next one carries a seq one too far. */
    synchronized void skipSeq() {
        nextSeq();
    }

    synchronized void deviceDeath(String device) throws Exception {
        SparkplugBPayload p = new SparkplugBPayload.SparkplugBPayloadBuilder().setTimestamp(new Date())
            .setSeq((long) nextSeq()).createPayload();
        publish(topic("DDEATH", device), encoder.getBytes(p, false));
    }

    /** Publishes an NDEATH with the given bdSeq (the node's own or a stale one). */
    synchronized void nodeDeath(long withBdSeq) throws Exception {
        publish(topic("NDEATH", null), deathPayload(withBdSeq));
    }

    long bdSeq() {
        return bdSeq;
    }

    /** A new MQTT session would use the next bdSeq; the tests set it before reconnecting. */
    void bdSeq(long value) {
        bdSeq = value;
    }

    synchronized void publishRaw(String topic, byte[] payload) throws Exception {
        publish(topic, payload);
    }

    String topic(String type, String device) {
        return "spBv1.0/" + group + "/" + type + "/" + id + (device == null ? "" : "/" + device);
    }

    private byte[] deathPayload(long withBdSeq) throws Exception {
        SparkplugBPayload p = new SparkplugBPayload.SparkplugBPayloadBuilder().setTimestamp(new Date())
            .addMetric(new Metric.MetricBuilder("bdSeq", MetricDataType.Int64, withBdSeq).createMetric())
            .createPayload();
        return encoder.getBytes(p, false);
    }

    private int nextSeq() {
        seq = (seq + 1) & 0xFF;
        return seq;
    }

    private void publish(String topic, byte[] payload) throws Exception {
        client.publishWith().topic(topic).qos(MqttQos.AT_MOST_ONCE).payload(payload).send().get(10, TimeUnit.SECONDS);
    }

    boolean connected() {
        return client.getState().isConnected();
    }

    @Override
    public void close() {
        try {
            if (client.getState().isConnected()) client.disconnect().get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            // the broker went away first (a killed broker): nothing to disconnect from
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("edge node " + id + " did not disconnect within 10 s", e);
        } finally {
            commands.shutdownNow();
        }
    }
}
