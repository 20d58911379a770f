package io.spindle.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.lattice.Json;
import io.spindle.lattice.transport.Msg;
import io.spindle.lattice.transport.Subscription;
import io.spindle.lattice.transport.Transport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The policy service: answers hosts' requests on a subject (queue group {@code policy}, so replicas share the load)
 * from a rules file, re-reads the file when it changes (polled) or on {@link #reload()} (SIGHUP in the CLI), and
 * then publishes on the changes subject so hosts drop their cached decisions. A file that fails to read or
 * validate keeps the rules in force and is logged and counted. Thread-safe.
 */
public final class PolicyServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("spindle.policy");

    /** Counters since start: requests, allowed, denied, malformed requests, reloads done and refused. */
    public record Stats(long requests, long allowed, long denied, long malformed, long reloads, long reloadFailures) {
    }

    private final Transport transport;
    private final Path rulesFile;
    private final String subject, changesSubject;
    private final ScheduledExecutorService poller;
    private final AtomicLong requests = new AtomicLong(), allowed = new AtomicLong(), denied = new AtomicLong(), malformed = new AtomicLong(),
            reloads = new AtomicLong(), reloadFailures = new AtomicLong();
    private volatile PolicyRules rules;
    private volatile String lastError;
    private byte[] fileHash;
    private Subscription sub;

    private PolicyServer(Transport transport, Path rulesFile, String subject, String changesSubject) {
        this.transport = Objects.requireNonNull(transport);
        this.rulesFile = Objects.requireNonNull(rulesFile);
        this.subject = Objects.requireNonNull(subject);
        this.changesSubject = changesSubject != null ? changesSubject : subject + ".changes";
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "spindle-policy-watch");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Reads the rules (RulesException / IOException when they are unusable: the server does not start), answers on
     * subject, checks the file for changes every poll, and announces itself on the changes subject (hosts holding
     * default decisions from while no service answered ask again).
     */
    public static PolicyServer start(Transport transport, Path rulesFile, String subject, String changesSubject, Duration poll) throws IOException {
        PolicyServer s = new PolicyServer(transport, rulesFile, subject, changesSubject);
        byte[] text = Files.readAllBytes(rulesFile);
        s.rules = RulesFile.parse(new String(text, StandardCharsets.UTF_8), rulesFile.toString());
        s.fileHash = sha256(text);
        s.sub = transport.subscribe(s.subject, "policy", s::answer);
        s.announce("started");
        long ms = Math.max(10, poll.toMillis());
        s.poller.scheduleWithFixedDelay(() -> s.reloadIfChanged(), ms, ms, TimeUnit.MILLISECONDS);
        LOG.log(System.Logger.Level.INFO, "policy service on " + subject + ": " + s.rules.size() + " rules from " + rulesFile);
        return s;
    }

    /** The rules in force. */
    public PolicyRules rules() {
        return rules;
    }

    /** Why the last reload was refused (null when it was not). */
    public String lastError() {
        return lastError;
    }

    /** The counters. */
    public Stats stats() {
        return new Stats(requests.get(), allowed.get(), denied.get(), malformed.get(), reloads.get(), reloadFailures.get());
    }

    private void answer(Msg m) {
        requests.incrementAndGet();
        JsonNode req;
        try {
            req = Json.tree(m.data(), "policy request");
        } catch (IllegalArgumentException e) {
            req = null;
        }
        String bad = PolicyRules.malformed(req);
        PolicyRules.Decision d = rules.evaluate(req);
        if (bad != null) malformed.incrementAndGet();
        (d.permitted() ? allowed : denied).incrementAndGet();
        if (bad != null) LOG.log(System.Logger.Level.WARNING, "policy request on " + m.subject() + " refused: " + bad);
        if (m.replyTo() == null) return;
        ObjectNode out = Json.MAPPER.createObjectNode();
        JsonNode id = req == null ? null : req.get("request_id");
        out.put("request_id", id != null && id.isTextual() ? id.textValue() : "");
        out.put("permitted", d.permitted());
        out.put("message", d.message());
        try {
            transport.publish(m.replyTo(), Json.write(out));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "policy answer not sent: " + e);
        }
    }

    /**
     * Re-reads the rules file now; when it is valid and different, it takes effect and the changes subject is told.
     * Returns null on success (changed or not), else why the file was refused (the old rules stay).
     */
    public synchronized String reload() {
        byte[] text;
        try {
            text = Files.readAllBytes(rulesFile);
        } catch (IOException e) {
            return refused("cannot read " + rulesFile + ": " + e);
        }
        byte[] h = sha256(text);
        if (Arrays.equals(h, fileHash)) return null;
        PolicyRules r;
        try {
            r = RulesFile.parse(new String(text, StandardCharsets.UTF_8), rulesFile.toString());
        } catch (RulesException e) {
            fileHash = h; // do not report the same broken file every poll
            return refused(e.getMessage());
        }
        rules = r;
        fileHash = h;
        lastError = null;
        reloads.incrementAndGet();
        LOG.log(System.Logger.Level.INFO, "policy rules reloaded from " + rulesFile + ": " + r.size() + " rules");
        announce("reloaded");
        return null;
    }

    private void reloadIfChanged() {
        try {
            reload();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "policy reload: " + e);
        }
    }

    private String refused(String why) {
        reloadFailures.incrementAndGet();
        if (why.equals(lastError)) return why; // an unreadable file is polled again: say it once
        lastError = why;
        LOG.log(System.Logger.Level.ERROR, "policy rules not reloaded (the previous rules stay in force): " + why);
        return why;
    }

    private void announce(String what) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("event", what);
        n.put("rules", rules.size());
        n.put("at", Instant.now().toString());
        try {
            transport.publish(changesSubject, Json.write(n));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "policy change not announced on " + changesSubject + ": " + e);
        }
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
        if (sub != null) sub.close();
    }
}
