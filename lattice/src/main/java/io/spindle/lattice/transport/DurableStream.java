package io.spindle.lattice.transport;

/**
 * A durable, ordered log of the messages published on some subjects (a JetStream stream on NATS; a log file
 * in-process). Messages get increasing sequence numbers; a consumer reads from a sequence on and acknowledges
 * explicitly, so a restarted reader resumes after its last checkpointed sequence and nothing is lost.
 */
public interface DurableStream {
    /** The stream's name. */
    String name();

    /** Appends data on subject (one of the stream's subjects); returns its sequence number once it is durable. */
    long publish(String subject, byte[] data);

    /** The last sequence number stored (0 when empty). */
    long lastSequence();

    /**
     * Delivers every message with sequence >= fromSequence whose subject matches filter, in order, now and as they
     * arrive, to handler; a message not acknowledged (handler threw) is delivered again. Close to stop.
     */
    AutoCloseable consume(String filter, long fromSequence, StreamHandler handler);

    /** Receives stream messages. */
    @FunctionalInterface
    interface StreamHandler {
        /** One message; returning normally acknowledges it. */
        void onMessage(long sequence, String subject, byte[] data) throws Exception;
    }
}
