package io.spindle.host;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.lattice.Json;
import io.spindle.lattice.transport.Msg;
import io.spindle.lattice.transport.Subscription;
import io.spindle.lattice.transport.Transport;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Asks the policy service whether a host may start a component or provider or apply a link (request/reply on the
 * lattice's transport), caching answers for the configured ttl by the request's content; a message on the changes
 * subject drops the cache. No answer in time, or an answer that is not one, gives the configured default (never
 * cached: the next question asks again). Thread-safe.
 */
public final class PolicyClient implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("spindle.host.policy");
    private static final int MAX_REMEMBERED = 10_000;

    /** A decision; defaulted when the service did not give it (timeout, no service, malformed answer). */
    public record Decision(boolean permitted, String message, boolean defaulted) {
    }

    /** Counters since the client started. */
    public record Stats(long requests, long cacheHits, long permitted, long denied, long timeouts, long malformed, long invalidations) {
    }

    private record Cached(Decision decision, long expiresNanos, long generation) {
    }

    private final Transport transport;
    private final PolicyConfig config;
    private final Runnable onInvalidate;
    private final Subscription changes;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    /** The latest decision per request content, fresh or not: what a link keeps while it is asked again. */
    private final Map<String, Decision> last = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Decision>> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final AtomicLong requests = new AtomicLong(), hits = new AtomicLong(), permitted = new AtomicLong(), denied = new AtomicLong(),
            timeouts = new AtomicLong(), malformed = new AtomicLong(), invalidations = new AtomicLong();

    /** A client on transport; onInvalidate runs (on a transport thread) after the changes subject dropped the cache. */
    public PolicyClient(Transport transport, PolicyConfig config, Runnable onInvalidate) {
        this.transport = Objects.requireNonNull(transport);
        this.config = Objects.requireNonNull(config);
        this.onInvalidate = onInvalidate == null ? () -> { } : onInvalidate;
        this.changes = transport.subscribe(config.changesSubject(), null, this::invalidate);
    }

    private void invalidate(Msg ignored) {
        generation.incrementAndGet();
        cache.clear();
        invalidations.incrementAndGet();
        LOG.log(System.Logger.Level.INFO, "policy changed (" + config.changesSubject() + "): cached decisions dropped");
        onInvalidate.run();
    }

    /** The decision on a request (blocks up to the timeout when it is not cached). */
    public Decision decide(String kind, Object target, PolicyRequest.HostTarget host) {
        String key = key(kind, target, host);
        Decision fresh = fresh(key);
        if (fresh != null) return fresh;
        try {
            return ask(key, kind, target, host).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fallback("the host was interrupted while waiting for the policy service");
        } catch (ExecutionException e) {
            return fallback("asking the policy service failed: " + e.getCause());
        }
    }

    /**
     * The decision on a request without waiting: the cached one when fresh; otherwise the question goes out and this
     * returns the previous decision on the same content, if any (empty: none yet). onChange runs when the answer
     * differs from the previous one.
     */
    public Optional<Decision> decideLater(String kind, Object target, PolicyRequest.HostTarget host, Runnable onChange) {
        String key = key(kind, target, host);
        Decision fresh = fresh(key);
        if (fresh != null) return Optional.of(fresh);
        Decision before = last.get(key);
        ask(key, kind, target, host).thenAccept(d -> {
            if (before == null || before.permitted() != d.permitted() || !Objects.equals(before.message(), d.message())) onChange.run();
        });
        return Optional.ofNullable(before);
    }

    /** Counters: requests sent, cache hits, decisions, timeouts (and no service), malformed answers, invalidations. */
    public Stats stats() {
        return new Stats(requests.get(), hits.get(), permitted.get(), denied.get(), timeouts.get(), malformed.get(), invalidations.get());
    }

    /** The configuration. */
    public PolicyConfig config() {
        return config;
    }

    private static String key(String kind, Object target, PolicyRequest.HostTarget host) {
        return kind + "|" + Json.MAPPER.valueToTree(target) + "|" + Json.MAPPER.valueToTree(host);
    }

    private Decision fresh(String key) {
        Cached c = cache.get(key);
        if (c == null) return null;
        if (c.generation() != generation.get() || System.nanoTime() - c.expiresNanos() >= 0) {
            cache.remove(key, c); // stale: gone, so the cache holds only what may still answer
            return null;
        }
        hits.incrementAndGet();
        return c.decision();
    }

    /** One question per content at a time; the answer (or the default) is counted, cached when it is an answer. */
    private CompletableFuture<Decision> ask(String key, String kind, Object target, PolicyRequest.HostTarget host) {
        CompletableFuture<Decision> mine = new CompletableFuture<>();
        CompletableFuture<Decision> running = inFlight.putIfAbsent(key, mine);
        if (running != null) return running;
        Decision now = fresh(key); // an answer stored between the caller's look and this one: no second question
        if (now != null) {
            inFlight.remove(key, mine);
            mine.complete(now);
            return mine;
        }
        long gen = generation.get();
        String id = UUID.randomUUID().toString();
        requests.incrementAndGet();
        CompletableFuture<Msg> reply;
        try {
            reply = transport.request(config.subject(), Json.write(new PolicyRequest(id, kind, PolicyRequest.VERSION, target, host)), config.timeout());
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        reply.handle((m, e) -> {
            Decision d;
            if (e != null) {
                timeouts.incrementAndGet();
                d = fallback("the policy service on " + config.subject() + " did not answer within " + config.timeout().toMillis() + " ms ("
                        + (e.getCause() != null && e instanceof java.util.concurrent.CompletionException ? e.getCause().getMessage() : e.getMessage()) + ")");
            } else {
                d = parse(id, m.data());
            }
            if (!d.defaulted()) {
                (d.permitted() ? permitted : denied).incrementAndGet();
                if (!config.cacheTtl().isZero() && generation.get() == gen) {
                    if (cache.size() >= MAX_REMEMBERED) cache.clear(); // every deploy brings new content (annotations): bounded
                    cache.put(key, new Cached(d, System.nanoTime() + config.cacheTtl().toNanos(), gen));
                }
            }
            if (last.size() > MAX_REMEMBERED) last.clear();
            last.put(key, d);
            inFlight.remove(key, mine);
            mine.complete(d);
            return null;
        });
        return mine;
    }

    private Decision parse(String id, byte[] body) {
        String why;
        try {
            JsonNode n = Json.tree(body, "policy answer");
            if (n == null || !n.isObject()) why = "not a JSON object";
            else if (!id.equals(n.path("request_id").asText(null))) why = "request_id " + n.path("request_id") + " is not " + id;
            else if (!n.path("permitted").isBoolean()) why = "permitted must be true or false, got " + n.path("permitted");
            else if (n.has("message") && !n.get("message").isTextual() && !n.get("message").isNull()) why = "message must be a string";
            else return new Decision(n.get("permitted").booleanValue(), n.path("message").asText(""), false);
        } catch (IllegalArgumentException e) {
            why = e.getMessage();
        }
        malformed.incrementAndGet();
        return fallback("the policy service's answer is malformed: " + why);
    }

    private Decision fallback(String why) {
        String msg = why + "; the host's default applies: " + (config.defaultPermit() ? "allow" : "deny");
        LOG.log(System.Logger.Level.WARNING, msg);
        return new Decision(config.defaultPermit(), msg, true);
    }

    @Override
    public void close() {
        changes.close();
    }
}
