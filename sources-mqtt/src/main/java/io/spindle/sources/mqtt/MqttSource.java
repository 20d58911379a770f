package io.spindle.sources.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.exceptions.MqttSessionExpiredException;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttClientReconnector;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder;
import com.hivemq.client.mqtt.mqtt3.Mqtt3RxClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.Mqtt3Subscribe;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.Mqtt3Subscription;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAck;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import io.reactivex.FlowableSubscriber;
import io.spindle.sources.Source;
import io.spindle.sources.SourceCounters;
import io.spindle.sources.SourceSink;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Subscription;

/**
 * An MQTT source (MQTT 3.1.1, HiveMQ client): Sparkplug B edge nodes of the configured groups and plain JSON topics.
 * See the module README for the subscriptions, series naming, rebirth rules and config keys.
 *
 * <p>Threads: the HiveMQ client's I/O thread ({@code spindle-mqtt-io-<client id>}) only queues what arrives; one worker
 * ({@code spindle-mqtt-<client id>}) decodes and calls the sink, so a sink sees one thread and the broker's order.
 * Publishes are pulled from the client a window at a time, so a slow sink slows the broker's delivery (QoS 1) rather
 * than filling memory.
 */
public final class MqttSource implements Source {
    private static final System.Logger LOG = System.getLogger("spindle.sources.mqtt");
    private static final int WINDOW = 1024;

    private final MqttConfig config;
    private final String name;
    private final SourceCounters counters = new SourceCounters();
    private final SparkplugCounters sparkplugCounters = new SparkplugCounters();
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean connectedOnce = new AtomicBoolean();
    private final AtomicBoolean up = new AtomicBoolean();
    private final Mqtt3RxClient client;
    private final Mqtt3Subscribe subscribe;
    private volatile boolean closed;
    private volatile Subscription publishes;
    private volatile CompletableFuture<Void> reconnectGate;
    private Thread worker;
    private SparkplugHandler sparkplug;
    private JsonTopicHandler json;
    private Emitter out;

    /** A source with the given settings; nothing connects before {@link #start}. */
    public MqttSource(MqttConfig config) {
        this.config = config;
        this.name = "mqtt:" + config.clientId() + "@" + config.broker().substring("tcp://".length());
        String threadSuffix = config.clientId();
        Mqtt3ClientBuilder b = MqttClient.builder().useMqttVersion3()
            .identifier(config.clientId())
            .serverHost(config.host())
            .serverPort(config.port())
            .executorConfig()
                .nettyExecutor(r -> Thread.ofPlatform().name("spindle-mqtt-io-" + threadSuffix).daemon(true).start(r))
                .nettyThreads(1)
                .applyExecutorConfig()
            .automaticReconnect()
                .initialDelay(config.reconnectInitial().toNanos(), TimeUnit.NANOSECONDS)
                .maxDelay(config.reconnectMax().toNanos(), TimeUnit.NANOSECONDS)
                .applyAutomaticReconnect()
            .addConnectedListener(ctx -> onConnected())
            .addDisconnectedListener(this::onDisconnected);
        if (config.username() != null) {
            var auth = b.simpleAuth().username(config.username());
            if (config.password() != null) auth = auth.password(config.password().getBytes(StandardCharsets.UTF_8));
            b = auth.applySimpleAuth();
        }
        this.client = b.buildRx();
        List<Mqtt3Subscription> subs = new ArrayList<>();
        MqttQos qos = MqttQos.fromCode(config.qos());
        for (String g : config.groups()) {
            for (String f : SparkplugTopic.filters(g)) subs.add(Mqtt3Subscription.builder().topicFilter(f).qos(qos).build());
        }
        for (String f : config.jsonTopics()) subs.add(Mqtt3Subscription.builder().topicFilter(f).qos(qos).build());
        this.subscribe = Mqtt3Subscribe.builder().addSubscriptions(subs).build();
    }

    /** A source from string keys (broker, client_id, groups, json_topics, ...: see the README); bad keys throw. */
    public static MqttSource fromConfig(Map<String, String> config) {
        return new MqttSource(MqttConfigKeys.parse(config));
    }

