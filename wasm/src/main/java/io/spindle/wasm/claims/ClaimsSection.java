package io.spindle.wasm.claims;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code spindle:claims} custom section at the binary level: find it, remove it (what the claims' subject hashes)
 * and append it. Works on the section framing only, so it never depends on what the other sections hold.
 */
final class ClaimsSection {
    static final String NAME = "spindle:claims";
    private static final byte[] NAME_BYTES = NAME.getBytes(StandardCharsets.UTF_8);

    /** A module split into the bytes without any claims section and the payloads of its claims sections. */
    record Split(byte[] unsigned, List<byte[]> payloads) {
    }

    private ClaimsSection() {
    }

    /** Splits a module; IllegalArgumentException when the section framing is broken (not a module). */
    static Split split(byte[] b) {
        if (b.length < 8 || b[0] != 0 || b[1] != 'a' || b[2] != 's' || b[3] != 'm')
            throw new IllegalArgumentException("not a WebAssembly module (no \\0asm header)");
        ByteArrayOutputStream rest = new ByteArrayOutputStream(b.length);
        rest.write(b, 0, 8);
        List<byte[]> payloads = new ArrayList<>();
        int pos = 8;
        while (pos < b.length) {
            int start = pos;
            int id = b[pos++] & 0xff;
            int[] p = {pos};
            long len = leb(b, p);
            if (len < 0 || p[0] + len > b.length)
                throw new IllegalArgumentException("section at byte " + start + " is truncated or its size is malformed");
            int end = (int) (p[0] + len);
            boolean claims = false;
            if (id == 0) {
                int[] q = {p[0]};
                long nameLen = leb(b, q);
                if (nameLen < 0 || q[0] + nameLen > end)
                    throw new IllegalArgumentException("custom section at byte " + start + " has a malformed name");
                if (nameLen == NAME_BYTES.length && java.util.Arrays.equals(b, q[0], q[0] + (int) nameLen, NAME_BYTES, 0, NAME_BYTES.length)) {
                    claims = true;
                    int from = q[0] + (int) nameLen;
                    payloads.add(java.util.Arrays.copyOfRange(b, from, end));
                }
            }
            if (!claims) rest.write(b, start, end - start);
            pos = end;
        }
        return new Split(rest.toByteArray(), payloads);
    }

    /** unsigned with one claims section holding payload appended at the end. */
    static byte[] append(byte[] unsigned, byte[] payload) {
        ByteArrayOutputStream content = new ByteArrayOutputStream(payload.length + 32);
        writeLeb(content, NAME_BYTES.length);
        content.writeBytes(NAME_BYTES);
        content.writeBytes(payload);
        ByteArrayOutputStream out = new ByteArrayOutputStream(unsigned.length + content.size() + 8);
        out.writeBytes(unsigned);
        out.write(0);
        writeLeb(out, content.size());
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }

    private static long leb(byte[] b, int[] pos) {
        long v = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (pos[0] >= b.length) return -1;
            int c = b[pos[0]++] & 0xff;
            v |= (long) (c & 0x7f) << shift;
            if ((c & 0x80) == 0) return v > 0xffffffffL ? -1 : v;
        }
        return -1;
    }

    private static void writeLeb(ByteArrayOutputStream out, int v) {
        do {
            int c = v & 0x7f;
            v >>>= 7;
            out.write(v != 0 ? c | 0x80 : c);
        } while (v != 0);
    }
}
