package io.spindle.store;

import io.spindle.codec.SampleBatch;
import io.spindle.codec.SampleBatchCodec;

/**
 * Raw chunk blobs: the samples of one chunk in the wire encoding of {@link SampleBatchCodec}, with an empty series
 * name (the row names the series), so a chunk costs the codec's bytes per sample plus about 14 bytes.
 */
final class ChunkCodec {
    private final SampleBatchCodec codec = new SampleBatchCodec();

    /** The blob of samples [from, to) (strictly increasing times). */
    byte[] encode(long[] t, double[] v, int from, int to) {
        return codec.encodeToArray("", t, v, from, to);
    }

    /**
     * Decodes a chunk into batch and checks it against its row (count and first/last times); a blob that does not
     * decode or does not match its row is reported as a StoreException naming where and why.
     */
    static void decode(byte[] blob, long firstT, long lastT, int n, SampleBatch batch, String where) {
        try {
            SampleBatchCodec.decode(blob, batch);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new StoreException(where + ": raw chunk at " + firstT + " is corrupt: " + e.getMessage(), e);
        }
        int count = batch.count();
        if (count != n || count == 0 || batch.times()[0] != firstT || batch.times()[count - 1] != lastT)
            throw new StoreException(where + ": raw chunk at " + firstT + " is corrupt: its row says " + n + " samples "
                    + firstT + ".." + lastT + ", the blob holds " + count + (count == 0 ? "" : " samples " + batch.times()[0] + ".." + batch.times()[count - 1]));
    }
}