    @Override
    public String name() {
        return name;
    }

    /** The settings in force. */
    public MqttConfig config() {
        return config;
    }

    @Override
    public void start(SourceSink sink) {
        if (!started.compareAndSet(false, true)) throw new IllegalStateException(name + ": already started");
        if (closed) throw new IllegalStateException(name + ": closed");
        out = new Emitter(name, sink, counters);
        if (!config.groups().isEmpty()) {
            sparkplug = new SparkplugHandler(out, sparkplugCounters, config.naming(), config.rebirth(),
                config.rebirthInterval().toNanos(), this::publishRebirth, System::currentTimeMillis);
        }
        if (!config.jsonTopics().isEmpty()) json = new JsonTopicHandler(out, System::currentTimeMillis);
        client.publishes(MqttGlobalPublishFilter.ALL).subscribe(new Inbox());
        worker = Thread.ofPlatform().name("spindle-mqtt-" + config.clientId()).daemon(true).start(this::work);
        client.toAsync().connectWith()
            .cleanSession(true) // Sparkplug 3.0: host applications connect with a clean session
            .keepAlive(config.keepAliveSeconds())
            .send()
            .whenComplete((ack, error) -> {
                if (error != null) {
                    counters.lastError("connect to " + config.broker() + " failed: " + message(error)
                        + " (retrying)");
                    LOG.log(System.Logger.Level.WARNING, () -> name + ": " + counters.lastError());
                }
            });
    }

    @Override
    public SourceCounters counters() {
        return counters;
    }

