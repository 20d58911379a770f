package io.spindle.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Series names decoded from UTF-8, remembered by hash so that a working set of series decodes without allocating. */
final class NameCache {
    private final String[] names = new String[64];
    private final byte[][] utf8 = new byte[64][];

    /** Points batch at the name in data[p, p+len), decoding it only when it is not cached. */
    void set(SampleBatch batch, byte[] data, int p, int len) {
        byte[] cur = batch.seriesUtf8;
        if (cur.length == len && Arrays.equals(cur, 0, len, data, p, p + len)) return;
        int h = 1;
        for (int i = p; i < p + len; i++) h = 31 * h + data[i];
        int slot = (h ^ (h >>> 16)) & (names.length - 1);
        byte[] known = utf8[slot];
        if (known == null || known.length != len || !Arrays.equals(known, 0, len, data, p, p + len)) {
            try {
                names[slot] = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data, p, len)).toString();
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("series name is not valid UTF-8");
            }
            utf8[slot] = known = Arrays.copyOfRange(data, p, p + len);
        }
        batch.series = names[slot];
        batch.seriesUtf8 = known;
    }
}
