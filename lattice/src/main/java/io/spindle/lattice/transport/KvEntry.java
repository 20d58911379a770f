package io.spindle.lattice.transport;

/** A key's value at a revision; deleted is true for a delete (value empty). */
public record KvEntry(String bucket, String key, byte[] value, long revision, boolean deleted) {
}
