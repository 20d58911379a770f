package io.spindle.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link WriteBatch} that copies what it is given into primitive columns (raw samples and tier points apart) and
 * hands itself to its store on commit. Input is checked when it is added, so a bad call is refused with a clear
 * reason and never poisons the batch. After a successful commit the batch is empty and may be reused.
 */
final class BufferedBatch implements WriteBatch {
    /** Longest series name or state key, in chars. */
    static final int MAX_NAME_CHARS = 1024;
    /** Longest event value, in chars. */
    static final int MAX_EVENT_CHARS = 1 << 24;
    /** Highest tier number. */
    static final int MAX_TIER = 63;

    /** Where a batch goes when committed. */
    interface Committer {
        void commit(BufferedBatch batch);
    }

    record PendingEvent(int series, long t, String value) {
    }

    private final Committer committer;
    /** Series names used by this batch; other columns refer to them by index. */
    final ArrayList<String> names = new ArrayList<>();
    private final HashMap<String, Integer> nameIndex = new HashMap<>();

    final ScratchColumns raw = new ScratchColumns(0);
    int rawLen;
    /** Raw segments: (series index, offset, length) triples. */
    int[] rawSeg = new int[24];
    int rawSegCount;

    final ScratchColumns tier = new ScratchColumns(0);
    int tierLen;
    /** Tier segments: (series index, tier, offset, length) quadruples. */
    int[] tierSeg = new int[32];
    int tierSegCount;

    final List<PendingEvent> events = new ArrayList<>();
    final Map<String, byte[]> states = new LinkedHashMap<>();

    BufferedBatch(Committer committer) {
        this.committer = committer;
    }

    @Override
    public WriteBatch points(String series, int tierNo, long[] t, double[] v, int from, int to) {
        if (tierNo < SeriesStore.RAW || tierNo > MAX_TIER)
            throw new IllegalArgumentException("series '" + series + "': tier " + tierNo + " is outside -1 (raw)..." + MAX_TIER);
        if (t == null || v == null) throw new IllegalArgumentException("series '" + series + "': " + (t == null ? "times" : "values") + " array is null");
        if (from < 0 || to < from || to > t.length || to > v.length)
            throw new IndexOutOfBoundsException("series '" + series + "': range [" + from + ", " + to + ") of " + t.length + " times and " + v.length + " values");
        int n = to - from;
        if (n == 0) {
            if (!nameIndex.containsKey(series)) checkName("series name", series);
            return this;
        }
        int idx = seriesIndex(series);
        if (tierNo == SeriesStore.RAW) {
            raw.growKeeping(checkedSum(rawLen, n));
            System.arraycopy(t, from, raw.t, rawLen, n);
            System.arraycopy(v, from, raw.v, rawLen, n);
            if (rawSeg.length < rawSegCount * 3 + 3) rawSeg = Arrays.copyOf(rawSeg, rawSeg.length * 2);
            rawSeg[rawSegCount * 3] = idx;
            rawSeg[rawSegCount * 3 + 1] = rawLen;
            rawSeg[rawSegCount * 3 + 2] = n;
            rawSegCount++;
            rawLen += n;
        } else {
            tier.growKeeping(checkedSum(tierLen, n));
            System.arraycopy(t, from, tier.t, tierLen, n);
            System.arraycopy(v, from, tier.v, tierLen, n);
            if (tierSeg.length < tierSegCount * 4 + 4) tierSeg = Arrays.copyOf(tierSeg, tierSeg.length * 2);
            tierSeg[tierSegCount * 4] = idx;
            tierSeg[tierSegCount * 4 + 1] = tierNo;
            tierSeg[tierSegCount * 4 + 2] = tierLen;
            tierSeg[tierSegCount * 4 + 3] = n;
            tierSegCount++;
            tierLen += n;
        }
        return this;
    }

    @Override
    public WriteBatch event(String series, long tNanos, String value) {
        if (value == null) throw new IllegalArgumentException("series '" + series + "': event value is null");
        if (value.length() > MAX_EVENT_CHARS)
            throw new IllegalArgumentException("series '" + series + "': event value of " + value.length() + " chars is longer than " + MAX_EVENT_CHARS);
        String bad = badChars(value);
        if (bad != null) throw new IllegalArgumentException("series '" + series + "': event value " + bad);
        events.add(new PendingEvent(seriesIndex(series), tNanos, value));
        return this;
    }

    @Override
    public WriteBatch state(String key, byte[] value) {
        checkName("state key", key);
        if (value == null) throw new IllegalArgumentException("state '" + key + "': value is null");
        states.put(key, value.clone());
        return this;
    }

    @Override
    public int size() {
        return rawLen + tierLen + events.size();
    }

    @Override
    public void commit() {
        committer.commit(this);
    }

    /** True when committing would write nothing at all. */
    boolean isEmpty() {
        return size() == 0 && states.isEmpty();
    }

    /** Forgets everything (after a successful commit); keeps the allocated columns. */
    void clear() {
        names.clear();
        nameIndex.clear();
        rawLen = rawSegCount = tierLen = tierSegCount = 0;
        events.clear();
        states.clear();
    }

    private int seriesIndex(String series) {
        Integer idx = nameIndex.get(series);
        if (idx != null) return idx;
        checkName("series name", series);
        int i = names.size();
        names.add(series);
        nameIndex.put(series, i);
        return i;
    }

    private static int checkedSum(int a, int b) {
        long s = (long) a + b;
        if (s > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("batch would hold more than " + (Integer.MAX_VALUE - 16) + " points");
        return (int) s;
    }

    /** Refuses names the databases cannot keep exactly: null, empty, too long, NUL or a lone surrogate. */
    static void checkName(String what, String name) {
        if (name == null) throw new IllegalArgumentException(what + " is null");
        if (name.isEmpty()) throw new IllegalArgumentException(what + " is empty");
        if (name.length() > MAX_NAME_CHARS)
            throw new IllegalArgumentException(what + " '" + name.substring(0, 40) + "...' is longer than " + MAX_NAME_CHARS + " chars");
        String bad = badChars(name);
        if (bad != null) throw new IllegalArgumentException(what + " '" + name.replace('\0', '?') + "' " + bad);
    }

    /** Why s cannot be stored as text (NUL, which PostgreSQL refuses; a lone surrogate, which UTF-8 cannot hold), or null. */
    static String badChars(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) return "contains a NUL character at index " + i;
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "contains a lone surrogate at index " + i;
            }
            if (Character.isLowSurrogate(c)) return "contains a lone surrogate at index " + i;
        }
        return null;
    }
}
