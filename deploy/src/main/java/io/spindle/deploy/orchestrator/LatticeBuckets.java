package io.spindle.deploy.orchestrator;

import io.spindle.lattice.Json;
import io.spindle.lattice.Link;
import io.spindle.lattice.Subjects;
import io.spindle.lattice.transport.KvEntry;
import io.spindle.lattice.transport.KvWatcher;
import io.spindle.lattice.transport.Transport;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The links and named configs of the lattice as they are now, kept current by watching their buckets, so a
 * reconcile pass compares against them without a request per link or config. Entries that do not parse are
 * skipped (the hosts report them).
 */
final class LatticeBuckets implements AutoCloseable {
    private final Map<String, Link> links = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> configs = new ConcurrentHashMap<>();
    private final AutoCloseable linkWatch, configWatch;

    LatticeBuckets(Transport transport, Subjects subjects, Runnable changed) {
        linkWatch = transport.keyValue(subjects.linksBucket()).watch(watcher(e -> {
            links.remove(e.key()); // an entry replaced by one that does not parse is gone, not the old value
            if (!e.deleted()) links.put(e.key(), Json.read(e.value(), Link.class, "link " + e.key()));
        }, changed));
        configWatch = transport.keyValue(subjects.configBucket()).watch(watcher(e -> {
            configs.remove(e.key());
            if (!e.deleted()) configs.put(e.key(), Json.MAPPER.convertValue(Json.tree(e.value(), "config " + e.key()),
                    Json.MAPPER.getTypeFactory().constructMapType(Map.class, String.class, String.class)));
        }, changed));
    }

    private static KvWatcher watcher(java.util.function.Consumer<KvEntry> apply, Runnable changed) {
        return new KvWatcher() {
            @Override
            public void onEntry(KvEntry entry) {
                try {
                    apply.accept(entry);
                } catch (RuntimeException skipped) {
                    return;
                }
                changed.run();
            }
        };
    }

    /** The link stored under key, or null. */
    Link link(String key) {
        return links.get(key);
    }

    /** Records a link the reconciler just stored, before the watch delivers it (so the next pass does not put it again). */
    void noteLink(Link l) {
        links.put(l.key(), l);
    }

    /** Records a config the reconciler just stored, before the watch delivers it. */
    void noteConfig(String name, Map<String, String> values) {
        configs.put(name, Map.copyOf(values));
    }

    /** Every stored link. */
    List<Link> links() {
        return List.copyOf(links.values());
    }

    /** The named config's values, or null. */
    Map<String, String> config(String name) {
        return configs.get(name);
    }

    @Override
    public void close() {
        for (AutoCloseable c : new AutoCloseable[] {linkWatch, configWatch}) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing a watch cannot fail in a way worth reporting
            }
        }
    }
}
