package io.spindle.lattice.transport;

/** An active subscription; closing it stops delivery. */
public interface Subscription extends AutoCloseable {
    /** The subject (pattern) subscribed to. */
    String subject();

    @Override
    void close();
}
