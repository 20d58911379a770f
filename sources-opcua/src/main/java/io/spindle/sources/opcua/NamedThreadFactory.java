package io.spindle.sources.opcua;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Daemon threads named {@code <prefix>-<n>}, so a thread dump shows which source owns which thread. */
final class NamedThreadFactory implements ThreadFactory {
    private final String prefix;
    private final AtomicInteger next = new AtomicInteger(1);

    NamedThreadFactory(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread t = new Thread(task, prefix + "-" + next.getAndIncrement());
        // daemon: a source that was never closed must not keep the JVM alive
        t.setDaemon(true);
        return t;
    }
}
