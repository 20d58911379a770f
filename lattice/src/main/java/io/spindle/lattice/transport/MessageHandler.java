package io.spindle.lattice.transport;

/** Receives messages of a subscription; an exception is logged and counted by the transport, never kills delivery. */
@FunctionalInterface
public interface MessageHandler {
    void onMessage(Msg msg) throws Exception;
}
