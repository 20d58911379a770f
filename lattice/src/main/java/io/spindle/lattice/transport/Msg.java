package io.spindle.lattice.transport;

/** A received message: its subject, the reply subject (null when none) and the payload. */
public record Msg(String subject, String replyTo, byte[] data) {
}
