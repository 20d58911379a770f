package io.spindle.sources.mqtt;

import java.util.Arrays;

/**
 * A map from primitive long keys to objects (open addressing, linear probing), so that resolving a Sparkplug alias on
 * every metric of every DATA message boxes nothing. Entries are only added, replaced or all cleared: an edge node's
 * aliases are redefined wholesale by its births.
 */
final class LongObjectMap<V> {
    private static final float LOAD = 0.6f;
    private long[] keys;
    private Object[] values;
    private int size;
    private int resizeAt;

    LongObjectMap() {
        allocate(16);
    }

    /** The value for key, or null. */
    @SuppressWarnings("unchecked")
    V get(long key) {
        int mask = keys.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            Object v = values[i];
            if (v == null) return null;
            if (keys[i] == key) return (V) v;
        }
    }

    /** Maps key to value (not null), replacing any previous value. */
    void put(long key, V value) {
        if (value == null) throw new IllegalArgumentException("null value");
        int mask = keys.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            if (values[i] == null) {
                keys[i] = key;
                values[i] = value;
                if (++size >= resizeAt) grow();
                return;
            }
            if (keys[i] == key) {
                values[i] = value;
                return;
            }
        }
    }

    /** Removes every entry. */
    void clear() {
        Arrays.fill(values, null);
        size = 0;
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        allocate(oldKeys.length * 2);
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != null) {
                @SuppressWarnings("unchecked") V v = (V) oldValues[i];
                put(oldKeys[i], v);
            }
        }
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        values = new Object[capacity];
        resizeAt = (int) (capacity * LOAD);
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L; // aliases are often small consecutive numbers: spread them
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
