package io.spindle.providers;

import io.spindle.codec.SampleBatch;
import io.spindle.codec.SampleBatchCodec;
import io.spindle.lattice.Subjects;
import io.spindle.lattice.transport.DurableStream;
import io.spindle.lattice.transport.SubjectMatcher;
import io.spindle.lattice.transport.Transport;
import io.spindle.wasm.Emitted;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code spindle:messaging}: the lattice's message bus for components, both ways.
 *
 * <p><b>Feeding a component</b> (a link from this provider to a component on {@code spindle:telemetry/processor};
 * settings from the link's source_config over the provider's config): messages on {@code subscribe} are decoded as
 * sample batches and given to the component's {@code process}; what it emits is published, encoded the same way, on
 * {@code <publish-prefix>.<series>}. Settings:
 * <ul>
 *   <li>{@code subscribe} (required): a subject pattern;</li>
 *   <li>{@code durable}: {@code true} reads the lattice's durable data stream (subjects {@code spindle.data.<lattice>.>})
 *       from the component's checkpointed offset on; default {@code true} when subscribe lies in the data subjects,
 *       {@code false} (a plain subscription: what arrives while nobody listens is lost) otherwise;</li>
 *   <li>{@code deliver}: with durable and no checkpoint, {@code all} (default: from the stream's first message) or
 *       {@code new} (only messages published from now on);</li>
 *   <li>{@code queue-group}: for a plain subscription, share the messages among the members of the group;</li>
 *   <li>{@code publish-prefix}: where emitted batches go ({@code <prefix>.<series>}; a series' characters that a
 *       subject cannot hold - whitespace, empty tokens, wildcards - become {@code _}); without it nothing is
 *       published. A prefix in the data subjects is published durably (each batch acknowledged by the stream before
 *       the input offset moves on). A prefix that the subscription would read again is refused (a loop).</li>
 * </ul>
 *
 * <p><b>Publishing for a component</b> (a link from a component to this provider on {@code spindle:messaging/publisher};
 * settings from the link's target_config): {@code publish-allow} is a comma-separated list of subject patterns the
 * component may publish on (default: any subject outside the reserved space: {@code spindle.ctl.>},
 * {@code spindle.evt.>}, {@code _INBOX.>}, subjects starting with {@code $}).
 */
public final class MessagingProvider implements Provider {
    public static final String SUBSCRIBE = "subscribe", DURABLE = "durable", DELIVER = "deliver", QUEUE_GROUP = "queue-group",
            PUBLISH_PREFIX = "publish-prefix", PUBLISH_ALLOW = "publish-allow";
    private static final System.Logger LOG = System.getLogger("spindle.providers.messaging");

    private final String id;
    private final Transport transport;
    private final Subjects subjects;
    private final Map<String, String> config;
    private final CopyOnWriteArrayList<Feed> feeds = new CopyOnWriteArrayList<>();
    private volatile DurableStream dataStream;

    /** A provider with id over transport; config: its start settings (checked). */
    public MessagingProvider(String id, Transport transport, Subjects subjects, Map<String, String> config) {
        this.id = id;
        this.transport = transport;
        this.subjects = subjects;
        this.config = Map.copyOf(config);
        List<String> problems = new ArrayList<>(checkPublisherConfig(config));
        problems.addAll(checkFeedConfig(subjects, config, false));
        if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String ref() {
        return Interfaces.MESSAGING;
    }

    @Override
    public Map<String, String> config() {
        return config;
    }

    /** The feeds running now. */
    public List<Feed> feeds() {
        return List.copyOf(feeds);
    }

    @Override
    public List<String> checkLinkConfig(String iface, String peerId, Map<String, String> linkConfig) {
        Map<String, String> c = merged(linkConfig);
        return switch (iface) {
            case Interfaces.PUBLISHER -> checkPublisherConfig(c);
            case Interfaces.PROCESSOR -> checkFeedConfig(subjects, c, true);
            default -> List.of("provider " + id + " (" + ref() + ") neither offers nor drives " + iface);
        };
    }

    private Map<String, String> merged(Map<String, String> linkConfig) {
        Map<String, String> m = new HashMap<>(config);
        m.putAll(linkConfig);
        return m;
    }

    /** True for subjects no component may publish on. */
    public static boolean reserved(String subject) {
        return subject.startsWith("spindle.ctl.") || subject.startsWith("spindle.evt.") || subject.startsWith("_INBOX.")
                || subject.startsWith("$");
    }

    private static List<String> allowPatterns(String allow) {
        List<String> out = new ArrayList<>();
        for (String p : allow.split(",")) if (!p.isBlank()) out.add(p.trim());
        return out;
    }

    /** Problems of a publisher link's config. */
    public static List<String> checkPublisherConfig(Map<String, String> c) {
        List<String> p = new ArrayList<>();
        String allow = c.get(PUBLISH_ALLOW);
        if (allow != null) {
            List<String> pats = allowPatterns(allow);
            if (pats.isEmpty()) p.add("publish-allow is empty; leave it out to allow every unreserved subject");
            for (String pat : pats)
                if (!SubjectMatcher.isValid(pat, true)) p.add("publish-allow pattern '" + pat + "' is not a valid subject pattern");
        }
        return p;
    }

    /** True when pattern can only match subjects of the lattice's data stream. */
    private static boolean inDataSubjects(Subjects s, String pattern) {
        String[] t = SubjectMatcher.tokens(pattern);
        return t.length >= 4 && t[0].equals("spindle") && t[1].equals("data") && t[2].equals(s.lattice());
    }

    /** Problems of a feed link's config; complete: the config is final (required keys must be there). */
    public static List<String> checkFeedConfig(Subjects s, Map<String, String> c, boolean complete) {
        List<String> p = new ArrayList<>();
        String sub = c.get(SUBSCRIBE);
        if (sub == null) {
            if (complete) p.add("subscribe is missing: the subject pattern whose messages feed the component");
        } else if (!SubjectMatcher.isValid(sub, true)) {
            p.add("subscribe '" + sub + "' is not a valid subject pattern");
            sub = null;
        }
        String durable = c.get(DURABLE);
        Boolean dur = null;
        if (durable != null) {
            String d = durable.trim().toLowerCase(Locale.ROOT);
            if (d.equals("true")) dur = true;
            else if (d.equals("false")) dur = false;
            else p.add("durable '" + durable + "' must be true or false");
        }
        if (sub != null) {
            boolean inData = inDataSubjects(s, sub);
            if (Boolean.TRUE.equals(dur) && !inData)
                p.add("durable is true but subscribe '" + sub + "' is not in the lattice's data subjects " + s.dataSubjects());
        }
        String deliver = c.get(DELIVER);
        if (deliver != null && !deliver.equals("all") && !deliver.equals("new")) p.add("deliver '" + deliver + "' must be all or new");
        String q = c.get(QUEUE_GROUP);
        if (q != null && (q.isEmpty() || !SubjectMatcher.isValid(q, false) || q.contains(".")))
            p.add("queue-group '" + q + "' must be one subject token");
        String prefix = c.get(PUBLISH_PREFIX);
        if (prefix != null) {
            if (!SubjectMatcher.isValid(prefix, false)) p.add("publish-prefix '" + prefix + "' is not a valid subject");
            else if (reserved(prefix + ".")) p.add("publish-prefix '" + prefix + "' is in the reserved subject space");
            else if (sub != null && SubjectMatcher.matches(sub, prefix + ".x"))
                p.add("publish-prefix '" + prefix + "' is matched by subscribe '" + sub + "': the component would read its own output");
        }
        return p;
    }

    /** The publisher a link from componentId grants; throws IllegalArgumentException naming every config problem. */
    public PublisherCapability.Publisher publisher(String componentId, Map<String, String> linkConfig) {
        Map<String, String> c = merged(linkConfig);
        List<String> problems = checkPublisherConfig(c);
        if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
        List<String[]> allow = c.containsKey(PUBLISH_ALLOW)
                ? allowPatterns(c.get(PUBLISH_ALLOW)).stream().map(SubjectMatcher::tokens).toList() : null;
        String allowText = c.get(PUBLISH_ALLOW);
        return (subject, body) -> {
            if (!SubjectMatcher.isValid(subject, false))
                throw new ProviderException("subject '" + KeyValueProvider.shorten(subject) + "' is not a valid subject (tokens separated by '.', no wildcards)");
            if (reserved(subject))
                throw new ProviderException("subject '" + subject + "' is reserved for the lattice (spindle.ctl, spindle.evt, _INBOX, $...)");
            if (allow != null && allow.stream().noneMatch(t -> SubjectMatcher.matches(t, subject)))
                throw new ProviderException("subject '" + subject + "' is outside the link's publish-allow (" + allowText + ")");
            try {
                transport.publish(subject, body);
            } catch (RuntimeException e) {
                throw new ProviderException("publish on " + subject + " failed: " + e.getMessage(), e);
            }
        };
    }

    private DurableStream dataStream() {
        DurableStream d = dataStream;
        if (d == null) dataStream = d = transport.stream(subjects.dataStream(), List.of(subjects.dataSubjects()));
        return d;
    }

    /**
     * Starts feeding target from a link (input: the link's key; linkConfig: its source_config, named configs merged).
     * Throws IllegalArgumentException naming every config problem.
     */
    public Feed feed(String input, ProcessorTarget target, Map<String, String> linkConfig) {
        Map<String, String> c = merged(linkConfig);
        List<String> problems = checkFeedConfig(subjects, c, true);
        if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
        String sub = c.get(SUBSCRIBE);
        boolean durable = c.containsKey(DURABLE) ? Boolean.parseBoolean(c.get(DURABLE).trim().toLowerCase(Locale.ROOT))
                : inDataSubjects(subjects, sub);
        Feed f = new Feed(input, target, sub, durable, c.get(PUBLISH_PREFIX));
        if (durable) {
            long after = target.resumeAfter(input);
            long from = after > 0 ? after + 1 : "new".equals(c.get(DELIVER)) ? dataStream().lastSequence() + 1 : 1;
            f.from = from;
            f.handle = dataStream().consume(sub, from, (seq, subject, data) -> f.onMessage(seq, subject, data));
        } else {
            f.handle = transport.subscribe(sub, c.get(QUEUE_GROUP), m -> f.onMessage(-1, m.subject(), m.data()));
        }
        feeds.add(f);
        return f;
    }

    /** Maps a series name to subject tokens: whitespace, control characters and wildcard or empty tokens become '_'. */
    public static String seriesSubject(String series) {
        if (series.isEmpty()) return "_";
        StringBuilder sb = new StringBuilder(series.length());
        for (String tok : series.split("\\.", -1)) {
            if (sb.length() > 0) sb.append('.');
            if (tok.isEmpty() || tok.equals("*") || tok.equals(">")) {
                sb.append('_');
                continue;
            }
            for (int i = 0; i < tok.length(); i++) {
                char ch = tok.charAt(i);
                sb.append(Character.isWhitespace(ch) || ch < 0x20 ? '_' : ch);
            }
        }
        return sb.toString();
    }

    /** One link's feed: a stream consumer or a subscription calling the component, and its counters. */
    public final class Feed implements AutoCloseable {
        private final String input;
        private final ProcessorTarget target;
        private final String subscribe;
        private final boolean durable;
        private final String publishPrefix;
        private final ReentrantLock lock = new ReentrantLock();
        private final SampleBatch in = new SampleBatch();
        private final SampleBatchCodec codec = new SampleBatchCodec();
        private final AtomicLong messages = new AtomicLong(), samplesIn = new AtomicLong(), samplesOut = new AtomicLong(),
                failures = new AtomicLong();
        private volatile long lastOffset = -1;
        private volatile String lastError;
        private volatile boolean stopping;
        private volatile AutoCloseable handle;
        private volatile long from;

        Feed(String input, ProcessorTarget target, String subscribe, boolean durable, String publishPrefix) {
            this.input = input;
            this.target = target;
            this.subscribe = subscribe;
            this.durable = durable;
            this.publishPrefix = publishPrefix;
        }

        void onMessage(long seq, String subject, byte[] data) {
            if (stopping) return;
            lock.lock();
            try {
                if (stopping) return;
                List<ProcessorTarget.SeriesBatch> batches;
                try {
                    SampleBatchCodec.decode(data, in);
                    batches = List.of(new ProcessorTarget.SeriesBatch(in.series(), in.times(), in.values(), in.count()));
                } catch (RuntimeException e) {
                    failures.incrementAndGet();
                    lastError = "message on " + subject + (seq > 0 ? " (sequence " + seq + ")" : "") + " is not a sample batch: " + e.getMessage();
                    logFailure(lastError);
                    return;
                }
                try {
                    target.process(input, seq, batches, this::publish);
                    for (ProcessorTarget.SeriesBatch b : batches) samplesIn.addAndGet(b.size());
                    messages.incrementAndGet();
                    lastOffset = seq;
                } catch (Exception e) {
                    failures.incrementAndGet();
                    lastError = "component " + target.componentId() + " refused the message on " + subject
                            + (seq > 0 ? " (sequence " + seq + ")" : "") + ": " + e.getMessage();
                    logFailure(lastError);
                }
            } finally {
                lock.unlock();
            }
        }

        private void logFailure(String why) {
            long n = failures.get();
            if (n == 1 || n % 1000 == 0)
                LOG.log(System.Logger.Level.WARNING, "feed " + input + " -> " + target.componentId() + ": " + why + "; skipped (" + n
                        + " messages skipped so far)");
        }

        private void publish(String series, Emitted e) {
            if (publishPrefix == null || (e.size() == 0 && e.breakCount() == 0)) return;
            String subject = publishPrefix + "." + seriesSubject(series);
            byte[] body = codec.encodeToArray(series, e.times(), e.values(), 0, e.size());
            if (SubjectMatcher.matches(subjects.dataSubjects(), subject)) dataStream().publish(subject, body); // durable: acknowledged
            else transport.publish(subject, body);
            samplesOut.addAndGet(e.size());
        }

        /** The link key this feed serves. */
        public String input() {
            return input;
        }

        /** The component it feeds. */
        public String componentId() {
            return target.componentId();
        }

        /** The subject pattern it reads. */
        public String subscribe() {
            return subscribe;
        }

        /** True when it reads the durable data stream. */
        public boolean durable() {
            return durable;
        }

        /** The stream sequence it started from (durable feeds). */
        public long startedFrom() {
            return from;
        }

        /** Messages processed. */
        public long messages() {
            return messages.get();
        }

        /** Samples given to the component. */
        public long samplesIn() {
            return samplesIn.get();
        }

        /** Samples the component emitted and the feed published. */
        public long samplesOut() {
            return samplesOut.get();
        }

        /** Messages skipped: undecodable, or refused by the component. */
        public long failures() {
            return failures.get();
        }

        /** The sequence of the last message processed (-1 for none or a plain subscription). */
        public long lastOffset() {
            return lastOffset;
        }

        /** Why the last failure happened, or null. */
        public String lastError() {
            return lastError;
        }

        /** Stops: waits for the message in progress, then closes the consumer or subscription. */
        @Override
        public void close() {
            stopping = true;
            lock.lock(); // the message in progress (if any) finishes first: never interrupt a component mid-call
            lock.unlock();
            AutoCloseable h = handle;
            if (h != null) {
                try {
                    h.close();
                } catch (Exception e) {
                    LOG.log(System.Logger.Level.WARNING, "closing feed " + input + ": " + e);
                }
            }
            feeds.remove(this);
        }
    }

    @Override
    public void close() {
        for (Feed f : List.copyOf(feeds)) f.close();
    }

}
