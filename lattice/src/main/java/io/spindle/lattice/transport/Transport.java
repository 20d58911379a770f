package io.spindle.lattice.transport;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the lattice needs from a message system: subjects with NATS semantics ({@code .}-separated tokens, {@code *}
 * one token, {@code >} the rest), request/reply, scatter-gather, key-value buckets with watches, and durable streams.
 * Two implementations: {@link NatsTransport} (a real nats-server with JetStream) and {@link InProcessTransport}
 * (one JVM, for {@code spindle demo} and embedded use). Thread-safe.
 */
public interface Transport extends AutoCloseable {
    /** Publishes data on subject (fire and forget; delivered to current subscribers only). */
    void publish(String subject, byte[] data);

    /** Publishes with a reply subject, for responders that answer with {@link Msg#replyTo()}. */
    void publish(String subject, String replyTo, byte[] data);

    /**
     * Subscribes to a subject (wildcards allowed); with a queue group, each message goes to one member of the group.
     * Handlers run on the transport's dispatcher threads, one message at a time per subscription.
     */
    Subscription subscribe(String subject, String queueGroup, MessageHandler handler);

    /** Sends a request and completes with the first reply, or exceptionally with a TransportException on timeout. */
    CompletableFuture<Msg> request(String subject, byte[] data, Duration timeout);

    /** Sends a request and collects every reply that arrives within window (scatter-gather, e.g. host.get). */
    List<Msg> requestMany(String subject, byte[] data, Duration window);

    /** A fresh subject for replies that no one else will use. */
    String newInbox();

    /** The key-value bucket of that name, created when missing (history 1, file storage on NATS). */
    KeyValueBucket keyValue(String bucket);

    /** The durable stream of that name capturing subjects, created when missing (file storage on NATS). */
    DurableStream stream(String name, List<String> subjects);

    /** Blocks until everything published so far has reached the server (NATS) or the dispatcher (in-process). */
    void flush(Duration timeout);

    /** A short description for logs: "nats://127.0.0.1:4222" or "in-process". */
    String describe();

    @Override
    void close();
}
