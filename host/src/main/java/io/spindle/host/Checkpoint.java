package io.spindle.host;

import io.spindle.lattice.Json;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A component's checkpoint in {@code SPINDLE_CHECKPOINTS_<lattice>} under its id: the state its {@code snapshot}
 * returned and, per input (the key of the link that feeds it), the stream sequence of the last message whose
 * batches the state includes. Binary: {@code "SPCK"}, a u32 big-endian header length, the header as JSON
 * (everything but the state, readable with any KV tool), then the state bytes.
 *
 * @param componentId the component
 * @param digest      {@code sha256-<hex>} of the module that took the state
 * @param hostId      the host that saved it
 * @param savedAt     ISO-8601 instant
 * @param offsets     input (link key) to the last stream sequence processed
 * @param messages    messages processed by the component in its life (across restarts)
 * @param state       the snapshot bytes
 */
record Checkpoint(String componentId, String digest, String hostId, String savedAt, Map<String, Long> offsets, long messages,
                  byte[] state) {
    private static final int MAGIC = 0x5350434B; // "SPCK"

    Checkpoint {
        offsets = Map.copyOf(new TreeMap<>(offsets == null ? Map.of() : offsets));
        state = state == null ? new byte[0] : state;
    }

    /** The header without the state, for JSON. */
    private record Header(String componentId, String digest, String hostId, String savedAt, Map<String, Long> offsets, long messages,
                          int stateBytes) {
    }

    byte[] encode() {
        byte[] h = Json.write(new Header(componentId, digest, hostId, savedAt, offsets, messages, state.length));
        return ByteBuffer.allocate(8 + h.length + state.length).putInt(MAGIC).putInt(h.length).put(h).put(state).array();
    }

    /** Decodes a checkpoint; a damaged one is an IllegalArgumentException naming what is wrong. */
    static Checkpoint decode(byte[] b) {
        if (b.length < 8) throw new IllegalArgumentException("checkpoint of " + b.length + " bytes is too short");
        ByteBuffer buf = ByteBuffer.wrap(b);
        if (buf.getInt() != MAGIC) throw new IllegalArgumentException("checkpoint does not start with SPCK");
        int hl = buf.getInt();
        if (hl < 2 || hl > b.length - 8) throw new IllegalArgumentException("checkpoint header length " + hl + " is out of range");
        Header h = Json.read(Arrays.copyOfRange(b, 8, 8 + hl), Header.class, "checkpoint header");
        byte[] state = Arrays.copyOfRange(b, 8 + hl, b.length);
        if (state.length != h.stateBytes())
            throw new IllegalArgumentException("checkpoint state is " + state.length + " bytes, its header says " + h.stateBytes());
        return new Checkpoint(h.componentId(), h.digest(), h.hostId(), h.savedAt(), h.offsets(), h.messages(), state);
    }

    @Override
    public String toString() {
        return "Checkpoint[" + componentId + ", " + digest + ", offsets " + offsets + ", " + state.length + " state bytes, saved "
                + savedAt + " by " + hostId + "]";
    }
}