    /** Counters of the Sparkplug B session tracking (births, deaths, sequence gaps, rebirth requests). */
    public SparkplugCounters sparkplugCounters() {
        return sparkplugCounters;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        CompletableFuture<Void> gate = reconnectGate;
        if (gate != null) gate.complete(null); // a pending reconnect sees closed and gives up
        try {
            client.toAsync().disconnect().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // not connected (never, or between reconnects): nothing to say goodbye to
        }
        Subscription s = publishes;
        if (s != null) s.cancel();
        Thread w = worker;
        if (w != null) {
            w.interrupt();
            if (w != Thread.currentThread()) {
                try {
                    w.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        counters.connected(false);
    }

    private void work() {
        int consumed = 0;
        while (!closed) {
            Object item;
            try {
                item = inbox.take();
            } catch (InterruptedException e) {
                break;
            }
            if (closed) break;
            try {
                if (item instanceof Mqtt3Publish p) {
                    handle(p);
                    Subscription s = publishes;
                    if (++consumed >= WINDOW / 2 && s != null) {
                        s.request(consumed);
                        consumed = 0;
                    }
                } else {
                    ((Runnable) item).run();
                }
            } catch (RuntimeException e) { // a failing sink must not end the source
                counters.lastError("sink failed: " + e);
                LOG.log(System.Logger.Level.WARNING, name + ": sink failed", e);
            }
        }
    }

    private void handle(Mqtt3Publish p) {
        String topic = p.getTopic().toString();
        byte[] payload = p.getPayloadAsBytes();
        counters.bytes.addAndGet(payload.length + topic.length());
        if (sparkplug != null && topic.startsWith(SparkplugTopic.NAMESPACE + '/')) {
            sparkplug.onMessage(topic, payload);
        } else if (json != null) {
            json.onMessage(topic, payload);
        } else {
            out.reject(topic, "no configured group or JSON topic matches");
        }
    }

    private void onConnected() {
        if (closed) {
            client.toAsync().disconnect(); // a reconnect that was under way when close() ran
            return;
        }
        up.set(true);
        if (connectedOnce.getAndSet(true)) counters.reconnects.incrementAndGet();
        LOG.log(System.Logger.Level.INFO, () -> name + ": connected to " + config.broker());
        client.toAsync().subscribe(subscribe).whenComplete((ack, error) -> {
            if (error != null) {
                counters.lastError("subscribe failed: " + message(error));
                LOG.log(System.Logger.Level.WARNING, () -> name + ": " + counters.lastError());
                return;
            }
            refused(ack);
            if (up.get()) counters.connected(true); // connected = able to receive: subscribed
            inbox.add((Runnable) () -> {
                if (sparkplug != null) sparkplug.subscribed();
            });
        });
    }

    private void refused(Mqtt3SubAck ack) {
        List<Mqtt3SubAckReturnCode> codes = ack.getReturnCodes();
        List<? extends Mqtt3Subscription> subs = subscribe.getSubscriptions();
        for (int i = 0; i < codes.size() && i < subs.size(); i++) {
            if (codes.get(i) == Mqtt3SubAckReturnCode.FAILURE) {
                String filter = subs.get(i).getTopicFilter().toString();
                counters.lastError("broker " + config.broker() + " refused the subscription to " + filter);
                LOG.log(System.Logger.Level.WARNING, () -> name + ": " + counters.lastError());
            }
        }
    }

    private void onDisconnected(MqttClientDisconnectedContext ctx) {
        counters.connected(false);
        MqttClientReconnector r = ctx.getReconnector();
        if (closed) {
            r.reconnect(false);
            return;
        }
        r.resubscribeIfSessionExpired(false); // onConnected subscribes, then asks for the missed births
        if (ctx.getSource() != MqttDisconnectSource.USER) {
            counters.lastError("broker " + config.broker() + ": " + message(ctx.getCause()));
        }
        if (up.getAndSet(false)) {
            long t = System.currentTimeMillis() * 1_000_000L;
            LOG.log(System.Logger.Level.INFO, () -> name + ": connection lost: " + message(ctx.getCause()));
            inbox.add((Runnable) () -> {
                if (sparkplug != null) sparkplug.connectionLost(t);
                if (json != null) json.connectionLost(t);
            });
        }
        if (r.isReconnect()) {
            // wait out the automatic reconnect's backoff on a gate that close() can open early
            CompletableFuture<Void> gate = new CompletableFuture<>();
            gate.completeOnTimeout(null, r.getDelay(TimeUnit.NANOSECONDS), TimeUnit.NANOSECONDS);
            reconnectGate = gate;
            r.delay(0, TimeUnit.NANOSECONDS).reconnectWhen(gate, (v, e) -> {
                if (closed) r.reconnect(false);
            });
            if (closed) gate.complete(null);
        }
    }

    private void publishRebirth(String group, String edgeNode) {
        String topic = SparkplugTopic.ncmd(group, edgeNode);
        LOG.log(System.Logger.Level.INFO, () -> name + ": requesting rebirth of " + group + "/" + edgeNode);
        client.toAsync().publishWith()
            .topic(topic)
            .qos(MqttQos.AT_MOST_ONCE) // Sparkplug 3.0: NCMD with QoS 0, not retained
            .retain(false)
            .payload(RebirthRequest.payload(System.currentTimeMillis()))
            .send()
            .whenComplete((ack, error) -> {
                if (error != null) counters.lastError("rebirth request on " + topic + " failed: " + message(error));
            });
    }

    private static String message(Throwable t) {
        if (t == null) return "disconnected";
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    /**
     * Takes publishes from the client into the inbox, WINDOW at a time ahead of the worker (which requests more as it
     * goes; after a new flow replaces an ended one, at most WINDOW extra may be granted once).
     */
    private final class Inbox implements FlowableSubscriber<Mqtt3Publish> {
        @Override
        public void onSubscribe(Subscription s) {
            publishes = s;
            s.request(WINDOW);
        }

        @Override
        public void onNext(Mqtt3Publish p) {
            inbox.add(p);
        }

        @Override
        public void onError(Throwable t) {
            // a clean session ends the client's publish flows with the connection: take a new one for the next
            if (closed) return;
            if (!(t instanceof MqttSessionExpiredException)) {
                counters.lastError("publish stream failed: " + message(t));
                LOG.log(System.Logger.Level.WARNING, () -> name + ": " + counters.lastError());
            }
            client.publishes(MqttGlobalPublishFilter.ALL).subscribe(new Inbox());
        }

        @Override
        public void onComplete() {
        }
    }
}
